"""Archived runbooks: found by name (or pinned id) among the workspace's archived runbooks.

Cutover answers 404 for an archived runbook (cutover-api.md: "never existed, archived or
deleted") and lists it only with `archived=true`, so the usual reads never see one. A file that
asks for `archived: true` is in its desired state when its runbook is found here, and a file
that names an archived runbook without that key is told Cutover cannot restore it.
"""

from __future__ import annotations

import asyncio

from runform.providers.cutover.api.client import CutoverClient
from runform.providers.cutover.live.fetch import (
    PAGE_SIZE,
    RunbookIndex,
    index_runbooks,
    workspace_of,
)
from runform.providers.cutover.live.lookups import Lookups
from runform.providers.cutover.live.normalize import runbook_of
from runform.providers.cutover.state.shapes import LiveRunbook, RunbookTree


class ArchivedRunbooks:
    """The archived runbooks of the plan's workspaces, listed once and only when asked for."""

    def __init__(self, client: CutoverClient, lookups: Lookups, workspaces: set[str]) -> None:
        self.client = client
        self.lookups = lookups
        self.workspaces = workspaces
        self._index: asyncio.Future[RunbookIndex] | None = None

    async def index(self) -> RunbookIndex:
        if self._index is None:
            self._index = asyncio.ensure_future(
                index_runbooks(self.client, self.lookups, self.workspaces, archived=True)
            )
        return await self._index

    async def find(self, tree: RunbookTree) -> LiveRunbook | None:
        """The archived runbook the tree names (by pinned id, else by name), or None."""
        if tree.pinned_id:
            params = {"archived": "true", "runbook_id": tree.pinned_id}
            rows = await self.client.list("/core/runbooks", params, page_size=PAGE_SIZE)
            rows = [r for r in rows if str(r.id) == tree.pinned_id]
        else:
            workspace = workspace_of(self.lookups, tree)
            if workspace not in self.workspaces:
                return None
            index = await self.index()
            old = tree.runbook_renamed_from or ""
            rows = index.get((workspace, tree.runbook.name)) or index.get((workspace, old), [])
        if not rows:
            return None
        # Several archived runbooks of one name: the newest stands for them (none is restored).
        newest = max(rows, key=lambda r: (str(r.attributes.get("updated_at") or ""), str(r.id)))
        return runbook_of(newest, self.lookups)
