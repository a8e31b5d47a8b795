"""The policies a plan fails, in words: grouped by severity, each with its name, the reason
and the addresses (shared by the text and Markdown plans and `runform policy check`).

The delete limit is left out: its verdict is the plan's Blocked banner, as it always was.
"""

from __future__ import annotations

from dataclasses import dataclass

from runform.core.policy import PolicyOutcome, Severity, by_severity
from runform.text.safe import NOTE_LIMIT, shown

FINDINGS_SHOWN = 20  # per policy; the rest are counted (the JSON plan holds them all)
SHOWN_ELSEWHERE = frozenset({"delete_limit"})


@dataclass(frozen=True)
class PolicyGroup:
    severity: Severity
    outcomes: list[PolicyOutcome]


def failed_groups(outcomes: list[PolicyOutcome]) -> list[PolicyGroup]:
    listed = [o for o in outcomes if o.name not in SHOWN_ELSEWHERE]
    return [PolicyGroup(s, group) for s, group in by_severity(listed).items()]


def heading(outcome: PolicyOutcome) -> str:
    """`name (source): description`, safe to show."""
    where = "" if outcome.source == "builtin" else f" ({shown(outcome.source, 300)})"
    about = f": {shown(outcome.description, NOTE_LIMIT)}" if outcome.description else ""
    return f"{shown(outcome.name, 200)}{where}{about}"


def finding_parts(outcome: PolicyOutcome) -> tuple[list[tuple[list[str], str]], int]:
    """The first FINDINGS_SHOWN findings as (addresses, reason), safe to show, and how many
    more there are."""
    parts = [
        ([shown(a, 300) for a in finding.addresses], shown(finding.reason, NOTE_LIMIT))
        for finding in outcome.findings[:FINDINGS_SHOWN]
    ]
    return parts, max(0, len(outcome.findings) - FINDINGS_SHOWN)


def finding_lines(outcome: PolicyOutcome) -> list[str]:
    """One line per finding (`addresses: reason`), the first FINDINGS_SHOWN of them."""
    parts, more = finding_parts(outcome)
    lines = [f"{', '.join(where)}: {reason}" if where else reason for where, reason in parts]
    if more:
        lines.append(f"... and {more} more")
    return lines


def summary(outcomes: list[PolicyOutcome]) -> str:
    """`Policies: 1 critical, 2 warning failed; 4 passed.`"""
    groups = by_severity(outcomes)
    failed = ", ".join(f"{len(g)} {s.value}" for s, g in groups.items())
    passed = sum(1 for o in outcomes if not o.failed)
    if not failed:
        return f"Policies: all {passed} passed."
    return f"Policies: {failed} failed; {passed} passed."
