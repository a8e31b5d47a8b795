"""`validate --online` beyond names: who may be assigned, read as the plan reads it.

Like the engine, the place where live reads and the planner meet (`live` never imports `plan`).
"""

from __future__ import annotations

from typing import Any

from runform.providers.cutover.live.fetch import (
    RunbookIndex,
    find_runbook,
    index_runbooks,
    workspace_of,
)
from runform.providers.cutover.live.lookups import Lookups
from runform.providers.cutover.plan.current import starting_state
from runform.providers.cutover.plan.participants import has_user_assignees, participant_problems
from runform.providers.cutover.state.shapes import LiveRunbook, RunbookTree


class Participants:
    """`validate --online`'s participant check: the plan's own, from the same reads.

    The runbook is read only when a task assigns a user: an existing runbook's participants
    are its own (whatever its template holds now); a new one's are what its template copy
    brings, or nobody.
    """

    def __init__(self, client: Any, lookups: Lookups) -> None:
        self.client = client
        self.lookups = lookups
        self.index: RunbookIndex = {}
        self.indexed: set[str] = set()

    async def problems(self, tree: RunbookTree, template: LiveRunbook | None) -> list[str]:
        """The plan's "not a participant" problems for a resolved tree, at each task's line."""
        if not has_user_assignees(tree):
            return []
        live = await self._live(tree)
        if live is None and tree.copy_from is not None and template is None:
            return []  # the missing template is reported already
        return participant_problems(tree, starting_state(tree, live, template))

    async def _live(self, tree: RunbookTree) -> LiveRunbook | None:
        if tree.pinned_id:
            return await find_runbook(self.client, self.lookups, tree, {})
        workspace = workspace_of(self.lookups, tree)
        if workspace not in self.indexed:
            # One listing per workspace, shared by every runbook in it.
            self.index.update(await index_runbooks(self.client, self.lookups, [workspace]))
            self.indexed.add(workspace)
        return await find_runbook(self.client, self.lookups, tree, self.index)
