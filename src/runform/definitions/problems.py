"""Problems found in runbook files, each pinned to file:line:column and a field path."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from runform.errors import DefinitionError

Path = tuple[str | int, ...]


def format_path(path: Sequence[str | int]) -> str:
    """Render a field path the way users read it: `tasks[3].duration`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in a file, with where it is and what is allowed instead."""

    file: str
    line: int
    column: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


def definition_error(problems: Iterable[Problem]) -> DefinitionError:
    """Bundle problems, sorted by file and line, into one error a user can read at once."""
    ordered = sorted(set(problems))
    noun = "problem" if len(ordered) == 1 else "problems"
    lines = [f"{len(ordered)} {noun} in runbook files:"]
    lines.extend(f"  {problem}" for problem in ordered)
    return DefinitionError("\n".join(lines), problems=ordered)
