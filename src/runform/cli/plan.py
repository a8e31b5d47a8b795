"""`runform plan`: show what would change in Cutover; optionally save the plan for apply."""

from __future__ import annotations

import asyncio
import sys
from typing import Any

import click

from runform.cli import common, dispatch
from runform.cli.connection import connection_options
from runform.cli.show import FORMATS, emit
from runform.errors import RunformError

BLOCKED_EXIT_CODE = 3  # the plan passes a safety limit (docs/design.md, README)


@click.command("plan")
@connection_options
@common.file_options
@click.option(
    "-o", "--out", "-out", "out", type=click.Path(dir_okay=False), help="Save the plan here."
)
@click.option("--format", "-format", "output_format", type=click.Choice(FORMATS), default="text")
@click.option("--json", "-json", "as_json", is_flag=True, help="The same as --format json.")
@click.option(
    "--detailed-exitcode",
    "-detailed-exitcode",
    is_flag=True,
    help="Exit 0 with no changes, 2 with changes, 1 on error (3, always, when the plan is "
    "blocked by a safety limit).",
)
@common.selection_options
@click.option(
    "--base",
    "-base",
    metavar="REF",
    help="Git revision whose runbook files are the base: each field change is then the "
    "files', Cutover's (drift) or both (a conflict). Default: runform.yaml `base:`, or in CI "
    "the change's merge-base; without one, no drift is claimed.",
)
@click.option("--forecast", is_flag=True, help="Read each runbook's tasks in one response.")
@click.option("--stats", is_flag=True, help="Print request counts per endpoint (stderr).")
def command(
    paths: tuple[str, ...],
    variables: tuple[str, ...],
    var_files: tuple[str, ...],
    out: str | None,
    output_format: str,
    as_json: bool,
    detailed_exitcode: bool,
    targets: tuple[str, ...],
    excludes: tuple[str, ...],
    allow_deletes: bool,
    base: str | None,
    forecast: bool,
    stats: bool,
) -> None:
    """Compare runbook files (PATHS, default: the project's) with Cutover and show the changes."""
    if as_json:
        output_format = "json"
    handed = dispatch.handoff(paths)
    if handed is not None:
        if variables or var_files or targets or excludes or base or forecast or stats:
            raise RunformError(
                f"--var, --var-file, --target, --exclude, --base, --forecast and --stats are "
                f"for runbook files, not {handed.provider.name} files"
            )
        sys.exit(
            handed.module.cli_plan(
                handed.files,
                out=out,
                output_format=output_format,
                detailed_exitcode=detailed_exitcode,
                allow_deletes=allow_deletes,
                **handed.options(),
            )
        )
    request = common.planning_request(
        paths=paths,
        variables=variables,
        var_files=var_files,
        targets=targets,
        excludes=excludes,
        allow_deletes=allow_deletes,
        forecast=forecast,
        base=base,
    )
    settings = common.api_settings(request)
    common.announce_target(settings)
    plan = asyncio.run(_plan(settings, request, stats))
    if out:
        from runform.providers.cutover.plan.planfile import save_plan

        save_plan(plan, out)
    emit(plan, output_format)
    if out:
        click.echo(f"Saved the plan to {out}; apply it with `runform apply {out}`.", err=True)
    if plan.blocked:
        # Shown in full above; its own code, so CI can tell "blocked" from "broken" (1) and
        # from "changes" (2).
        click.echo(f"Error: the plan is blocked: {plan.blocked}", err=True)
        sys.exit(BLOCKED_EXIT_CODE)
    if detailed_exitcode and plan.has_changes:
        sys.exit(2)


async def _plan(settings: Any, request: common.PlanningRequest, stats: bool) -> Any:
    from runform.providers.cutover.api import open_client

    async with open_client(settings) as client:
        try:
            plan, _ = await common.make_plan(client, request)
        finally:
            if stats:
                common.print_stats(client)
    return plan
