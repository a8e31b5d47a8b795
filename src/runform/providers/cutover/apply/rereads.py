"""A recovery's read of its runbook: whole, or its task list alone when nothing else moved.

Each request of a re-read may meet the errors that made the write doubtful and back off, and
the runbook's writes wait for the read; so a re-read asks only for what the doubt can have
changed. A task create or patch changes the task list and nothing else runform reads (the
runbook, its streams and its runbook teams). While those are all this apply has sent on the
runbook since its last whole re-read, the next re-read takes the other parts from that read
and asks for the task list alone. Any other write (the runbook, its RTO, a stream, a task
delete, which Cutover may follow by clearing the runbook's RTO task) makes the next re-read
whole again.
"""

from __future__ import annotations

from runform.providers.cutover.api.client import CutoverClient
from runform.providers.cutover.live.fetch import RunbookParts, read_runbook
from runform.providers.cutover.live.lookups import Lookups
from runform.providers.cutover.plan.model import Action, Change, Kind
from runform.providers.cutover.state.shapes import LiveRunbook

_TASK_ONLY = (Action.CREATE, Action.COPY, Action.UPDATE)


class Rereads:
    """One runbook's re-reads after doubtful writes, and what its writes have touched since."""

    def __init__(self, client: CutoverClient, lookups: Lookups) -> None:
        self.client = client
        self.lookups = lookups
        self.parts: RunbookParts | None = None  # of the last whole re-read, while current

    def writing(self, change: Change) -> None:
        """Told before each write is sent (a write may act even when its answer is lost)."""
        if not (change.kind == Kind.TASK and change.action in _TASK_ONLY):
            self.parts = None

    async def read(self, runbook_id: str) -> LiveRunbook:
        """The runbook as Cutover holds it now, read as narrowly as that allows."""
        parts = self.parts
        if parts is not None and str(parts.resource.id) != str(runbook_id):
            parts = None
        live, self.parts = await read_runbook(self.client, self.lookups, runbook_id, parts=parts)
        return live
