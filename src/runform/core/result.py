"""What an apply did: exactly which changes succeeded, failed, are in doubt or never ran."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class ApplyStatus(StrEnum):
    COMPLETE = "complete"
    FAILED = "failed"
    INTERRUPTED = "interrupted"


@dataclass(frozen=True)
class Outcome:
    """One change that was made (or found already made after a re-read)."""

    address: str
    action: str  # the planned action: create, copy, update, delete; adopt (made by another)
    id: str | None


@dataclass(frozen=True)
class Failure:
    """One change that did not succeed, and why (already a one-line user message)."""

    address: str
    action: str
    message: str


@dataclass
class ApplyResult:
    """The account of an apply, for the summary line, `last-apply.json` and the exit code."""

    status: ApplyStatus = ApplyStatus.COMPLETE
    done: list[Outcome] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    uncertain: list[str] = field(default_factory=list)  # outcome unknown when apply stopped
    not_attempted: list[str] = field(default_factory=list)
    recoveries: int = 0
    requests: int = 0
    elapsed: float = 0.0
    journal_path: str | None = None
    warnings: list[str] = field(default_factory=list)  # after the changes (a comment not added)

    @property
    def ok(self) -> bool:
        return self.status is ApplyStatus.COMPLETE

    def counts(self) -> dict[str, int]:
        """Created, updated and deleted objects, counted as the plan counts them."""
        counts = {"created": 0, "updated": 0, "deleted": 0}
        for outcome in self.done:
            if outcome.action in ("create", "copy"):
                counts["created"] += 1
            elif outcome.action == "update":
                counts["updated"] += 1
            elif outcome.action == "delete":
                counts["deleted"] += 1
        return counts

    def summary_line(self) -> str:
        """`Apply complete: 3 created, 5 updated, 0 deleted.` (or stopped/failed)."""
        counts = self.counts()
        made = (
            f"{counts['created']} created, {counts['updated']} updated, {counts['deleted']} deleted"
        )
        timing = f" ({self.elapsed:.1f}s, {self.requests} requests)"
        if self.status is ApplyStatus.COMPLETE:
            return f"Apply complete: {made}.{timing}"
        verb = "interrupted" if self.status is ApplyStatus.INTERRUPTED else "failed"
        left = len(self.failed) + len(self.uncertain) + len(self.not_attempted)
        return f"Apply {verb}: {made}; {left} changes not made.{timing}"

    def to_json(self) -> dict[str, Any]:
        """The `last-apply.json` document (addresses, ids and messages: never a token)."""
        return {
            "status": self.status.value,
            "counts": self.counts(),
            "elapsed_seconds": round(self.elapsed, 3),
            "requests": self.requests,
            "recoveries": self.recoveries,
            "journal": self.journal_path,
            "succeeded": [o.__dict__ for o in self.done],
            "failed": [f.__dict__ for f in self.failed],
            "uncertain": self.uncertain,
            "not_attempted": self.not_attempted,
        }
