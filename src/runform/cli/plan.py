"""`runform plan`: show what would change in Cutover; optionally save the plan for apply."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from runform.cli import common
from runform.cli.connection import connection_options
from runform.cli.show import FORMATS, emit
from runform.errors import RunformError

if TYPE_CHECKING:
    from runform.core.steps import Steps

BLOCKED_EXIT_CODE = 3  # the plan passes a safety limit (docs/design.md, README)
# 4: a critical policy fails (runform.core.policy.POLICY_EXIT_CODE, docs/design.md Policies).


def planning_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """The options a plan is made from: PATHS, variables, selection, `--base`, `--forecast`,
    `--stats`; for `plan` and for the commands that draw a plan (`graph`)."""
    function = click.option(
        "--stats", is_flag=True, help="Print request counts per endpoint (stderr)."
    )(function)
    function = click.option(
        "--forecast", is_flag=True, help="Read each runbook's tasks in one response."
    )(function)
    function = click.option(
        "--base",
        "-base",
        metavar="REF",
        help="Git revision whose runbook files are the base: each field change is then the "
        "files', Cutover's (drift) or both (a conflict). Default: runform.yaml `base:`, or in CI "
        "the change's merge-base; without one, no drift is claimed.",
    )(function)
    function = common.parallelism_option("Reads")(function)
    function = common.selection_options(function)
    return connection_options(common.file_options(function))


def make_plan(
    stats: bool, parallelism: int | None = None, **options: Any
) -> tuple[Any, common.PlanningRequest]:
    """The plan of `planning_options` against Cutover (or the sandbox, announced), reading at
    most `parallelism` requests at once; `options` are what `common.planning_request` takes
    (PATHS, variables, selection, base)."""
    from runform import aio  # here, not at the top: `runform plan --help` does not pay for it
    from runform.cli.reading_ahead import before_loading, request_record

    early = before_loading(options, parallelism)
    if early is not None:  # the last plan's reads go out while the files load
        settings, record, reads = early
        common.announce_target(settings)
        files = common.planning_steps(**options)
        return aio.run(_plan(settings, record, reads, stats, files))
    request = common.planning_request(**options)
    settings = common.in_flight(common.api_settings(request), request.project, parallelism)
    common.announce_target(settings)
    record = request_record(settings, request)
    return aio.run(_plan(settings, record, record.load(), stats, request))


@click.command("plan")
@planning_options
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
    "blocked by a safety limit; 4, always, when a critical policy fails).",
)
def command(
    out: str | None,
    output_format: str,
    as_json: bool,
    detailed_exitcode: bool,
    **planning: Any,
) -> None:
    """Compare runbook files (PATHS, default: the project's) with Cutover and show the changes."""
    if as_json:
        output_format = "json"
    # Imported here, not at the top: `runform plan --help` pays for none of it.
    from runform.cli import dispatch

    handed = dispatch.handoff(planning["paths"])
    if handed is not None:
        _hand_off(handed, planning, out, output_format, detailed_exitcode)
    plan, request = make_plan(**planning)
    # Imported once the plan is made: its reads need none of these.
    from runform.core.policy import POLICY_EXIT_CODE, Severity, failed
    from runform.text.safe import safe_line

    if out:
        from runform.providers.cutover.plan.planfile import save_plan

        save_plan(plan, out)
    emit(plan, output_format, graphs=request.project.markdown.graph)
    if out:
        click.echo(f"Saved the plan to {out}; apply it with `runform apply {out}`.", err=True)
    if plan.blocked:
        # Shown in full above; its own code, so CI can tell "blocked" from "broken" (1) and
        # from "changes" (2).
        click.echo(f"Error: the plan is blocked: {plan.blocked}", err=True)
        sys.exit(BLOCKED_EXIT_CODE)
    critical = [n for n in failed(plan.policies, Severity.CRITICAL) if n != "delete_limit"]
    if critical:
        click.echo(
            f"Error: the plan fails critical policies: {safe_line(', '.join(critical))}", err=True
        )
        sys.exit(POLICY_EXIT_CODE)
    if detailed_exitcode and plan.has_changes:
        sys.exit(2)


def _hand_off(
    handed: Any, planning: dict[str, Any], out: str | None, output_format: str, detailed: bool
) -> None:
    """Files of a provider with its own frontend (Cycloid): its plan, its exit code."""
    runbook_only = ("variables", "var_files", "targets", "excludes", "base", "forecast", "stats")
    if any(planning.get(name) for name in runbook_only):
        raise RunformError(
            "--var, --var-file, --target, --exclude, --base, --forecast and --stats are for "
            f"runbook files, not {handed.provider.name} files"
        )
    sys.exit(
        handed.module.cli_plan(
            handed.files,
            out=out,
            output_format=output_format,
            detailed_exitcode=detailed,
            allow_deletes=planning["allow_deletes"],
            parallelism=planning["parallelism"],
            **handed.options(),
        )
    )


async def _plan(
    settings: Any,
    record: Any,
    reads: list[str],
    stats: bool,
    files: common.PlanningRequest | Steps[common.PlanningRequest],
) -> tuple[Any, common.PlanningRequest]:
    """The plan, its reads started at once from what the last plan of these files read
    (`reads`, from `record`: `cli.reading_ahead`), and this plan's reads recorded there for
    the next. `files` is
    the request loaded, or its loading as steps: run between the answers to those reads."""
    from runform.cli.reading_ahead import print_read_ahead
    from runform.core.steps import between_callbacks
    from runform.providers.cutover.api import open_client

    request = files if isinstance(files, common.PlanningRequest) else None
    async with open_client(settings) as client:
        ahead = client.read_ahead_from(reads)
        kept = None
        try:
            if not isinstance(files, common.PlanningRequest):
                request = await between_callbacks(files)
            assert request is not None  # `files` was the request, or the steps that load it
            kept = common.kept_diffs()  # imported after the reads made ahead have started
            plan, _ = await common.make_plan(client, request, kept)
            record.save(ahead.recorded)
        finally:
            await ahead.discard()
            if stats:
                common.print_stats(client, kept, request.trees if request else None)
                print_read_ahead(ahead)
    return plan, request
