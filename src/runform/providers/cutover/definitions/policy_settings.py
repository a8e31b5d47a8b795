"""runform.yaml `policies:`: the built-in rules (each switchable off) and where Rego files are.

Every built-in rule but the delete limit is off until the project names a severity for it:
a project that says nothing keeps today's plans and applies.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from runform.providers.cutover.definitions.fieldtypes import Duration, Text
from runform.providers.cutover.definitions.models import Spec

RuleSeverity = Literal["critical", "warning", "advisory", "off"]
DEFAULT_POLICY_DIR = "policies"


class RuleSettings(Spec):
    """A built-in rule: its severity, or `off`."""

    severity: RuleSeverity = Field(
        default="off", description="critical, warning, advisory, or off (the default)."
    )


class ApprovalRule(RuleSettings):
    task_type: Text = Field(
        default="Approval", description="The task type every runbook must have a task of."
    )


class TaskDurationRule(RuleSettings):
    max: Duration = Field(default=8 * 3600, description="The longest a task may be (e.g. 8h).")


class CriticalPathRule(RuleSettings):
    percent: float = Field(
        default=10, ge=0, description="How much a runbook's critical path may grow, in percent."
    )


class FreezeWindowRule(RuleSettings):
    before: Duration = Field(
        default=24 * 3600,
        description="How long before a runbook's start_scheduled no change to it is allowed.",
    )


class DeleteLimitRule(Spec):
    """The delete limit keeps its own behaviour (Blocked, exit 3, --allow-deletes); the
    limits themselves are runform.yaml's delete_limit_count and delete_limit_percent."""

    enabled: bool = Field(default=True, description="false: no delete limit at all.")


class PolicySettings(Spec):
    """Policies checked against every plan and again before apply (docs/design.md, Policies)."""

    dir: Text = Field(
        default=DEFAULT_POLICY_DIR,
        description="Directory of Rego policy files (*.rego), relative to runform.yaml.",
    )
    task_assignee: RuleSettings = Field(
        default_factory=RuleSettings, description="Every new task has an assignee."
    )
    runbook_approval: ApprovalRule = Field(
        default_factory=ApprovalRule, description="Every runbook has a task of `task_type`."
    )
    keep_level_1: RuleSettings = Field(
        default_factory=RuleSettings, description="No level_1 task is deleted."
    )
    task_duration: TaskDurationRule = Field(
        default_factory=TaskDurationRule, description="No task is longer than `max`."
    )
    critical_path_growth: CriticalPathRule = Field(
        default_factory=CriticalPathRule,
        description="A runbook's critical path grows by at most `percent`.",
    )
    freeze_window: FreezeWindowRule = Field(
        default_factory=FreezeWindowRule,
        description="No change to a runbook within `before` of its start_scheduled.",
    )
    delete_limit: DeleteLimitRule = Field(
        default_factory=DeleteLimitRule, description="The delete safety limit."
    )
