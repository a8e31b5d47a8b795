"""`runform policy check PLANFILE`, and the policy gate `plan` and `apply` share.

Policies are checked when a plan is made, and again before apply (with the settings and
policy files of that moment). `critical`: plan exits POLICY_EXIT_CODE and apply refuses;
`warning`: apply refuses unless `--override-policy NAME --reason TEXT` (journaled);
`advisory`: shown only. The delete limit keeps its own code (3) and flag (--allow-deletes).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

import click

from runform.core.policy import POLICY_EXIT_CODE, Severity, failed, unresolved
from runform.errors import RunformError
from runform.text.safe import safe_line, shown

BLOCKED_EXIT_CODE = 3  # the delete limit (runform.cli.plan)
FORMATS = ("text", "json")


def override_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """`--override-policy NAME` and `--reason TEXT`, repeatable, paired in order."""
    function = click.option(
        "--reason",
        "-reason",
        "reasons",
        multiple=True,
        metavar="TEXT",
        help="Why the policy of the --override-policy in the same position is overridden.",
    )(function)
    return click.option(
        "--override-policy",
        "-override-policy",
        "override_policies",
        multiple=True,
        metavar="NAME",
        help="Apply despite this failed warning policy (repeatable; each needs a --reason).",
    )(function)


def overrides_from(names: tuple[str, ...], reasons: tuple[str, ...]) -> dict[str, str]:
    """Policy name → reason; every override needs its own non-empty reason."""
    if len(names) != len(reasons):
        raise click.UsageError(
            f"{len(names)} --override-policy and {len(reasons)} --reason: give one "
            "--reason after each --override-policy NAME"
        )
    overrides: dict[str, str] = {}
    for name, reason in zip(names, reasons, strict=True):
        if not reason.strip():
            raise click.UsageError(f"--reason for {shown(name)} is empty: say why")
        if name in overrides:
            raise click.UsageError(f"--override-policy {shown(name)} is given twice")
        overrides[name] = reason.strip()
    return overrides


def gate(plan: Any, overrides: dict[str, str], say: Callable[[str], None]) -> int | None:
    """Whether apply may go ahead: None, else the exit code, after saying why not.

    An override must name a policy that was checked, and never a critical one.
    """
    checked = {o.name: o for o in plan.policies}
    for name in overrides:
        outcome = checked.get(name)
        if outcome is None:
            known = ", ".join(sorted(checked)) or "none"
            raise RunformError(
                f"--override-policy {shown(name)}: no such policy was checked (checked: {known})"
            )
        if outcome.severity is Severity.CRITICAL:
            raise RunformError(
                f"--override-policy {shown(name)}: a critical policy cannot be overridden"
            )
    critical, warnings = unresolved(plan.policies, overrides)
    critical = [name for name in critical if name != "delete_limit"]  # shown as Blocked
    if critical:
        say(f"Error: the plan fails critical policies: {_names(critical)}; nothing was applied.")
        return POLICY_EXIT_CODE
    if warnings:
        pairs = " ".join(f'--override-policy {name} --reason "..."' for name in warnings)
        say(
            f"Error: the plan fails warning policies: {_names(warnings)}; nothing was applied. "
            f"To apply anyway, say why: {pairs}"
        )
        return POLICY_EXIT_CODE
    return None


def journaled_overrides(plan: Any, overrides: dict[str, str]) -> list[dict[str, str]]:
    """The overrides that let a failed warning through, as journal entries."""
    used = failed(plan.policies, Severity.WARNING)
    return [
        {"event": "policy_override", "policy": name, "reason": reason}
        for name, reason in overrides.items()
        if name in used
    ]


def _names(names: list[str]) -> str:
    return ", ".join(shown(name, 200) for name in names)


@click.group("policy")
def command() -> None:
    """Check plans against the project's policies (runform.yaml `policies:`, policies/*.rego)."""


@command.command("check")
@click.argument("planfile", type=click.Path(dir_okay=False))
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text")
def check(planfile: str, output_format: str) -> None:
    """Check a plan saved by `runform plan --out FILE` against the policies as they are now.

    Exit 0 when no critical policy fails, 3 when the plan is blocked by the delete limit,
    4 when a critical policy fails.
    """
    from runform.providers.cutover.definitions import load_project
    from runform.providers.cutover.policy.check import check_policies
    from runform.providers.registry import load_plan

    plan = check_policies(load_plan(planfile), load_project())
    if output_format == "json":
        document = {
            "plan": planfile,
            "policies": [o.model_dump(mode="json") for o in plan.policies],
            "failed": {s.value: failed(plan.policies, s) for s in Severity},
        }
        click.echo(json.dumps(document, indent=2, ensure_ascii=False), file=sys.stdout)
    else:
        _print_text(plan)
    if plan.blocked:
        sys.exit(BLOCKED_EXIT_CODE)
    if failed(plan.policies, Severity.CRITICAL):
        sys.exit(POLICY_EXIT_CODE)


def _print_text(plan: Any) -> None:
    from runform.render.policies import failed_groups, finding_lines, heading, summary

    if plan.blocked:
        click.echo(safe_line(f"Blocked: {shown(plan.blocked, 600)}"))
    for group in failed_groups(plan.policies):
        for outcome in group.outcomes:
            click.echo(safe_line(f"Policy {group.severity.value}: {heading(outcome)}"))
            for line in finding_lines(outcome):
                click.echo(safe_line(f"  {line}"))
    if not plan.policies:
        click.echo("No policies are checked: none are configured.")
    else:
        click.echo(summary(plan.policies))
