"""The contract a provider meets to have its roots applied: a `RootSession` per root (its
writes, and its re-read after a doubt) and the `Recorder` it tells each write to (the journal)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from runform.core.model import Change, RootPlan

# record(change, method, path, id): called by a provider as each write completes (the journal).
Recorder = Callable[[Change, str, str, "str | None"], None]


class RootSession(Protocol):
    """A provider's side of applying one root: its writes, and its re-read after a doubt."""

    async def perform(self, change: Change, record: Recorder) -> str | None:
        """Make the change; return the id of the object made or touched. Raise
        `OutcomeUnknown` when the write may or may not have happened."""
        ...

    async def remaining(self, open_changes: list[Change]) -> list[Change]:
        """Re-read the root and return what is still to do of `open_changes` (re-planned)."""
        ...

    def known_id(self, change: Change) -> str | None:
        """The id of the object a change addresses, as far as the session knows it."""
        ...


# sessions(root_plan) -> the provider's session for that root.
Sessions = Callable[[RootPlan], RootSession]
