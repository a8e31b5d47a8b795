"""Per-field comparison of managed values: normalized for equality, JSON-ready for the plan."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel

from runform.core.compare import differs as core_differs
from runform.core.compare import normalized as core_normalized
from runform.providers.cutover.plan.model import FieldChange
from runform.providers.cutover.schema import compare_of

State = TypeVar("State", bound=BaseModel)


def normalized(field: str, value: Any) -> Any:
    """The value as compared, by the field's compare mode (`runform.core.compare`)."""
    return core_normalized(compare_of(field), value)


def differs(field: str, desired: Any, live: Any) -> bool:
    """Whether Cutover's `live` value must change to become `desired`: the one comparison
    plan and apply both make. Custom fields compare only the keys the file sets."""
    return core_differs(compare_of(field), desired, live)


def _pair(assignee: Any) -> tuple[str, str]:
    if isinstance(assignee, BaseModel):
        return (getattr(assignee, "kind", ""), getattr(assignee, "name", ""))
    if isinstance(assignee, dict):
        return (assignee["kind"], assignee["name"])
    kind, _, name = str(assignee).partition(":")
    return (kind, name)


def _link_json(link: Any) -> dict[str, Any]:
    if isinstance(link, dict):
        return {"template": link["template"], "id": link.get("id")}
    return {"template": link.template, "id": link.id}


def json_value(field: str, value: Any) -> Any:
    """The value as stored in a plan: ISO datetimes, sorted name lists, plain dicts."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    if field == "predecessors":
        return sorted(value)
    if field == "assignees":
        return [{"kind": k, "name": n} for k, n in sorted(_pair(a) for a in value)]
    if field == "links":
        return [_link_json(link) for link in value]
    if field == "custom_fields":
        return {k: list(v) if isinstance(v, list | tuple) else v for k, v in value.items()}
    return value


@cache
def field_names(model: type[BaseModel]) -> tuple[str, ...]:
    """A model's field names in order, read once per class (pydantic's lookup is slow)."""
    return tuple(model.model_fields)


def managed_fields(state: BaseModel) -> list[str]:
    """Fields a desired state manages, in model order."""
    chosen = state.model_fields_set
    return [name for name in field_names(type(state)) if name in chosen]


def managed_values(state: BaseModel, fields: list[str] | None = None) -> dict[str, Any]:
    """JSON-ready values of the given (default: managed) fields."""
    names = managed_fields(state) if fields is None else fields
    return {name: json_value(name, getattr(state, name)) for name in names}


def base_value(field: str, desired: BaseModel, base: BaseModel) -> Any:
    """The base value to compare with a desired field (custom fields: only the file's keys)."""
    value = getattr(base, field)
    if field == "custom_fields":
        wanted = getattr(desired, field) or {}
        present = value or {}
        return {key: present.get(key) for key in wanted}
    return value


def field_changes(
    desired: BaseModel, base: BaseModel, fields: list[str] | None = None
) -> tuple[FieldChange, ...]:
    """Before → after for each managed field whose normalized values differ."""
    changes = []
    for name in managed_fields(desired) if fields is None else fields:
        after = getattr(desired, name)
        if after == getattr(base, name):
            continue  # equal values differ under no compare mode: the usual unchanged field
        before = base_value(name, desired, base)
        if differs(name, after, before):
            changes.append(
                FieldChange(
                    field=name, before=json_value(name, before), after=json_value(name, after)
                )
            )
    return tuple(changes)


def merged(base: State, desired: BaseModel) -> State:
    """The base state with the desired managed fields laid over it (custom fields merged)."""
    update: dict[str, Any] = {}
    for name in managed_fields(desired):
        value = getattr(desired, name)
        if name == "custom_fields" and value is not None:
            value = {**(getattr(base, name) or {}), **value}
        update[name] = value
    if all(getattr(base, name) == value for name, value in update.items()):
        return base  # nothing to lay over (the usual unchanged task): no copy needed
    return base.model_copy(update=update)
