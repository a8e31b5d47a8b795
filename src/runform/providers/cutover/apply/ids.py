"""What the applier knows of one runbook's ids: learned from reads and from its own creates.

Changes speak in names; the API speaks in ids. Ids of existing objects come from reading the
runbook, ids of new objects from the responses to the creates that made them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from runform.core.address import Address, parse
from runform.errors import ApplyError
from runform.providers.cutover.state.shapes import LiveRunbook


@dataclass
class RunbookIds:
    """Name -> id maps for one runbook's streams, tasks and runbook teams."""

    name: str
    runbook_id: str | None = None
    workspace: str | None = None
    streams: dict[str, str] = field(default_factory=dict)
    tasks: dict[str, str] = field(default_factory=dict)
    runbook_teams: dict[str, str] = field(default_factory=dict)
    live: LiveRunbook | None = None  # the last read of the runbook, for re-matching by name
    _read_lock: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)

    def absorb(self, live: LiveRunbook, *, replace: bool = True) -> None:
        """Take a fresh read of the runbook; `replace` forgets ids the read does not have.

        Replacing is right when no call on the runbook is in flight (after a copy, during a
        recovery); merging is right otherwise, so ids learned meanwhile are kept.
        """
        self.live = live
        self.runbook_id = live.id
        self.workspace = live.state.workspace or self.workspace
        streams = {stream.state.name: stream.id for stream in live.streams}
        tasks = {task.state.name: task.id for task in live.tasks}
        if replace:
            self.streams, self.tasks = streams, tasks
        else:
            self.streams = {**streams, **self.streams}
            self.tasks = {**tasks, **self.tasks}
        self.runbook_teams = dict(live.runbook_teams)

    def seed(self, live_ids: dict[str, str]) -> None:
        """Learn ids the plan already knows (address -> id) without a read."""
        for address, object_id in live_ids.items():
            parsed = parse(address)
            if parsed.root != Address.of("runbook", self.name):
                continue
            kind, name = parsed.kind, parsed.key
            if kind == "stream":
                self.streams.setdefault(name, object_id)
            elif kind == "task":
                self.tasks.setdefault(name, object_id)

    async def ensure_read(self, read: Callable[[str], Awaitable[LiveRunbook]]) -> None:
        """Read the runbook once (teams are only known from a read), merging what it shows."""
        async with self._read_lock:
            if self.live is None:
                self.absorb(await read(self.require_runbook()), replace=False)

    def require_runbook(self) -> str:
        if self.runbook_id is None:
            raise ApplyError(f'runbook "{self.name}" has no id yet (was its create skipped?)')
        return self.runbook_id

    def stream_id(self, name: str) -> str:
        if name not in self.streams:
            raise ApplyError(f'runbook "{self.name}": stream "{name}" does not exist in Cutover')
        return self.streams[name]

    def task_id(self, name: str) -> str:
        if name not in self.tasks:
            raise ApplyError(f'runbook "{self.name}": task "{name}" does not exist in Cutover')
        return self.tasks[name]

    def runbook_team_id(self, team: str) -> str:
        if team not in self.runbook_teams:
            known = ", ".join(sorted(self.runbook_teams)) or "none"
            raise ApplyError(
                f'runbook "{self.name}": team "{team}" is not a team of this runbook '
                f"(its teams: {known}); teams join a runbook only by copying a template"
            )
        return self.runbook_teams[team]

    def live_task(self, name: str) -> Any:
        """The last-read live task with this name, or None."""
        if self.live is None:
            return None
        return next((t for t in self.live.tasks if t.state.name == name), None)

    def live_stream(self, name: str) -> Any:
        """The last-read live stream with this name, or None."""
        if self.live is None:
            return None
        return next((s for s in self.live.streams if s.state.name == name), None)
