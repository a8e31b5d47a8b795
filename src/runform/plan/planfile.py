"""Saving and loading plan files (JSON): the plan, its fingerprint, never a token."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

from pydantic import ValidationError

from runform.errors import PlanError
from runform.plan.model import PLAN_FORMAT_VERSION, Plan


def plan_json(plan: Plan) -> str:
    """The plan file text: the documented JSON format (docs/plan-format.md)."""
    return json.dumps(plan.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def save_plan(plan: Plan, path: str | Path) -> None:
    """Write a plan file atomically (a half-written plan must never be applied)."""
    target = Path(path)
    partial = target.with_name(target.name + ".partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)  # `-out plans/x.json` in a new checkout
        partial.write_text(plan_json(plan), encoding="utf-8")
        partial.replace(target)
    except OSError as err:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        raise PlanError(f"{target}: cannot write the plan file ({err.strerror or err})") from None


def load_plan(path: str | Path) -> Plan:
    """Read a plan file, refusing other format versions and damaged files with a clear message."""
    source = Path(path)
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PlanError(f"{source}: no such plan file") from None
    except (OSError, UnicodeDecodeError) as err:
        raise PlanError(f"{source}: cannot read the plan file ({err})") from None
    except json.JSONDecodeError as err:
        raise PlanError(f"{source}:{err.lineno}:{err.colno}: not a plan file ({err.msg})") from None
    if not isinstance(data, dict) or "format_version" not in data:
        raise PlanError(f"{source}: not a runform plan file (no format_version)")
    if data["format_version"] != PLAN_FORMAT_VERSION:
        raise PlanError(
            f"{source}: plan format version {data['format_version']} is not supported "
            f"(this runform reads version {PLAN_FORMAT_VERSION}); make the plan again"
        )
    try:
        return Plan.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise PlanError(f"{source}: damaged plan file at {where}: {first['msg']}") from None


def plan_schema() -> dict[str, object]:
    """The JSON Schema of plan files and `--format json` (schemas/plan.schema.json)."""
    schema = Plan.model_json_schema(mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "plan.schema.json",
        **schema,
        "title": "runform plan",
        "description": f"runform plan format {PLAN_FORMAT_VERSION} (docs/plan-format.md).",
    }
