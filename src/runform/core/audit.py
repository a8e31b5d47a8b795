"""Reading the audit trail: every journal of a project, typed, filtered by time, type and
address, oldest first.

Journals are append-only JSON lines; a line cut short by a killed process (the last one of
its file) is skipped and counted, never fatal. Lines from before entries had a type are typed
as they are read (`runform.core.journal.entry_type`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from runform.core.address import AddressError, address_matches
from runform.core.journal import ENTRY_TYPES, entry_type

_DURATION = re.compile(r"^(\d+)([smhdw])$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
MOMENT_HELP = (
    "use an ISO date or time (2026-12-01, 2026-12-01T14:30, 2026-12-01T14:30:00+01:00; "
    "without an offset, UTC) or a duration back from now (90s, 30m, 2h, 7d, 2w)"
)


def parse_moment(text: str, now: datetime | None = None) -> datetime:
    """An aware UTC time from an ISO date/time or a duration before `now`; ValueError else."""
    value = text.strip()
    found = _DURATION.fullmatch(value)
    if found is not None:
        seconds = int(found.group(1)) * _UNIT_SECONDS[found.group(2)]
        try:
            return (now or datetime.now(UTC)) - timedelta(seconds=seconds)
        except OverflowError:
            raise ValueError(f"{text!r} reaches back before the year 1") from None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00") if value else "-")
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):  # not ISO, or out of range once in UTC
        raise ValueError(f"{text!r} is not a time; {MOMENT_HELP}") from None


def entry_time(entry: dict[str, Any]) -> datetime | None:
    """When an entry was written (None for a line without a readable time)."""
    try:
        return parse_moment(str(entry["time"]))
    except (KeyError, ValueError):
        return None


@dataclass(frozen=True)
class Query:
    """Which entries to show: a time window, types, address globs, at most `limit` (newest)."""

    since: datetime | None = None
    until: datetime | None = None
    types: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    limit: int | None = None

    def __post_init__(self) -> None:
        unknown = [t for t in self.types if t not in ENTRY_TYPES]
        if unknown:
            raise ValueError(f"--type {unknown[0]}: one of {', '.join(ENTRY_TYPES)}")

    def keeps(self, entry: dict[str, Any]) -> bool:
        moment = entry_time(entry)
        if self.since is not None and (moment is None or moment < self.since):
            return False
        if self.until is not None and (moment is None or moment > self.until):
            return False
        if self.types and entry["type"] not in self.types:
            return False
        return not self.addresses or _address_matches(entry.get("address"), self.addresses)


def _address_matches(address: object, globs: Sequence[str]) -> bool:
    if not isinstance(address, str):
        return False
    try:
        return address_matches(address, globs)
    except AddressError:
        return False


@dataclass
class Trail:
    """The entries read, oldest first, and how many lines could not be read."""

    entries: list[dict[str, Any]] = field(default_factory=list)
    unreadable: int = 0


def read_trail(state_dir: Path, query: Query | None = None) -> Trail:
    """Every journal under `state_dir/journal`, typed and filtered, oldest first."""
    query = query or Query()
    trail = Trail()
    kept: list[tuple[tuple[datetime, int, int], dict[str, Any]]] = []
    directory = Path(state_dir) / "journal"
    files = sorted(directory.glob("*.jsonl")) if directory.is_dir() else []
    for order, path in enumerate(files):
        for line_number, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                trail.unreadable += 1
                continue
            if not isinstance(entry, dict):
                trail.unreadable += 1
                continue
            entry["type"] = entry_type(entry)
            if query.keeps(entry):
                moment = entry_time(entry) or datetime.min.replace(tzinfo=UTC)
                kept.append(((moment, order, line_number), entry))
    kept.sort(key=lambda pair: pair[0])
    trail.entries = [entry for _, entry in kept]
    if query.limit is not None:
        trail.entries = trail.entries[-query.limit :] if query.limit else []
    return trail
