"""Reading ahead: this run's GETs started at once, from the list of what the last run read.

A plan's reads form chains (the directory, then the runbook index, then each runbook's
streams, tasks and teams, then the tasks' next page), and the files must be loaded before
the chains can start. The last plan of the same files against the same target read almost
exactly the same URLs, so they are started at once (at most the client's limit in flight,
at most `WINDOW` held untaken) while the files load; when the plan then asks for one, it
takes that answer instead of sending the request again. Only the list of URLs is kept
between runs, never an answer: every answer used was read by this run, a moment earlier
than the chain would have read it. A URL the plan does not ask for again is an answer thrown
away (counted by `--stats`).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import httpx

from runform.core.kept import KeptEntries

MAX_READS = 20_000  # a record longer than this keeps its first reads only
# Early reads held at once, started and not taken: about 25 MB of task pages at most.
WINDOW = 256

Fetch = Callable[[str], Awaitable[httpx.Response]]


def read_key(path: str, params: dict[str, Any] | None) -> str | None:
    """A GET as the path and query it is sent with (as `Sender.request` builds it), or None
    for one whose path has a query and params too (the client merges those itself)."""
    if not params:
        return path
    if "?" in path:
        return None
    return f"{path}?{httpx.QueryParams(params)}"


class ReadAhead:
    """The GETs one run makes (`recorded`, in the order first asked for), and the answers to
    the last run's GETs started early (`start`), each taken at most once (`take`).

    At most `window` early reads are held, started and not yet taken: a record gone stale
    (every runbook renamed, say) then costs at most that many answers in memory and on the
    wire, while one that matches stays ahead of the plan, which takes its reads in about the
    order they were recorded."""

    def __init__(self, window: int = WINDOW) -> None:
        self.recorded: list[str] = []
        self._seen: set[str] = set()
        self._pending: dict[str, asyncio.Task[httpx.Response]] = {}
        self._waiting: Iterator[str] = iter(())
        self._begun: set[str] = set()
        self._fetch: Fetch | None = None
        self.window = window
        self.started = 0
        self.used = 0

    def start(self, keys: Iterable[str], fetch: Fetch) -> None:
        """Begin the reads of `keys` in their order, up to the window now and the rest as
        earlier ones are taken; `fetch` sends one GET of a key (path and query)."""
        self._waiting = iter(keys)
        self._fetch = fetch
        self._fill()

    def _fill(self) -> None:
        while self._fetch is not None and len(self._pending) < self.window:
            key = next(self._waiting, None)
            if key is None:
                return
            if key not in self._begun:
                self._begun.add(key)
                self._pending[key] = asyncio.ensure_future(self._fetch(key))
                self.started += 1

    def note(self, key: str) -> None:
        """This run asks for `key`: keep it in the record for the next run."""
        if key not in self._seen and len(self.recorded) < MAX_READS:
            self._seen.add(key)
            self.recorded.append(key)

    def take(self, key: str) -> asyncio.Task[httpx.Response] | None:
        """The early read of `key`, if one was started and not taken yet."""
        task = self._pending.pop(key, None)
        if task is not None:
            self.used += 1
            self._fill()
        return task

    async def discard(self) -> None:
        """Stop the reads nobody took (their answers, or failures, are not wanted)."""
        self._fetch = None  # nothing more starts
        pending, self._pending = list(self._pending.values()), {}
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)


class ReadRecord:
    """The URLs a run read, kept between runs as one entry of a cache directory (`core.kept`:
    written whole, pruned; safe to delete: the next run then reads in the usual order). The
    entry names no host: the caller picks its key for one target, so reads are never
    replayed against another."""

    def __init__(self, directory: Path, key: str) -> None:
        self.entries = KeptEntries(directory)
        self.key = key

    def load(self) -> list[str]:
        """The last run's reads; none when the entry is missing, unreadable or not ours."""
        content = self.entries.read(self.key)
        try:
            data = json.loads(content) if content is not None else None
        except ValueError:
            return []
        reads = data.get("reads") if isinstance(data, dict) else None
        if not isinstance(reads, list) or not all(isinstance(r, str) for r in reads):
            return []
        return [r for r in reads if r.startswith("/")][:MAX_READS]

    def save(self, reads: list[str]) -> None:
        """Replace the entry (a read-only checkout plans as before, without reading ahead)."""
        self.entries.write(self.key, json.dumps({"reads": reads}).encode())
