"""`validate --online`: every name resolved against Cutover, templates' streams and tasks, and
who may be assigned, read as the plan reads them.

Like the engine, the place where live reads and the planner meet (`live` never imports `plan`):
each template is read once and the runbooks are checked concurrently, as a plan reads them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from runform.errors import PlanError, ResolveError
from runform.providers.cutover.api.client import CutoverClient
from runform.providers.cutover.definitions.online import template_problems
from runform.providers.cutover.live.fetch import (
    RunbookIndex,
    find_runbook,
    find_template,
    index_runbooks,
    workspace_of,
)
from runform.providers.cutover.live.lookups import Lookups
from runform.providers.cutover.live.resolve import resolve_tree
from runform.providers.cutover.plan.current import starting_state
from runform.providers.cutover.plan.participants import has_user_assignees, participant_problems
from runform.providers.cutover.state.shapes import LiveRunbook, RunbookTree


class Participants:
    """`validate --online`'s participant check: the plan's own, from the same reads.

    The runbook is read only when a task assigns a user: an existing runbook's participants
    are its own (whatever its template holds now); a new one's are what its template copy
    brings, or nobody.
    """

    def __init__(self, client: CutoverClient, lookups: Lookups) -> None:
        self.client = client
        self.lookups = lookups
        self.index: RunbookIndex = {}
        self.indexed: set[str] = set()
        self._listing = asyncio.Lock()  # one listing per workspace, however many ask at once

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
        async with self._listing:
            if workspace not in self.indexed:
                # One listing per workspace, shared by every runbook in it.
                self.index.update(await index_runbooks(self.client, self.lookups, [workspace]))
                self.indexed.add(workspace)
        return await find_runbook(self.client, self.lookups, tree, self.index)


async def online_problems(client: CutoverClient, trees: Sequence[RunbookTree]) -> list[str]:
    """Every name the trees use that Cutover does not know, each at its file:line."""
    lookups = await Lookups.fetch(client)
    participants = Participants(client, lookups)
    problems: list[str] = []
    resolved: list[tuple[RunbookTree, RunbookTree]] = []
    for tree in trees:
        try:
            resolved.append((tree, resolve_tree(tree, lookups)))
        except ResolveError as err:
            lines = str(err).splitlines()[1:]  # each begins with its own file:line
            if lines:
                problems.extend(line.strip() for line in lines)
            else:
                problems.append(f"{_where(tree)}: {err}")
    templates = await _read_templates(client, lookups, [r for _, r in resolved])

    async def check(tree: RunbookTree, resolved_tree: RunbookTree) -> list[str]:
        found: list[str] = []
        template = None
        if tree.copy_from is not None:
            read = templates[_template_key(resolved_tree)]
            if isinstance(read, Exception):
                return [f"{_where(tree)}: {read}"]
            template = read
            found.extend(template_problems(tree, template))
        try:
            found.extend(await participants.problems(resolved_tree, template))
        except (ResolveError, PlanError) as err:
            found.append(f"{_where(tree)}: {err}")
        return found

    for found in await asyncio.gather(*(check(t, r) for t, r in resolved)):
        problems.extend(found)
    return problems


def _where(tree: RunbookTree) -> str:
    return f'{tree.source or "files"}: runbook "{tree.runbook.name}"'


def _template_key(tree: RunbookTree) -> tuple[str, str, str]:
    copy = tree.copy_from
    assert copy is not None
    return (copy.template_id or "", copy.template, tree.runbook.workspace or "")


async def _read_templates(
    client: CutoverClient, lookups: Lookups, trees: Sequence[RunbookTree]
) -> dict[tuple[str, str, str], LiveRunbook | Exception]:
    """Each template the trees copy from, read once and all at once; a template that cannot
    be found is that runbook's problem, not the others'."""
    specs = {_template_key(t): t for t in trees if t.copy_from is not None}

    async def read(tree: RunbookTree) -> LiveRunbook | Exception:
        assert tree.copy_from is not None
        try:
            return await find_template(client, lookups, tree.copy_from, tree.runbook.workspace)
        except (ResolveError, PlanError) as err:
            return err

    found = await asyncio.gather(*(read(tree) for tree in specs.values()))
    return dict(zip(specs, found, strict=True))
