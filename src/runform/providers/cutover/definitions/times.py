"""A runbook's times: naive times read in its timezone, clock-change warnings, and the start
and end checks. Apart from checks.py because trees.py reads times with the same rules."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from runform.core.problems import Problem

if TYPE_CHECKING:  # checks.py imports this module; the type alone is needed here
    from runform.providers.cutover.definitions.checks import LoadedRunbook


def aware(value: datetime, timezone: str | None) -> datetime:
    """Read a naive datetime in the runbook's timezone (UTC when it has none)."""
    if value.tzinfo is not None:
        return value
    return value.replace(tzinfo=ZoneInfo(timezone or "UTC"))


def clock_change_warning(value: datetime, timezone: str | None) -> str | None:
    """What a naive time means when the runbook's clocks change at it, or None when it is plain.

    A local time in a daylight-saving gap never happens and one in an overlap happens twice;
    runform reads either with `fold=0` (PEP 495): a gap time with the offset before the change,
    an overlap time as its first occurrence. The warning names the reading and the other one.
    """
    if value.tzinfo is not None or not timezone:
        return None
    zone = ZoneInfo(timezone)
    first = value.replace(tzinfo=zone, fold=0)
    second = value.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return None
    taken = _utc(first)
    if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != value:
        local = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None).isoformat()
        return (
            f"{value.isoformat()} does not exist in {timezone} (its clocks skip it): it is "
            f"taken as {taken} ({local} local); the later offset would give {_utc(second)}; "
            "write the time with an offset to say which"
        )
    return (
        f"{value.isoformat()} happens twice in {timezone} (its clocks go back): it is taken "
        f"as the first, {taken} (offset {_offset(first)}), not the second, {_utc(second)} "
        f"(offset {_offset(second)}); write the time with its offset to say which"
    )


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _offset(value: datetime) -> str:
    text = value.strftime("%z")
    return f"{text[:3]}:{text[3:]}"


def check_times(loaded: LoadedRunbook) -> list[Problem]:
    runbook = loaded.document.runbook
    problems = []
    if runbook.start_planned is not None and runbook.start_scheduled is not None:
        problems.append(
            loaded.problem(
                ("runbook", "start_planned"),
                "give start_planned or start_scheduled, not both (Cutover takes one)",
            )
        )
    if runbook.end_scheduled is not None:
        if runbook.start_scheduled is None:
            problems.append(
                loaded.problem(("runbook", "end_scheduled"), "end_scheduled needs start_scheduled")
            )
        elif aware(runbook.end_scheduled, runbook.timezone) <= aware(
            runbook.start_scheduled, runbook.timezone
        ):
            problems.append(
                loaded.problem(
                    ("runbook", "end_scheduled"), "end_scheduled must be after start_scheduled"
                )
            )
    if runbook.template_status is not None and runbook.is_template is not True:
        problems.append(
            loaded.problem(
                ("runbook", "template_status"),
                "template_status is only for templates; add `is_template: true` or remove it",
            )
        )
    return problems
