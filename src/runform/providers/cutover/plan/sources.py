"""Who moved each field: the files, Cutover, or both, judged against a base.

With no state file, the base is what was last intended: the runbook files at a git revision.
A field the change edits relative to the base is the files' doing; a field the files leave as
at the base while Cutover holds another value moved in Cutover (drift); a field both changed
is a conflict. Without a base runform makes no such claim.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

from runform.core.model import Action, Change, FieldChange
from runform.providers.cutover.plan.model import Kind, RunbookPlan
from runform.providers.cutover.plan.values import differs, json_value
from runform.providers.cutover.state.shapes import RunbookTree

_MISSING = object()


def classify(plan: RunbookPlan, base: RunbookTree | None) -> RunbookPlan:
    """The plan with each updated field's `source` set and `drift` on the objects Cutover
    moved; a runbook the base does not have is all the files' doing."""
    changes = [_classified(change, base) for change in plan.changes]
    return plan.model_copy(update={"changes": changes})


def classify_all(plans: Sequence[RunbookPlan], base: Sequence[RunbookTree]) -> list[RunbookPlan]:
    by_name = {tree.runbook.name: tree for tree in base}
    return [classify(plan, by_name.get(plan.name)) for plan in plans]


def _classified(change: Change, base: RunbookTree | None) -> Change:
    if change.action is not Action.UPDATE or not change.fields:
        return change
    was = _base_object(change, base)
    fields = tuple(_sourced(f, was, change) for f in change.fields)
    drift = any(f.source in ("cutover", "both") for f in fields)
    return change.model_copy(update={"fields": fields, "drift": drift})


def _sourced(field: FieldChange, was: BaseModel | None, change: Change) -> FieldChange:
    base_value = _value(was, field.field)
    wanted = (change.after or {}).get(field.field, field.after)
    if base_value is _MISSING:
        return field.model_copy(update={"source": "files"})
    files_moved = differs(field.field, wanted, base_value)
    cutover_moved = differs(field.field, base_value, field.before)
    source = "both" if files_moved and cutover_moved else "cutover" if cutover_moved else "files"
    return field.model_copy(update={"source": source})


def _value(was: BaseModel | None, name: str) -> Any:
    if was is None or name not in was.model_fields_set:
        return _MISSING
    return json_value(name, getattr(was, name))


def _base_object(change: Change, base: RunbookTree | None) -> BaseModel | None:
    """The object as the base files described it (by its name, or the name it had)."""
    if base is None:
        return None
    if change.kind == Kind.RUNBOOK:
        return base.runbook
    if change.kind == Kind.RTO:
        return base.rto
    objects: Sequence[BaseModel] = base.streams if change.kind == Kind.STREAM else base.tasks
    names = [change.name] + ([change.renamed_from] if change.renamed_from else [])
    by_name = {getattr(o, "name", None): o for o in objects}
    return next((by_name[n] for n in names if n in by_name), None)
