"""Moving tasks' fixed times with their runbook's start (`meta.shift_fixed_times`).

The reference: "When set to `true`, `start_fixed` and `end_fixed` attributes will be
recalculated relative to the new Runbook start. This option is always forced to `true` when
changing `timing_mode`" (between a planned start and a scheduled one).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

from runform.providers.cutover.sandbox import audit
from runform.providers.cutover.sandbox.schedule import runbook_start
from runform.providers.cutover.sandbox.store import Record, Store
from runform.providers.cutover.sandbox.validation import Problems, format_moment, parse_moment


def timing_mode(runbook: Mapping[str, object]) -> str:
    """`scheduled` with a scheduled start, else `unscheduled` (read-only on the API)."""
    return "scheduled" if runbook.get("start_scheduled") else "unscheduled"


def asked_to_shift(meta: Mapping[str, object], problems: Problems) -> bool:
    """`meta.shift_fixed_times`, a boolean when sent."""
    value = meta.get("shift_fixed_times", False)
    if not isinstance(value, bool):
        problems.add(
            "/meta/shift_fixed_times", "invalid", "shift_fixed_times must be true or false"
        )
        return False
    return value


def shift_for(old: Record, new: Record, asked: bool) -> timedelta | None:
    """How far fixed times move, when asked or forced by a change of timing mode."""
    if not (asked or timing_mode(old) != timing_mode(new)):
        return None
    delta = timedelta(seconds=runbook_start(new) - runbook_start(old))
    return delta or None


def shifted(task: Record, delta: timedelta) -> dict[str, object]:
    """The task's start_fixed and end_fixed moved by `delta` (only those it has)."""
    changes: dict[str, object] = {}
    for name in ("start_fixed", "end_fixed"):
        moment = parse_moment(task.get(name))
        if moment is not None:
            changes[name] = format_moment(moment + delta)
    return changes


def shift_tasks(store: Store, runbook: Record, delta: timedelta, now: str) -> None:
    """Move every fixed time in the runbook by `delta` (inside the caller's transaction)."""
    for task in sorted(store.of_runbook("task", runbook["id"]), key=lambda t: t["id"]):
        changes = shifted(task, delta)
        if changes:
            new = store.update("task", task["id"], {**changes, "updated_at": now})
            audit.updated(store, "task", task, new, runbook)
