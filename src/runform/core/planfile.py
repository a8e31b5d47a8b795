"""Saving and loading plan files (JSON): the plan, its fingerprint, never a token."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from pathlib import Path

from pydantic import ValidationError

from runform.core.model import PLAN_FORMAT_VERSION, Plan, RootPlan
from runform.errors import PlanError
from runform.text.safe import shown

# Each provider's model of its roots in a plan file, by the `provider` field.
RootModels = Mapping[str, type[RootPlan]]


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


def load_plan(path: str | Path, root_models: RootModels) -> Plan:
    """Read a plan file, refusing other format versions and damaged files with a clear message.

    Each root is read by its provider's model; a root of a provider not given is refused.
    """
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
    version = data["format_version"]
    if version != PLAN_FORMAT_VERSION:
        older = isinstance(version, int) and version < PLAN_FORMAT_VERSION
        made_by = " (made by an older runform)" if older else ""
        raise PlanError(
            f"{source}: plan format version {shown(str(version))} is not supported{made_by}; "
            f"this runform reads version {PLAN_FORMAT_VERSION}: make the plan again"
        )
    try:
        plan = Plan.model_validate(data)
        roots = [_as_provider_root(root, root_models) for root in plan.roots]
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise PlanError(f"{source}: damaged plan file at {where}: {first['msg']}") from None
    except KeyError as err:
        raise PlanError(f"{source}: plan file for an unknown provider {err}") from None
    return plan.model_copy(update={"roots": roots})


def _as_provider_root(root: RootPlan, root_models: RootModels) -> RootPlan:
    model = root_models[root.provider]
    return model.model_validate(root.model_dump(mode="json"))


def plan_schema(plan_model: type[Plan] = Plan) -> dict[str, object]:
    """The JSON Schema of plan files and `--format json` (schemas/plan.schema.json); a provider
    passes a `Plan` subclass whose `roots` are its own root model."""
    schema = plan_model.model_json_schema(mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "plan.schema.json",
        **schema,
        "title": "runform plan",
        "description": f"runform plan format {PLAN_FORMAT_VERSION} (docs/plan-format.md).",
    }
