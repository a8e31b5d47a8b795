"""Problems found in a provider's files, each pinned to file:line:column and a field path."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from runform.errors import DefinitionError
from runform.text.safe import safe_line, shown

# One problem's line at most, and how many problems one message lists: 50 lines of at most
# 1,000 characters keep a validate run's output near 50 KB whatever the input.
PROBLEM_LIMIT = 1_000
PROBLEMS_SHOWN = 50
PATH_LIMIT = 300

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
        where = f"{shown(self.file, PATH_LIMIT)}:{self.line}:{self.column}"
        path = shown(self.path, PATH_LIMIT)  # a key may hold a newline
        text = f"{where}: {path}: {self.message}" if path else f"{where}: {self.message}"
        return safe_line(text, PROBLEM_LIMIT)


def definition_error(problems: Iterable[Problem], what: str = "runbook files") -> DefinitionError:
    """Bundle problems, sorted by file and line, into one error a user can read at once.

    The message lists the first PROBLEMS_SHOWN (the error keeps them all), so one run's output
    stays bounded whatever the file holds."""
    ordered = sorted(set(problems))
    noun = "problem" if len(ordered) == 1 else "problems"
    lines = [f"{len(ordered)} {noun} in {what}:"]
    lines.extend(f"  {problem}" for problem in ordered[:PROBLEMS_SHOWN])
    if len(ordered) > PROBLEMS_SHOWN:
        lines.append(f"  ... and {len(ordered) - PROBLEMS_SHOWN} more (fix these first)")
    return DefinitionError("\n".join(lines), problems=ordered)
