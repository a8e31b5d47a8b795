"""Progress of an apply: a rich bar per runbook on a terminal, plain log lines elsewhere."""

from __future__ import annotations

import sys
from typing import IO, Protocol

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from runform.text.safe import safe_line, shown

_PAST = {
    "adopt": "adopted",
    "create": "created",
    "copy": "copied",
    "update": "updated",
    "delete": "deleted",
}


class ApplyProgress(Protocol):
    """Told about each runbook's amount of work and each change as it completes."""

    def start(self, runbook: str, total: int) -> None: ...

    def retotal(self, runbook: str, total: int) -> None: ...

    def advance(self, runbook: str, address: str, action: str, object_id: str | None) -> None: ...

    def note(self, message: str) -> None: ...

    def close(self) -> None: ...


class SilentProgress:
    """No output: for library use and tests that only look at the result."""

    def start(self, runbook: str, total: int) -> None:
        pass

    def retotal(self, runbook: str, total: int) -> None:
        pass

    def advance(self, runbook: str, address: str, action: str, object_id: str | None) -> None:
        pass

    def note(self, message: str) -> None:
        pass

    def close(self) -> None:
        pass


class LogProgress:
    """One plain line per completed change: readable in CI logs and when piped."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self.stream = stream or sys.stderr

    def start(self, runbook: str, total: int) -> None:
        self._write(f'runbook "{shown(runbook)}": applying {total} changes')

    def retotal(self, runbook: str, total: int) -> None:
        self._write(f'runbook "{shown(runbook)}": {total} changes left after re-reading')

    def advance(self, runbook: str, address: str, action: str, object_id: str | None) -> None:
        suffix = f" (id {object_id})" if object_id else ""
        self._write(f"{address}: {_PAST.get(action, action)}{suffix}")

    def note(self, message: str) -> None:
        self._write(message)

    def close(self) -> None:
        self.stream.flush()

    def _write(self, line: str) -> None:
        self.stream.write(safe_line(line) + "\n")
        self.stream.flush()


class BarProgress:
    """A rich progress bar per runbook, for an interactive terminal."""

    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console(stderr=True)
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.console,
            transient=False,
        )
        self.bars: dict[str, TaskID] = {}
        self.completed: dict[str, int] = {}
        self.progress.start()

    def start(self, runbook: str, total: int) -> None:
        self.bars[runbook] = self.progress.add_task(escape(shown(runbook)), total=total)
        self.completed[runbook] = 0

    def retotal(self, runbook: str, total: int) -> None:
        self.progress.update(self.bars[runbook], total=self.completed[runbook] + total)

    def advance(self, runbook: str, address: str, action: str, object_id: str | None) -> None:
        self.completed[runbook] += 1
        self.progress.advance(self.bars[runbook])

    def note(self, message: str) -> None:
        self.progress.console.print(safe_line(message), markup=False, highlight=False)

    def close(self) -> None:
        self.progress.stop()


def choose_progress(stream: IO[str] | None = None, *, no_color: bool = False) -> ApplyProgress:
    """Bars on a terminal, log lines otherwise."""
    stream = stream or sys.stderr
    if stream.isatty():
        return BarProgress(Console(file=stream, no_color=no_color or None))
    return LogProgress(stream)
