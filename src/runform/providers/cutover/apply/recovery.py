"""After a write with an unknown outcome: re-read the runbook and work out what is left.

A create is never sent twice for one address without this re-read in between: the read
shows whether the lost write went through, and only what is still missing is planned again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from runform.core.model import RootPlan
from runform.errors import PlanError
from runform.providers.cutover.apply.ids import RunbookIds
from runform.providers.cutover.apply.reconcile import rematch
from runform.providers.cutover.plan.model import Action, Change, Kind
from runform.providers.cutover.state.shapes import LiveRunbook

# read(runbook_id) -> the runbook as Cutover holds it now.
Reader = Callable[[str], Awaitable[LiveRunbook]]
# find(runbook_change) -> the live runbook the change would have made, or None.
Finder = Callable[[Change], Awaitable[LiveRunbook | None]]
# replan(root_plan, live) -> the root planned again, against `live` as just re-read.
Replan = Callable[[RootPlan, LiveRunbook], Awaitable[RootPlan]]


async def remaining_after_read(
    plan: RootPlan,
    ids: RunbookIds,
    open_changes: list[Change],
    *,
    read: Reader,
    find: Finder,
    replan: Replan | None,
) -> list[Change]:
    """Re-read the runbook, then return the changes still to make (re-planned or re-matched)."""
    if ids.runbook_id is None:
        creating = _runbook_creation(plan)
        live = await find(creating) if creating is not None else None
        if live is None:
            return open_changes  # the runbook was not made: sending its create again is safe
    else:
        try:
            live = await read(ids.runbook_id)
        except PlanError:
            if _archives(plan):
                return []  # Cutover answers 404 for an archived runbook: the lost DELETE took
            raise
    ids.absorb(live, replace=True)
    if replan is not None:
        fresh = await replan(plan, live)  # the read above is the plan's: not read again
        ids.seed(getattr(fresh, "live_ids", None) or {})
        return [c for c in fresh.changes if c.action is not Action.NOOP]
    left = []
    for change in open_changes:
        remaining = rematch(_as_create(change), live)
        if remaining is not None:
            left.append(remaining)
    return left


def _runbook_creation(plan: RootPlan) -> Change | None:
    for change in plan.changes:
        if change.kind == Kind.RUNBOOK and change.action in (Action.CREATE, Action.COPY):
            return change
    return None


def _archives(plan: RootPlan) -> bool:
    return any(c.kind == Kind.RUNBOOK and c.action is Action.DELETE for c in plan.changes)


def _as_create(change: Change) -> Change:
    """Objects a copy brings are re-matched like creates: made unless the read shows them."""
    if change.action is Action.COPY and change.kind != Kind.RUNBOOK:
        return change.model_copy(update={"action": Action.CREATE})
    return change
