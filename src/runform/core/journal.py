"""The apply journal: one JSON line per completed call, so a stopped apply can be explained,
and the audit trail `runform log` reads: who applied what, where, from which files, and why.

Each line is written and flushed the moment its call completes (the kernel then holds it even
if the process is killed); a background thread fsyncs in batches so durability costs the
event loop nothing. The token is never part of an entry: entries hold addresses, ids, methods
and paths only.

Each entry has a `type` (ENTRY_TYPES) and carries the apply's context (actor, target, digest,
commit, reason) so every line stands on its own. Lines written before entries had a type are
typed when read, by `entry_type`, the same way as new ones are when written.
"""

from __future__ import annotations

import json
import os
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from runform.core.address import AddressError, parse

ENTRY_TYPES = ("create", "update", "delete", "archive", "error", "info")
_ACTION_TYPES = {"create": "create", "copy": "create", "update": "update", "delete": "delete"}


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def entry_type(entry: dict[str, Any]) -> str:
    """The entry's type: as written when valid, else what its event and action say.

    A failed call is an `error`; a completed or confirmed call is its action's type (a root's
    deletion an `archive` when written by a provider whose deletes archive; read from a line
    without a type, a root's deletion is taken for one, as Cutover's is); anything else (an
    unknown outcome, a policy override, notes) is `info`.
    """
    written = entry.get("type")
    if isinstance(written, str) and written in ENTRY_TYPES:
        return written
    event = entry.get("event")
    if event == "failed":
        return "error"
    if event not in (None, "confirmed"):
        return "info"
    kind = _ACTION_TYPES.get(str(entry.get("action")))
    if kind is None:
        return "info"
    if kind == "delete" and _is_root(entry.get("address")):
        return "archive"
    return kind


def _is_root(address: object) -> bool:
    try:
        return isinstance(address, str) and parse(address).parent is None
    except AddressError:
        return False


class Journal:
    """An append-only JSON-lines file under `.runform/journal/`, plus `last-apply.json`.

    `context` (the apply's actor, target, digest, commit and reason) is part of every entry.
    """

    def __init__(
        self, root: str | os.PathLike[str] = ".runform", context: dict[str, Any] | None = None
    ) -> None:
        self.root = Path(root)
        self.context = dict(context or {})
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
        self.path = self.root / "journal" / f"{stamp}.jsonl"
        self.entries: list[dict[str, Any]] = []
        self._file: IO[str] | None = None
        self._dirty = threading.Event()
        self._closed = False
        self._lock = threading.Lock()
        self._syncer: threading.Thread | None = None

    def open(self) -> Journal:
        """Create the journal file and start the background fsync."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file = open(self.path, "a", encoding="utf-8")  # noqa: SIM115 - closed in close()
        self._syncer = threading.Thread(target=self._sync_loop, name="journal-fsync", daemon=True)
        self._syncer.start()
        return self

    def record(self, **entry: Any) -> dict[str, Any]:
        """Append one entry (timestamped, typed, with the context) and flush it at once."""
        entry = {"time": utc_now(), **entry}
        entry["type"] = entry_type(entry)
        entry.update({k: v for k, v in self.context.items() if k not in entry})
        self.entries.append(entry)
        if self._file is not None:
            with self._lock:
                self._file.write(json.dumps(entry, sort_keys=False, default=str) + "\n")
                self._file.flush()
            if not self._dirty.is_set():  # already set: the coming fsync covers this line too
                self._dirty.set()
        return entry

    def close(self) -> None:
        """Stop the fsync thread and make every line durable."""
        if self._file is None or self._closed:
            return
        self._closed = True
        self._dirty.set()
        if self._syncer is not None:
            self._syncer.join()
        with self._lock:
            os.fsync(self._file.fileno())
            self._file.close()

    @property
    def on_disk(self) -> bool:
        """Whether this journal writes files (an unopened one only keeps entries in memory)."""
        return self._file is not None

    def write_summary(self, summary: dict[str, Any]) -> Path:
        """Write `last-apply.json` atomically (write a temporary file, fsync, rename)."""
        self.root.mkdir(parents=True, exist_ok=True)
        target = self.root / "last-apply.json"
        temporary = target.with_suffix(".json.tmp")
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(summary, handle, indent=2, default=str)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
        return target

    def _sync_loop(self) -> None:
        while True:
            self._dirty.wait()
            self._dirty.clear()
            # No lock: fsync may run while the loop appends; close() joins before closing.
            if self._file is not None:
                os.fsync(self._file.fileno())
            if self._closed:
                return

    def __enter__(self) -> Journal:
        return self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()
