"""Re-matching a change against a fresh read: which of its desired fields still differ.

Used where the live objects are only known after a read: the streams and tasks a template copy
brought, and whatever remains after a write whose outcome was unknown.
"""

from __future__ import annotations

from typing import Any

from runform.providers.cutover.plan.model import Action, Change, FieldChange, Kind
from runform.providers.cutover.plan.values import differs
from runform.providers.cutover.state.shapes import LiveRunbook, LiveStream, LiveTask

_IDENTITY_FIELDS = {"workspace"}  # a runbook cannot move workspace by a patch


def differing_fields(desired: dict[str, Any], live: dict[str, Any]) -> list[str]:
    """Names of the fields in `desired` whose value differs from `live` (both JSON-ready),
    by the planner's own comparison."""
    return [name for name, value in desired.items() if differs(name, value, live.get(name))]


def live_values(change: Change, live: LiveRunbook) -> tuple[str | None, dict[str, Any] | None]:
    """The live id and JSON-ready state of the object a change addresses, matched by name."""
    names = [change.name] + ([change.renamed_from] if change.renamed_from else [])
    if change.kind == Kind.RUNBOOK:
        return live.id, live.state.model_dump(mode="json")
    if change.kind == Kind.RTO:
        return live.id, live.rto.model_dump(mode="json")
    objects: dict[str, LiveStream | LiveTask]
    if change.kind == Kind.STREAM:
        objects = {s.state.name: s for s in live.streams}
    else:
        objects = {t.state.name: t for t in live.tasks}
    if change.id is not None:
        by_id = {o.id: o for o in objects.values()}
        if change.id in by_id:
            found = by_id[change.id]
            return found.id, found.state.model_dump(mode="json")
    for name in names:
        if name in objects:
            return objects[name].id, objects[name].state.model_dump(mode="json")
    return None, None


def rematch(change: Change, live: LiveRunbook) -> Change | None:
    """What is left of `change` given a fresh read: None when nothing is, else a change to make.

    A create whose object now exists becomes an update of the fields that still differ; an
    update keeps only the fields that still differ; a delete whose object is gone is done.
    """
    live_id, state = live_values(change, live)
    if change.action is Action.DELETE:
        return None if live_id is None else change.model_copy(update={"id": live_id})
    if live_id is None or state is None:
        if change.action is Action.UPDATE and change.kind != Kind.RUNBOOK:
            # The object vanished (or a rename never happened live): create it as the file says.
            return change.model_copy(update={"action": Action.CREATE, "id": None})
        return change
    desired = {k: v for k, v in (change.after or {}).items() if k not in _IDENTITY_FIELDS}
    names = differing_fields(desired, state)
    if not names:
        return None
    fields = tuple(FieldChange(field=n, before=state.get(n), after=desired.get(n)) for n in names)
    return change.model_copy(update={"action": Action.UPDATE, "id": live_id, "fields": fields})
