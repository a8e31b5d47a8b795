"""Turn pydantic's validation errors into Problems that say where, what, and what is allowed."""

from __future__ import annotations

import types
import typing
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from runform.core.problems import Path, Problem
from runform.core.source import Source
from runform.text.safe import quoted
from runform.text.suggest import closest

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails


def validation_problems(
    err: ValidationError, model: type[BaseModel], data: Any, source: Source, base: Path = ()
) -> list[Problem]:
    """One Problem per pydantic error, placed at the field it is about."""
    problems = []
    for error in err.errors(include_url=False):
        path = _data_path(data, error["loc"])
        message = _message(error, model, path)
        if error["type"] == "missing" and path:
            # The key is absent: point at the mapping that should hold it.
            problems.append(source.problem(base + path[:-1], message))
            continue
        problems.append(source.problem(base + path, message))
    return problems


def _data_path(data: Any, loc: tuple[Any, ...]) -> Path:
    """Keep the loc parts that index into the data (drop pydantic's union and validator tags)."""
    path: list[str | int] = []
    node = data
    for index, part in enumerate(loc):
        in_mapping = isinstance(node, dict) and isinstance(part, str) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_mapping or in_list:
            node = node[part]
            path.append(part)
        elif isinstance(part, str) and index == len(loc) - 1 and isinstance(node, dict):
            path.append(part)  # a missing or unknown key: keep its name
    return tuple(path)


def _message(error: ErrorDetails, model: type[BaseModel], path: Path) -> str:
    kind = error["type"]
    value = error.get("input")
    if kind == "extra_forbidden":
        allowed = allowed_keys(model, path[:-1])
        key = str(path[-1]) if path else "?"
        close = closest(key, allowed)
        hint = f"; did you mean {quoted(close)}?" if close else ""
        return f"unknown key {quoted(key)}{hint} (allowed: {', '.join(allowed)})"
    if kind == "missing":
        return f"missing required key {quoted(str(path[-1]) if path else '')}".replace(" ''", "")
    if kind == "literal_error":
        return f"{quoted(value)} is not allowed; use {error['ctx']['expected']}"
    if kind in ("value_error", "assertion_error"):
        return str(error["ctx"]["error"]) if "ctx" in error else error["msg"]
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"expected a mapping of keys, got {_describe(value)}"
    if kind == "string_too_long":
        limit = error.get("ctx", {}).get("max_length")
        return (
            f"{quoted(value, 40)} is too long: at most {limit} characters (it has {len(value):,})"
        )
    if kind == "list_type":
        return f"expected a list, got {_describe(value)}"
    if kind.startswith("datetime"):
        return f"{quoted(value)} is not a date and time; use ISO 8601 such as 2026-12-05T22:00:00"
    if kind == "string_pattern_mismatch" and path and path[-1] == "color":
        return f'{quoted(value)} is not a colour; use hex "#3b82f6" (quoted) or rgb(59, 130, 246)'
    return f"{error['msg'].rstrip('.')} (got {_describe(value)})"


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return quoted(value)


def allowed_keys(model: type[BaseModel], path: Path) -> list[str]:
    """The keys the model accepts at `path` (a path into data shaped like the model)."""
    current: type[BaseModel] | None = model
    for part in path:
        if current is None:
            return []
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part)
        current = _model_in(field.annotation) if field else None
    return sorted(current.model_fields) if current is not None else []


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside an annotation like `list[TaskSpec] | None`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin is None and not isinstance(annotation, types.UnionType):
        return None
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None
