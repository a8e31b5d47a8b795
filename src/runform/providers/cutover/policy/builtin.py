"""The built-in rules: each reads the plan alone (so a saved plan is checked as it was made).

A rule is a function from the plan (and its settings, and the time of the check) to findings;
RULES names each with the words shown when it fails.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from runform.core.policy import Finding, PolicyOutcome, Severity
from runform.providers.cutover.definitions.policy_settings import (
    ApprovalRule,
    CriticalPathRule,
    FreezeWindowRule,
    PolicySettings,
    RuleSettings,
    TaskDurationRule,
)
from runform.providers.cutover.plan.model import Action, Change, Kind, Plan, RootPlan, RunbookPlan
from runform.render.words import duration_text

# Each rule takes its own settings (a RuleSettings of its kind, read by the rule's name).
Check = Callable[[Plan, Any, datetime], list[Finding]]


@dataclass(frozen=True)
class Rule:
    name: str
    description: str
    check: Check


def _tasks(plan: Plan, *actions: Action) -> Iterator[tuple[RootPlan, Change]]:
    for runbook in plan.roots:
        for change in runbook.changes:
            if change.kind == Kind.TASK and change.action in actions:
                yield runbook, change


def _runbooks(plan: Plan) -> Iterator[RunbookPlan]:
    """The plan's runbook roots, whose schedules these rules read: a root of another
    provider has no runbook to hold to them."""
    for root in plan.roots:
        if isinstance(root, RunbookPlan):
            yield root


def task_assignee(plan: Plan, settings: RuleSettings, now: datetime) -> list[Finding]:
    return [
        Finding(reason="the new task has no assignee", addresses=(change.address,))
        for _, change in _tasks(plan, Action.CREATE)
        if not (change.after or {}).get("assignees")
    ]


def runbook_approval(plan: Plan, settings: ApprovalRule, now: datetime) -> list[Finding]:
    wanted = settings.task_type.casefold()
    findings = []
    for runbook in _runbooks(plan):
        if any(c.kind == Kind.RUNBOOK and c.action is Action.DELETE for c in runbook.changes):
            continue
        after = runbook.schedule_after
        types = {name.casefold() for name, count in (after.task_types if after else {}).items()}
        if wanted not in types:
            findings.append(
                Finding(
                    reason=f"the runbook has no task of type {settings.task_type}",
                    addresses=(runbook.address,),
                )
            )
    return findings


def keep_level_1(plan: Plan, settings: RuleSettings, now: datetime) -> list[Finding]:
    return [
        Finding(reason="a level_1 task would be deleted", addresses=(change.address,))
        for _, change in _tasks(plan, Action.DELETE)
        if (change.before or {}).get("level") == "level_1"
    ]


def task_duration(plan: Plan, settings: TaskDurationRule, now: datetime) -> list[Finding]:
    limit = settings.max
    findings = []
    for _, change in _tasks(plan, Action.CREATE, Action.COPY, Action.UPDATE):
        duration = (change.after or {}).get("duration")
        if isinstance(duration, int) and duration > limit:
            findings.append(
                Finding(
                    reason=f"the task lasts {duration_text(duration)}, "
                    f"over the limit of {duration_text(limit)}",
                    addresses=(change.address,),
                )
            )
    return findings


def critical_path_growth(plan: Plan, settings: CriticalPathRule, now: datetime) -> list[Finding]:
    findings = []
    for runbook in _runbooks(plan):
        before, after = runbook.schedule_before, runbook.schedule_after
        if before is None or after is None or before.critical_path_seconds <= 0:
            continue
        grown = after.critical_path_seconds - before.critical_path_seconds
        share = 100.0 * grown / before.critical_path_seconds
        if share > settings.percent:
            findings.append(
                Finding(
                    reason=f"the critical path grows by {share:.0f}% "
                    f"({duration_text(before.critical_path_seconds)} to "
                    f"{duration_text(after.critical_path_seconds)}; limit {settings.percent:g}%)",
                    addresses=(runbook.address,),
                )
            )
    return findings


def freeze_window(plan: Plan, settings: FreezeWindowRule, now: datetime) -> list[Finding]:
    window = timedelta(seconds=settings.before)
    findings = []
    for runbook in _runbooks(plan):
        if not any(c.action is not Action.NOOP for c in runbook.changes):
            continue
        for start in _starts(runbook):
            if start - window <= now < start:
                findings.append(
                    Finding(
                        reason=f"the runbook starts at {start.isoformat()}: no change within "
                        f"{duration_text(settings.before)} of its scheduled start",
                        addresses=(runbook.address,),
                    )
                )
                break
    return findings


def _starts(runbook: RunbookPlan) -> list[datetime]:
    """The runbook's scheduled start, live and as planned: from its schedules, and from the
    runbook change itself (an archive has no schedule, but its `before` holds the start)."""
    texts = [s.start_scheduled for s in (runbook.schedule_before, runbook.schedule_after) if s]
    for change in runbook.changes:
        if change.kind == Kind.RUNBOOK:
            texts += [
                (values or {}).get("start_scheduled") for values in (change.before, change.after)
            ]
    return [moment for text in texts if (moment := _when(text)) is not None]


def _when(text: object) -> datetime | None:
    if not isinstance(text, str) or not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else None  # Cutover's times carry their offset


RULES = (
    Rule("task_assignee", "Every new task has an assignee.", task_assignee),
    Rule("runbook_approval", "Every runbook has an approval task.", runbook_approval),
    Rule("keep_level_1", "No level_1 task is deleted.", keep_level_1),
    Rule("task_duration", "No task is longer than the limit.", task_duration),
    Rule("critical_path_growth", "The critical path grows within the limit.", critical_path_growth),
    Rule("freeze_window", "No change just before a runbook's scheduled start.", freeze_window),
)


def builtin_outcomes(plan: Plan, settings: PolicySettings, now: datetime) -> list[PolicyOutcome]:
    """Each rule switched on, checked; then the delete limit, as the plan was made with it."""
    outcomes = []
    for rule in RULES:
        rule_settings = getattr(settings, rule.name)
        if rule_settings.severity == "off":
            continue
        outcomes.append(
            PolicyOutcome(
                name=rule.name,
                severity=Severity(rule_settings.severity),
                description=rule.description,
                findings=tuple(rule.check(plan, rule_settings, now)),
            )
        )
    if settings.delete_limit.enabled:
        outcomes.append(delete_limit_outcome(plan))
    return outcomes


def delete_limit_outcome(plan: Plan) -> PolicyOutcome:
    """The delete limit: checked when the plan is made (`--allow-deletes` lifts it there), so a
    saved plan carries its verdict as `blocked`; shown as the Blocked banner, exit code 3."""
    findings = (Finding(reason=plan.blocked),) if plan.blocked else ()
    return PolicyOutcome(
        name="delete_limit",
        severity=Severity.CRITICAL,
        description="No more deletions than delete_limit_count and delete_limit_percent.",
        findings=findings,
    )
