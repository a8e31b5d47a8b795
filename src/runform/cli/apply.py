"""`runform apply`: plan, show, confirm, apply; or apply a saved plan after a freshness check."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from runform import aio
from runform.cli import common, dispatch
from runform.cli.apply_json import JSON_NEEDS_APPROVAL, announce_plan, write_summary
from runform.cli.apply_terminal import print_error, print_policies, print_report, refused_at_prompt
from runform.cli.connection import connection_options, make_console, no_color_requested
from runform.cli.policy import gate, journaled_overrides, override_options, overrides_from
from runform.core.events import JsonProgress
from runform.core.lock import apply_lock, target_lock
from runform.errors import RunformError
from runform.providers.cutover.definitions.durations import parse_duration
from runform.text.safe import shown

PLANFILE_SUFFIXES = (".json", ".plan", ".tfplan")


def approval_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """`--auto-approve`: for commands that ask for `yes` before they write."""
    return click.option(
        "--auto-approve", "-auto-approve", is_flag=True, help="Apply without asking for `yes`."
    )(function)


def run_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """`--parallelism`, `--stats`, `--lock-timeout`, `--json`, `--reviewed-digest` and
    `--message`: how a run of writes is made, reported and recorded."""
    function = click.option(
        "--json",
        "-json",
        "as_json",
        is_flag=True,
        help="One JSON object per line on stdout: each change as it starts and ends, retries, "
        "notes, and last a summary (needs -auto-approve or a saved plan).",
    )(function)
    function = click.option(
        "--message",
        "-message",
        default=None,
        metavar="TEXT",
        help="Why this apply is made: kept in the journal (`runform log`) and the runbooks' "
        "comments (default: the plan's digest).",
    )(function)
    function = click.option(
        "--reviewed-digest",
        "-reviewed-digest",
        metavar="DIGEST",
        help="Apply only when the plan's changes digest is DIGEST, the one of the plan a "
        "reviewer saw (the JSON plan's `changes_digest`, hidden in the Markdown plan); else "
        "refuse, writing nothing.",
    )(function)
    function = click.option(
        "--lock-timeout",
        "-lock-timeout",
        default="0s",
        show_default=True,
        metavar="DURATION",
        help="How long to wait for another apply of this project, or to the same Cutover "
        "from this machine, to finish (e.g. 30s, 5m).",
    )(function)
    function = click.option(
        "--stats", is_flag=True, help="Print request counts per endpoint (stderr)."
    )(function)
    return common.parallelism_option("Calls")(function)


@click.command("apply")
@connection_options
@common.file_options
@approval_options
@common.selection_options
@override_options
@run_options
def command(
    paths: tuple[str, ...],
    variables: tuple[str, ...],
    var_files: tuple[str, ...],
    auto_approve: bool,
    parallelism: int | None,
    targets: tuple[str, ...],
    excludes: tuple[str, ...],
    allow_deletes: bool,
    override_policies: tuple[str, ...],
    reasons: tuple[str, ...],
    stats: bool,
    lock_timeout: str,
    reviewed_digest: str | None,
    message: str | None,
    as_json: bool,
) -> None:
    """Make the changes a plan shows. PATHS are runbook files (default: the project's) or one
    saved plan."""
    saved = _saved_plan_path(paths)
    if saved is not None and (variables or var_files or targets or excludes or allow_deletes):
        raise RunformError(
            "a saved plan is applied exactly as planned: --var, --var-file, --target, "
            "--exclude and --allow-deletes belong to `runform plan --out`"
        )
    handed = dispatch.saved_plan_handoff(saved) if saved is not None else dispatch.handoff(paths)
    if handed is not None:
        runbook_only = (variables, var_files, targets, excludes, stats, as_json, message)
        if any(runbook_only) or override_policies:
            raise RunformError(
                "--var, --var-file, --target, --exclude, --stats, --json, --message and "
                f"--override-policy are for runbook files, not {handed.provider.name} files"
            )
        _hand_off(handed, saved, lock_timeout, auto_approve, allow_deletes, parallelism,
                  reviewed_digest)  # fmt: skip
    run(
        saved,
        paths,
        variables,
        var_files,
        targets,
        excludes,
        allow_deletes=allow_deletes,
        auto_approve=auto_approve,
        parallelism=parallelism,
        stats=stats,
        lock_timeout=lock_timeout,
        reviewed_digest=reviewed_digest,
        message=message,
        overrides=overrides_from(override_policies, reasons),
        as_json=as_json,
    )


def run(
    saved: Path | None,
    paths: tuple[str, ...],
    variables: tuple[str, ...],
    var_files: tuple[str, ...],
    targets: tuple[str, ...],
    excludes: tuple[str, ...],
    *,
    allow_deletes: bool,
    auto_approve: bool,
    parallelism: int | None,
    stats: bool,
    lock_timeout: str,
    reviewed_digest: str | None = None,
    message: str | None = None,
    destroy: bool = False,
    overrides: dict[str, str] | None = None,
    as_json: bool = False,
) -> None:
    """Plan (or read the saved plan), show, confirm and apply under the project's apply lock;
    exits with the run's code. `destroy` plans archiving every runbook the files name;
    `overrides` are the failed warning policies to go ahead despite (name → reason)."""
    if as_json and saved is None and not auto_approve:
        raise RunformError(JSON_NEEDS_APPROVAL)
    if saved is None and not auto_approve and not sys.stdin.isatty():
        raise RunformError(
            f"{'destroy' if destroy else 'apply'} asks for `yes` on a terminal, but stdin is "
            "not a TTY: pass --auto-approve to apply without asking (e.g. in CI)"
            + ("" if destroy else ", or apply a saved plan file")
        )
    if message is not None and not message.strip():
        raise click.UsageError("--message: give a reason, or leave the option out")
    try:
        wait = parse_duration(lock_timeout)
    except ValueError as err:
        raise click.UsageError(f"-lock-timeout: {err}") from None
    # Held from before the plan: a second apply plans after this one, and finds what it made.
    # The project's lock, then the target's: another clone applying to the same Cutover from
    # this machine waits (or refuses) just the same.
    with apply_lock(common.state_dir(), wait):
        request = None
        if saved is None:
            request = common.planning_request(
                paths=paths,
                variables=variables,
                var_files=var_files,
                targets=targets,
                excludes=excludes,
                allow_deletes=allow_deletes,
                destroy=destroy,
            )
        settings = common.api_settings(request)
        with target_lock(*lock_target(settings), wait):
            # With --json, stdout holds JSON lines only: every word for people goes to stderr.
            console = make_console(stderr=True) if as_json else make_console()
            reporter = JsonProgress(sys.stdout) if as_json else None
            code = aio.run(
                _apply(console, saved, request, settings, auto_approve=auto_approve,
                       parallelism=parallelism, stats=stats, reviewed_digest=reviewed_digest,
                       message=message, overrides=overrides or {}, reporter=reporter)
            )  # fmt: skip
    sys.exit(code)


def _hand_off(
    handed: Any,
    saved: Path | None,
    lock_timeout: str,
    auto_approve: bool,
    allow_deletes: bool,
    parallelism: int | None,
    reviewed_digest: str | None,
) -> None:
    """Files (or a saved plan) of a provider with its own frontend (Cycloid), under the
    project's apply lock; exits with its code."""
    try:
        wait = parse_duration(lock_timeout)
    except ValueError as err:
        raise click.UsageError(f"-lock-timeout: {err}") from None
    with apply_lock(common.state_dir(), wait):
        sys.exit(
            handed.module.cli_apply(
                handed.files,
                saved=saved,
                auto_approve=auto_approve,
                allow_deletes=allow_deletes,
                parallelism=parallelism,
                reviewed_digest=reviewed_digest,
                **handed.options(),
            )
        )


def lock_target(settings: Any) -> tuple[str, str]:
    """The target lock's key and how a refusal names it: the sandbox database's absolute
    path, or the base URL with the tenant's Core-Url (shown without any user:password)."""
    if settings.is_sandbox:
        path = str(Path(settings.sandbox_db).resolve())
        return f"sandbox:{path}", f"the local sandbox at {path}"
    import httpx

    url = httpx.URL(settings.base_url).copy_with(username=None, password=None)
    key = f"{url}|{settings.core_url or ''}"
    shown_as = f"{url} (Core-Url {settings.core_url})" if settings.core_url else str(url)
    return key, shown_as


def _saved_plan_path(paths: tuple[str, ...]) -> Path | None:
    """One argument that is a file with a plan suffix (or JSON content) is a saved plan."""
    if len(paths) != 1:
        return None
    path = Path(paths[0])
    if not path.is_file():
        return None
    if path.suffix in PLANFILE_SUFFIXES:
        return path
    with path.open("rb") as handle:
        return path if handle.read(1) == b"{" else None


async def _apply(
    console: Console,
    saved: Path | None,
    request: Any,
    settings: Any,
    *,
    auto_approve: bool,
    parallelism: int | None,
    stats: bool,
    reviewed_digest: str | None = None,
    message: str | None = None,
    overrides: dict[str, str],
    reporter: JsonProgress | None = None,
) -> int:
    from runform.cli.plan import BLOCKED_EXIT_CODE
    from runform.cli.reading_ahead import plan_recording_reads
    from runform.core.interrupt import exit_code
    from runform.core.provenance import apply_context
    from runform.core.result import ApplyResult
    from runform.providers.cutover.api import open_client
    from runform.providers.cutover.apply import choose_progress
    from runform.providers.cutover.definitions import load_project
    from runform.providers.cutover.definitions.project import project_root
    from runform.providers.cutover.operations import read_saved_plan, run_apply
    from runform.providers.cutover.policy.check import check_policies
    from runform.render import render_text

    began = time.perf_counter()
    project = request.project if request is not None else load_project()
    # --parallelism is the number of calls in flight: the client's limiter must allow it.
    settings = common.in_flight(settings, project, parallelism)
    parallelism = settings.max_concurrency
    common.announce_target(settings, console)
    async with open_client(settings) as client:
        if reporter is not None:
            client.retry_listeners.append(reporter.retry)
        replan = None
        if saved is not None:
            plan, lookups = await read_saved_plan(client, saved)
            # Checked again now: the policy files, the settings or the clock may have moved.
            plan = check_policies(plan, project)
            print_policies(console, plan)
            console.print(f"Applying the saved plan {saved} (the live state still matches it).")
        else:
            plan, lookups = await plan_recording_reads(client, settings, request)
            if reporter is None:
                render_text(plan, console)
            replan = common.replanner(client, request, lookups)
        # A plan with nothing to do writes nothing unreviewed: it passes whatever the digest.
        reviewed = reviewed_digest is None or plan.changes_digest == reviewed_digest.strip()
        if plan.has_changes and not reviewed:
            console.print(
                f"Error: this plan is not the reviewed one: its changes digest is "
                f"{plan.changes_digest}, the reviewed plan's {shown(reviewed_digest, 80)}. "
                "Cutover or the files changed since the review; nothing was applied. Plan "
                "again and have that plan reviewed.",
                style="red",
                markup=False,
            )
            if reporter is not None:
                why = f"not the reviewed plan: its changes digest is {plan.changes_digest}"
                elapsed = time.perf_counter() - began
                write_summary(reporter, None, plan.target, elapsed, why, status="refused")
            return 1
        if plan.blocked:
            console.print(
                f"Error: the plan is blocked: {shown(plan.blocked, 600)}; nothing was applied.",
                style="red",
                markup=False,
            )
            if reporter is not None:
                why = f"the plan is blocked: {plan.blocked}"
                write_summary(reporter, None, plan.target, time.perf_counter() - began, why)
            return BLOCKED_EXIT_CODE
        if reporter is not None:
            announce_plan(reporter, plan)
        if not plan.has_changes:
            if saved is not None:
                console.print("No changes in the saved plan.")
            if reporter is not None:
                elapsed = time.perf_counter() - began
                write_summary(reporter, ApplyResult(), plan.target, elapsed, "No changes.")
                return 0
            console.print(ApplyResult().summary_line(), style="green")
            return 0
        refused = gate(plan, overrides, lambda text: print_error(console, text))
        if refused is not None:
            if reporter is not None:
                why = "refused by the plan's policies"
                elapsed = time.perf_counter() - began
                write_summary(reporter, None, plan.target, elapsed, why, status="refused")
            return refused
        if saved is None and not auto_approve:
            refused = refused_at_prompt(console, plan.target)
            if refused is not None:
                console.print("Apply cancelled.")
                return refused
        progress = reporter or choose_progress(sys.stderr, no_color=no_color_requested())
        context = apply_context(
            target=plan.target,
            digest=plan.changes_digest,
            message=message,
            directory=project_root() or Path.cwd(),
            state_dir=common.state_dir(),
            plan_file=saved,
        )
        result = await run_apply(
            client,
            plan,
            lookups,
            parallelism=parallelism,
            progress=progress,
            replan=replan,
            state_dir=common.state_dir(),
            context=context,
            comment=project.apply_comments,
            entries=journaled_overrides(plan, overrides),
        )
        if reporter is not None:
            write_summary(reporter, result, plan.target, time.perf_counter() - began)
        else:
            print_report(console, result, plan.target)
        if stats:
            common.print_stats(client)
        return exit_code(result)
