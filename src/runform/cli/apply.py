"""`runform apply`: plan, show, confirm, apply; or apply a saved plan after a freshness check."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from runform.cli import common, dispatch
from runform.cli.connection import connection_options, make_console, no_color_requested
from runform.core.lock import apply_lock
from runform.errors import RunformError
from runform.providers.cutover.definitions.durations import parse_duration
from runform.text.safe import safe_line, shown

PLANFILE_SUFFIXES = (".json", ".plan", ".tfplan")


@click.command("apply")
@connection_options
@common.file_options
@click.option(
    "--auto-approve", "-auto-approve", is_flag=True, help="Apply without asking for `yes`."
)
@click.option(
    "--parallelism",
    "-parallelism",
    type=click.IntRange(1, 100),
    default=None,
    help="Calls in flight at once (default: runform.yaml, else 10).",
)
@common.selection_options
@click.option("--stats", is_flag=True, help="Print request counts per endpoint (stderr).")
@click.option(
    "--lock-timeout",
    "-lock-timeout",
    default="0s",
    show_default=True,
    metavar="DURATION",
    help="How long to wait for another apply of this project to finish (e.g. 30s, 5m).",
)
@click.option(
    "--reviewed-digest",
    "-reviewed-digest",
    metavar="DIGEST",
    help="Apply only when the plan's changes digest is DIGEST, the one of the plan a reviewer "
    "saw (the JSON plan's `changes_digest`, hidden in the Markdown plan); else refuse, "
    "writing nothing.",
)
def command(
    paths: tuple[str, ...],
    variables: tuple[str, ...],
    var_files: tuple[str, ...],
    auto_approve: bool,
    parallelism: int | None,
    targets: tuple[str, ...],
    excludes: tuple[str, ...],
    allow_deletes: bool,
    stats: bool,
    lock_timeout: str,
    reviewed_digest: str | None,
) -> None:
    """Make the changes a plan shows. PATHS are runbook files (default: the project's) or one
    saved plan."""
    saved = _saved_plan_path(paths)
    handed = dispatch.saved_plan_handoff(saved) if saved is not None else dispatch.handoff(paths)
    if handed is not None:
        if variables or var_files or targets or excludes or stats:
            raise RunformError(
                f"--var, --var-file, --target, --exclude and --stats are for runbook files, "
                f"not {handed.provider.name} files"
            )
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
    if saved is not None and (variables or var_files or targets or excludes or allow_deletes):
        raise RunformError(
            "a saved plan is applied exactly as planned: --var, --var-file, --target, "
            "--exclude and --allow-deletes belong to `runform plan --out`"
        )
    if saved is None and not auto_approve and not sys.stdin.isatty():
        raise RunformError(
            "apply asks for `yes` on a terminal, but stdin is not a TTY: pass --auto-approve "
            "to apply without asking (e.g. in CI), or apply a saved plan file"
        )
    try:
        wait = parse_duration(lock_timeout)
    except ValueError as err:
        raise click.UsageError(f"-lock-timeout: {err}") from None
    # Held from before the plan: a second apply plans after this one, and finds what it made.
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
            )
        console = make_console()
        code = asyncio.run(
            _apply(
                console,
                saved,
                request,
                auto_approve=auto_approve,
                parallelism=parallelism,
                stats=stats,
                reviewed_digest=reviewed_digest,
            )
        )
    sys.exit(code)


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
    *,
    auto_approve: bool,
    parallelism: int | None,
    stats: bool,
    reviewed_digest: str | None = None,
) -> int:
    from runform.cli.plan import BLOCKED_EXIT_CODE
    from runform.core.interrupt import exit_code
    from runform.core.result import ApplyResult
    from runform.providers.cutover.api import open_client
    from runform.providers.cutover.apply import choose_progress
    from runform.providers.cutover.definitions import load_project
    from runform.providers.cutover.operations import read_saved_plan, run_apply
    from runform.render import render_text

    settings = common.api_settings(request)
    project = request.project if request is not None else load_project()
    chosen = parallelism or project.parallelism
    if chosen:
        # --parallelism is the number of calls in flight: the client's limiter must allow it.
        settings = settings.model_copy(update={"max_concurrency": chosen})
    parallelism = chosen or settings.max_concurrency
    common.announce_target(settings, console)
    async with open_client(settings) as client:
        replan = None
        if saved is not None:
            plan, lookups = await read_saved_plan(client, saved)
            console.print(f"Applying the saved plan {saved} (the live state still matches it).")
        else:
            plan, lookups = await common.make_plan(client, request)
            render_text(plan, console)
            replan = common.replanner(client, request)
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
            return 1
        if plan.blocked:
            console.print(
                f"Error: the plan is blocked: {shown(plan.blocked, 600)}; nothing was applied.",
                style="red",
                markup=False,
            )
            return BLOCKED_EXIT_CODE
        if not plan.has_changes:
            if saved is not None:
                console.print("No changes in the saved plan.")
            console.print(ApplyResult().summary_line(), style="green")
            return 0
        if saved is None and not auto_approve:
            refused = _refused(console, plan.target)
            if refused is not None:
                console.print("Apply cancelled.")
                return refused
        progress = choose_progress(sys.stderr, no_color=no_color_requested())
        result = await run_apply(
            client,
            plan,
            lookups,
            parallelism=parallelism,
            progress=progress,
            replan=replan,
            state_dir=common.state_dir(),
        )
        _report(console, result, plan.target)
        if stats:
            common.print_stats(client)
        return exit_code(result)


def _refused(console: Console, target: str) -> int | None:
    """Ask for `yes`: None to go ahead, else the exit code (1 for any other answer, 130 for
    Ctrl-C).

    The prompt blocks the event loop, so asyncio's own Ctrl-C handling (cancel the main task)
    would only act after an answer, and then in the middle of the apply. While it waits,
    Ctrl-C interrupts the prompt itself.
    """
    console.print(
        f"Do you want to make these changes in {shown(target)}? Only `yes` is accepted.",
        markup=False,
    )
    with _interruptible_prompt():
        try:
            answer = click.prompt("Enter a value", default="", show_default=False)
        except click.Abort:
            console.print()
            return 130
    return None if answer.strip() == "yes" else 1


@contextlib.contextmanager
def _interruptible_prompt() -> Iterator[None]:
    """Python's own SIGINT handling (KeyboardInterrupt) for the duration of the block."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _report(console: Console, result: Any, target: str) -> None:
    """The summary line (naming the target), and on failure exactly what did and did not
    happen."""
    style = "green" if result.ok else "red"
    console.print(f"{result.summary_line()} Target: {shown(target)}.", style=style, markup=False)
    if result.ok:
        return
    for failure in result.failed:
        line = safe_line(f"  failed: {failure.address}: {failure.message}")
        console.print(line, style="red", markup=False)
    for address in result.uncertain:
        line = safe_line(f"  unknown outcome (re-run apply to settle it): {address}")
        console.print(line, markup=False)
    if result.not_attempted:
        listed = ", ".join(result.not_attempted[:5])
        more = f" and {len(result.not_attempted) - 5} more" if len(result.not_attempted) > 5 else ""
        console.print(safe_line(f"  not attempted: {listed}{more}"), markup=False)
    console.print(f"  {len(result.done)} changes were made; see the journal {result.journal_path}")
    console.print("  Running apply again continues from the live state, without duplicates.")
