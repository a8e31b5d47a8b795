"""Policy outcomes a plan carries: which policies were checked, which failed, and on what.

Severities follow the common infra-policy model: `critical` blocks (plan exits
POLICY_EXIT_CODE, apply refuses), `warning` makes apply refuse unless overridden with a
reason (journaled), `advisory` is shown only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

# 0 ok, 1 error, 2 changes (--detailed-exitcode), 3 blocked by the delete limit.
POLICY_EXIT_CODE = 4


class Severity(StrEnum):
    CRITICAL = "critical"
    WARNING = "warning"
    ADVISORY = "advisory"


SEVERITY_ORDER = (Severity.CRITICAL, Severity.WARNING, Severity.ADVISORY)


class Finding(BaseModel):
    """One thing a policy denies: why, and the addresses it is about (possibly none)."""

    model_config = ConfigDict(frozen=True)

    reason: str
    addresses: tuple[str, ...] = ()


class PolicyOutcome(BaseModel):
    """One policy checked against the plan: passed when it has no findings."""

    model_config = ConfigDict(frozen=True)

    name: str
    severity: Severity
    description: str = ""
    source: str = "builtin"  # `builtin`, or the policy file it came from
    findings: tuple[Finding, ...] = Field(default_factory=tuple)

    @property
    def failed(self) -> bool:
        return bool(self.findings)


def failed(outcomes: Iterable[PolicyOutcome], severity: Severity | None = None) -> list[str]:
    """The names of the failed policies (of one severity, when given)."""
    return [o.name for o in outcomes if o.failed and (severity is None or o.severity is severity)]


def by_severity(outcomes: Iterable[PolicyOutcome]) -> dict[Severity, list[PolicyOutcome]]:
    """Failed outcomes grouped by severity, most severe first (empty groups left out)."""
    groups: dict[Severity, list[PolicyOutcome]] = {s: [] for s in SEVERITY_ORDER}
    for outcome in outcomes:
        if outcome.failed:
            groups[outcome.severity].append(outcome)
    return {s: group for s, group in groups.items() if group}


def unresolved(
    outcomes: Iterable[PolicyOutcome], overrides: Mapping[str, str]
) -> tuple[list[str], list[str]]:
    """What stops an apply: (failed critical policies, failed warnings not overridden)."""
    outcomes = list(outcomes)
    critical = failed(outcomes, Severity.CRITICAL)
    warnings = [n for n in failed(outcomes, Severity.WARNING) if n not in overrides]
    return critical, warnings


def policy_files(directory: str | Path) -> list[Path]:
    """The `.rego` files under `directory` (none when it does not exist), in name order."""
    root = Path(directory)
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*.rego") if not p.name.endswith("_test.rego"))
