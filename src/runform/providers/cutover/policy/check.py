"""Checking a plan against the project's policies: the built-in rules, then its Rego files.

Run when a plan is made, again before a saved plan is applied (with the settings and policy
files of that moment: a freeze window may have begun since), and by `runform policy check`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from runform.core.model import Plan
from runform.core.policy import SEVERITY_ORDER, PolicyOutcome, policy_files
from runform.errors import PolicyError
from runform.providers.cutover.definitions.project import ProjectConfig
from runform.providers.cutover.policy.builtin import RULES, builtin_outcomes
from runform.text.safe import shown


def check_policies(plan: Plan, project: ProjectConfig, now: datetime | None = None) -> Plan:
    """The plan with `policies` set to every policy's outcome (failed or passed)."""
    return plan.model_copy(update={"policies": policy_outcomes(plan, project, now)})


def policy_outcomes(
    plan: Plan, project: ProjectConfig, now: datetime | None = None
) -> list[PolicyOutcome]:
    moment = now or datetime.now(UTC)
    outcomes = builtin_outcomes(plan, project.policies, moment)
    files = policy_files(project.policies.dir)
    if files:  # regopy, and the plan's JSON, only when there is a policy to read them
        from runform.core.rego import evaluate, read_policy

        policies = [read_policy(path) for path in files]
        _check_names_unique(policies)
        outcomes += evaluate(policies, policy_input(plan))
    # Grouped by severity, most severe first (a stable sort: rules keep their order).
    return sorted(outcomes, key=lambda outcome: SEVERITY_ORDER.index(outcome.severity))


def _check_names_unique(policies: list[Any]) -> None:
    """A policy's name is what `--override-policy` names: two policies may not share one."""
    taken = {rule.name: "a built-in rule" for rule in RULES} | {"delete_limit": "a built-in rule"}
    for policy in policies:
        if policy.name in taken:
            raise PolicyError(
                f"{policy.path}:1:1: the policy name {shown(policy.name)} is already "
                f"{taken[policy.name]}'s: give it another (`custom: name:` in its # METADATA)"
            )
        taken[policy.name] = policy.path


def policy_input(plan: Plan) -> dict[str, Any]:
    """What a Rego policy reads as `input`: the JSON plan (docs/plan-format.md) without what
    only apply needs (`fingerprint`, each root's `live_ids`) or the outcomes themselves."""
    document = plan.model_dump(mode="json", exclude={"fingerprint", "policies"})
    for root in document["roots"]:
        root.pop("live_ids", None)
    return document
