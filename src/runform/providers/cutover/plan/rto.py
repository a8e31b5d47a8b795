"""A runbook's RTO as a change of its own: it names tasks, so it follows their creation."""

from __future__ import annotations

from runform.errors import PlanError
from runform.providers.cutover.plan.draft import Draft, before_values
from runform.providers.cutover.plan.model import Action, Change, Kind, rto_address
from runform.providers.cutover.plan.values import field_changes, managed_values
from runform.providers.cutover.state.shapes import RunbookTree
from runform.text.safe import shown


def plan_rto(draft: Draft, desired: RunbookTree) -> None:
    """The RTO, a change of its own: it names tasks, so it follows their creation."""
    wanted = desired.rto
    if wanted is None:
        return
    for end, task in (("start", wanted.rto_start_task), ("end", wanted.rto_end_task)):
        if task not in draft.final_tasks:
            raise PlanError(
                f'runbook "{shown(draft.name)}" ({desired.where()}): the RTO\'s {end} task '
                f'"{shown(task)}" is not a task of this runbook (nor of its template)'
            )
    current = draft.current
    # The live RTO's tasks as the plan's renames leave them.
    renames = {base.state.name: name for name, base in draft.base_tasks.items()}
    base = current.rto.model_copy(
        update={
            name: renames.get(task, task)
            for name in ("rto_start_task", "rto_end_task")
            if (task := getattr(current.rto, name)) is not None
        }
    )
    fields = field_changes(wanted, base)
    if not fields:
        return
    live = current.live
    exists = live is not None or current.predicted
    draft.add(
        Change(
            address=rto_address(draft.name),
            kind=Kind.RTO,
            root=draft.name,
            name="rto",
            action=Action.UPDATE if exists else Action.CREATE,
            id=live.id if live is not None else None,
            before=before_values(wanted, base) if exists else None,
            after=managed_values(wanted),
            fields=fields if exists else (),
            from_template=current.predicted,
        )
    )
