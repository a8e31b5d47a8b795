"""Two applies on two machines creating one runbook at once: one keeps it, with no talking.

The target lock serialises applies from one machine, and the re-list before a create adopts a
runbook made since the plan; two creates that overlap still both land. Right after its create
each apply lists the workspace again, and every apply that sees more than one live runbook of
that name keeps the one made first by the same total order over ids (`first_made`): the
loser archives the runbook it just made and stops it. The later create's list shows both (it
lists after its own create, which is after the other's), so at least one side sees the tie.
What runform cannot know: that Cutover's listing shows a runbook the moment its create has
answered (docs/design.md, Unknowns).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from runform.errors import ApplyError
from runform.providers.cutover.api.client import CutoverClient
from runform.providers.cutover.api.errors import ApiError
from runform.providers.cutover.live.fetch import list_workspace_runbooks
from runform.providers.cutover.live.lookups import Lookups
from runform.providers.cutover.plan.model import Change
from runform.providers.cutover.state.shapes import CopySpec, RunbookState, RunbookTree
from runform.text.safe import shown

logger = logging.getLogger(__name__)


class LostRace(ApplyError):
    """Another apply made a runbook of the same name at the same time, and its copy won."""


def id_order(object_id: str) -> tuple[int, int, str]:
    """A total order over ids that every apply computes alike: numeric ids by value (Cutover
    counts them up; `07` after `7`), before any other id, which compare as text."""
    text = str(object_id)
    if text.isascii() and text.isdigit():
        return (0, int(text), text)
    return (1, 0, text)


def first_made(ids: Iterable[str]) -> str:
    """The id every racing apply agrees to keep: the least in `id_order`."""
    return min((str(i) for i in ids), key=id_order)


async def settle_race(
    client: CutoverClient, lookups: Lookups, change: Change, workspace: str, created_id: str
) -> list[str]:
    """After creating `created_id`: return the other live runbooks of its name in `workspace`
    when this one wins (or stands alone); when another wins, archive ours and raise LostRace."""
    space = lookups.get("workspace", workspace)
    try:
        rows = await list_workspace_runbooks(client, space.id)
    except ApiError as err:
        # The runbook is made: failing its change for a read would misreport it. The other
        # side's own re-list still sees both; the next plan names any duplicate.
        logger.warning("could not re-list workspace %s after a create: %s", workspace, err)
        return []
    name = change.name
    wanted = (change.after or {}).get("is_template")
    same = [
        str(row.id)
        for row in rows
        if row.attributes.get("name") == name
        and not row.attributes.get("archived")
        and (wanted is None or bool(row.attributes.get("is_template")) == bool(wanted))
    ]
    others = sorted({i for i in same if i != str(created_id)}, key=id_order)
    winner = first_made([*others, str(created_id)])
    if winner == str(created_id):
        return others
    await client.delete(f"/core/runbooks/{created_id}")
    raise LostRace(
        f'runbook "{shown(name)}": another apply made runbook id {winner} of this name in '
        f"workspace {shown(workspace)} at the same time; this apply archived the one it had "
        f"just made (id {created_id}) so only one remains. Run `runform plan` again: it will "
        f"find id {winner}"
    )


def runbook_tree(change: Change) -> RunbookTree:
    """The minimal desired tree that identifies a runbook a create or copy would make."""
    state = RunbookState.model_validate(change.after or {"name": change.name})
    copy = None
    if change.copy:
        copy = CopySpec(
            template=str(change.copy.get("template") or ""),
            template_id=change.copy.get("template_id"),
        )
    return RunbookTree(runbook=state, copy_from=copy)
