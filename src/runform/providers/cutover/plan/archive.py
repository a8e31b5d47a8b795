"""Archiving a runbook (`archived: true`, `runform destroy`), and what an archived one means.

Cutover's `DELETE /core/runbooks/{id}` archives the runbook with its streams and tasks, and
offers no way back (the reference: `archived` is read-only, "use DELETE operation to archive";
no endpoint restores one). So the plan archives a live runbook as one deletion of the runbook,
never of its streams and tasks one by one; an archived runbook that the files want archived is
in its desired state; and a file that wants it back is told runform cannot do that.
"""

from __future__ import annotations

from runform.providers.cutover.plan.draft import full_values
from runform.providers.cutover.plan.model import (
    Action,
    Archive,
    Change,
    Kind,
    RunbookPlan,
    runbook_address,
)
from runform.providers.cutover.state.shapes import LiveRunbook, RunbookTree
from runform.text.safe import shown

NO_UNARCHIVE = "Cutover offers no un-archive, so runform cannot restore it"


def plan_archive(desired: RunbookTree, live: LiveRunbook) -> RunbookPlan:
    """One change: archive the live runbook (its streams and tasks go with it)."""
    name = desired.runbook.name
    change = Change(
        address=runbook_address(name),
        kind=Kind.RUNBOOK,
        action=Action.DELETE,
        root=name,
        name=name,
        id=live.id,
        before=full_values(live.state),
    )
    warnings = list(desired.warnings)
    if desired.streams or desired.tasks:
        warnings.append(
            "the file's streams and tasks are not planned: archiving takes the runbook as it is"
        )
    return RunbookPlan(
        name=name,
        address=runbook_address(name),
        live_id=live.id,
        source=desired.source,
        changes=[change],
        warnings=warnings,
        archive=Archive(streams=len(live.streams), tasks=len(live.tasks)),
    )


def already_archived(desired: RunbookTree, archived: LiveRunbook | None) -> RunbookPlan:
    """No change: the runbook is archived already, or was never in Cutover (a note says so)."""
    name = desired.runbook.name
    if archived is not None:
        note = f"archived in Cutover (id {archived.id}), as the files ask"
    else:
        note = "not in Cutover, live or archived: nothing to archive"
    return RunbookPlan(
        name=name,
        address=runbook_address(name),
        live_id=archived.id if archived is not None else None,
        source=desired.source,
        unchanged={"runbook": 1} if archived is not None else {},
        warnings=[*desired.warnings, note],
    )


def with_archived_namesake(
    plan: RunbookPlan, desired: RunbookTree, archived: LiveRunbook
) -> RunbookPlan:
    """A runbook the files name is archived and none is live: say the plan cannot restore it.

    Without `archived:` the files ask for a runbook of that name: the plan creates a new one
    and says so. `archived: false` asks for the archived one back: that plan is refused.
    """
    named = f'runbook "{shown(desired.runbook.name)}" is archived in Cutover (id {archived.id})'
    if desired.archived is False:
        return plan.model_copy(
            update={
                "appliable": False,
                "refusal": (
                    f"{named} and the file says `archived: false`: {NO_UNARCHIVE}. Restore it "
                    "in Cutover, or remove `archived: false` to create a new runbook of this name"
                ),
            }
        )
    note = f"{named}; {NO_UNARCHIVE}: the plan creates a new runbook (the archived one stays)"
    return plan.model_copy(update={"warnings": [*plan.warnings, note]})
