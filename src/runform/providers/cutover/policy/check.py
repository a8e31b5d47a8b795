"""Checking a plan against the project's policies: the built-in rules, then its Rego files.

Run when a plan is made, again before a saved plan is applied (with the settings and policy
files of that moment: a freeze window may have begun since), and by `runform policy check`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from runform.core.model import Plan
from runform.core.policy import PolicyOutcome
from runform.providers.cutover.definitions.project import ProjectConfig
from runform.providers.cutover.policy.builtin import builtin_outcomes


def check_policies(plan: Plan, project: ProjectConfig, now: datetime | None = None) -> Plan:
    """The plan with `policies` set to every policy's outcome (failed or passed)."""
    return plan.model_copy(update={"policies": policy_outcomes(plan, project, now)})


def policy_outcomes(
    plan: Plan, project: ProjectConfig, now: datetime | None = None
) -> list[PolicyOutcome]:
    moment = now or datetime.now(UTC)
    outcomes = builtin_outcomes(plan, project.policies, moment)
    from runform.core.rego import policy_files

    files = policy_files(project.policies.dir)
    if files:  # regopy, and the plan's JSON, only when there is a policy to read them
        from runform.core.rego import evaluate, read_policy

        outcomes += evaluate([read_policy(path) for path in files], policy_input(plan))
    return outcomes


def policy_input(plan: Plan) -> dict[str, Any]:
    """What a Rego policy reads as `input`: the JSON plan (docs/plan-format.md) without what
    only apply needs (`fingerprint`, each root's `live_ids`) or the outcomes themselves."""
    document = plan.model_dump(mode="json", exclude={"fingerprint", "policies"})
    for root in document["roots"]:
        root.pop("live_ids", None)
    return document
