"""Request counts by method and path template, throttling and waits: for --stats and benches."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

# Numeric ids and UUIDs; workspace keys stay as written (they are few and meaningful).
_ID_SEGMENT = re.compile(
    r"^(\d+|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$"
)


def path_template(path: str) -> str:
    """`/core/runbooks/12/tasks?x=1` -> `/core/runbooks/{id}/tasks`."""
    only_path = urlsplit(path).path or "/"
    return "/".join("{id}" if _ID_SEGMENT.match(part) else part for part in only_path.split("/"))


@dataclass
class ApiStats:
    """What a client did: requests per (method, template), statuses, retries and waits."""

    requests: Counter[tuple[str, str]] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    throttled: int = 0
    retries: int = 0
    transport_failures: int = 0
    ambiguous_writes: int = 0
    sleeps: list[float] = field(default_factory=list)
    most_refusals: int = 0  # the most 429s one request met before it went through

    def note_refusals(self, refused: int) -> None:
        """A request went through after `refused` 429s."""
        if refused > self.most_refusals:
            self.most_refusals = refused

    @property
    def total_requests(self) -> int:
        """Every request sent, retries included."""
        return sum(self.requests.values())

    @property
    def waited(self) -> float:
        """Seconds spent backing off before retries."""
        return sum(self.sleeps)

    def count(self, method: str, path: str) -> int:
        """Requests sent for one method and path template (ids may be given or `{id}`)."""
        return self.requests[(method.upper(), path_template(path))]

    def record(self, method: str, path: str, status: int | None) -> None:
        """Count one request attempt (status None when no response came back)."""
        self.requests[(method.upper(), path_template(path))] += 1
        if status is not None:
            self.statuses[status] += 1
        if status == 429:
            self.throttled += 1

    def summary_lines(self) -> list[str]:
        """Human lines for `--stats`: one per endpoint, then totals."""
        lines = [
            f"{n:6d}  {method:6s} {template}"
            for (method, template), n in sorted(
                self.requests.items(), key=lambda kv: (-kv[1], kv[0])
            )
        ]
        lines.append(
            f"{self.total_requests} requests, {self.throttled} throttled (429), "
            f"{self.retries} retried, {self.transport_failures} without response, "
            f"{self.waited:.1f}s backing off"
            + (f", at most {self.most_refusals} 429s for one request" if self.throttled else "")
        )
        return lines
