"""`validate --format json|github`: problems for tools and for pull-request annotations.

GitHub turns a line `::error file=F,line=L,col=C::message` in a job's log into an annotation
on that line of the pull request; its values escape `%`, CR and LF (and, in the properties,
`:` and `,`) as percent codes.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import asdict, dataclass

import click

from runform.core.problems import PROBLEM_LIMIT, PROBLEMS_SHOWN, Problem
from runform.text.safe import shown

FORMATS = ("text", "json", "github")
_POSITIONED = re.compile(r"^(?P<file>.+?):(?P<line>\d+)(?::(?P<column>\d+))?: (?P<message>.*)$")


@dataclass(frozen=True)
class Report:
    """One problem as tools read it: where (when known) and what."""

    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    path: str | None = None


def of_problem(problem: Problem) -> Report:
    return Report(
        shown(problem.message, PROBLEM_LIMIT),
        problem.file,
        problem.line,
        problem.column,
        problem.path or None,
    )


def of_line(text: str) -> Report:
    """A `file:line[:column]: message` line (as online checks word them) split apart."""
    found = _POSITIONED.match(text)
    if found is None:
        return Report(shown(text, PROBLEM_LIMIT))
    column = found["column"]
    return Report(
        shown(found["message"], PROBLEM_LIMIT),
        found["file"],
        int(found["line"]),
        int(column) if column else None,
    )


def emit(output_format: str, reports: list[Report], **counts: int) -> None:
    """Write the reports to stdout in `output_format` (json or github)."""
    if output_format == "json":
        document = {
            "valid": not reports,
            "problems": [asdict(report) for report in reports],
            **counts,
        }
        click.echo(json.dumps(document, indent=2), file=sys.stdout)
        return
    for report in reports[:PROBLEMS_SHOWN]:
        click.echo(_github(report), file=sys.stdout)
    if len(reports) > PROBLEMS_SHOWN:
        more = Report(f"... and {len(reports) - PROBLEMS_SHOWN} more problems")
        click.echo(_github(more), file=sys.stdout)


def _github(report: Report) -> str:
    where = []
    if report.file:
        where.append(f"file={_property(report.file)}")
    if report.line:
        where.append(f"line={report.line}")
    if report.column:
        where.append(f"col={report.column}")
    message = f"{report.path}: {report.message}" if report.path else report.message
    properties = f" {','.join(where)}" if where else ""
    return f"::error{properties}::{_data(message)}"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
