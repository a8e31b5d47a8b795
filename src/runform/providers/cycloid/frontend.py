"""`runform plan` and `runform apply` for Cycloid files: the same commands, on the core engine.

The CLI hands a run here when its files are Cycloid's (top-level `cycloid:`) or its saved plan
is. A plan reads the API version and each organization, diffs, orders and shows; apply does
the same, asks for `yes` (or takes `--auto-approve`), applies with a journal, and sends one
event when runform.yaml asks. A saved plan is applied only while a fresh plan makes exactly
the same changes (the same changes digest)."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import click

from runform import aio
from runform.core import planfile
from runform.core.engine import applier_for, plan_roots
from runform.core.interrupt import exit_code, run_interruptible
from runform.core.journal import Journal
from runform.core.model import Plan
from runform.core.progress import choose_progress
from runform.core.result import ApplyResult
from runform.errors import RunformError, StalePlanError
from runform.providers.cycloid.client import DEFAULT_IN_FLIGHT, CycloidClient
from runform.providers.cycloid.connect import Connection, connection, open_client, project_settings
from runform.providers.cycloid.definitions import Definitions, load_all
from runform.providers.cycloid.events import send_event
from runform.providers.cycloid.hooks import CycloidProvider
from runform.providers.cycloid.models import ProjectSettings
from runform.render.changes import plan_lines, plan_markdown

BLOCKED_EXIT_CODE = 3
DELETE_LIMIT = 10
SYSTEM = "Cycloid"


@dataclass(frozen=True)
class Run:
    """What every Cycloid command needs: the files, the project's settings and the target."""

    files: list[Path]
    settings: ProjectSettings
    conn: Connection
    state_dir: Path
    insecure: bool = False
    in_flight: int = DEFAULT_IN_FLIGHT  # --parallelism: requests at once


def make_run(
    files: list[Path],
    project_file: Path | None,
    state_dir: Path,
    insecure: bool,
    sandbox: bool = False,
    in_flight: int | None = None,
) -> Run:
    settings = project_settings(project_file)
    project_dir = project_file.parent if project_file is not None else Path.cwd()
    conn = connection(settings, project_dir, state_dir, insecure, sandbox)
    return Run(files, settings, conn, state_dir, insecure, in_flight or DEFAULT_IN_FLIGHT)


async def _plan(run: Run, definitions: list[Definitions], allow_deletes: bool) -> Plan:
    async with open_client(run.conn, insecure=run.insecure, in_flight=run.in_flight) as client:
        provider = CycloidProvider(client, definitions, run.state_dir)
        limit = None if allow_deletes else DELETE_LIMIT
        return await plan_roots(provider, [d.root for d in definitions], delete_limit=limit)


def plan_command(
    run: Run, *, out: str | None, output_format: str, detailed_exitcode: bool, allow_deletes: bool
) -> int:
    definitions = load_all(run.files)
    click.echo(f"Planning against {run.conn.shown}.", err=True)
    plan = aio.run(_plan(run, definitions, allow_deletes))
    if out:
        planfile.save_plan(plan, out)
    if output_format == "json":
        click.echo(plan.model_dump_json(indent=2))
    elif output_format == "markdown":
        click.echo(plan_markdown(plan, SYSTEM), nl=False)
    else:
        click.echo("\n".join(plan_lines(plan, SYSTEM)))
    if out:
        click.echo(f"Saved the plan to {out}; apply it with `runform apply {out}`.", err=True)
    if plan.blocked:
        click.echo(f"Error: the plan is blocked: {plan.blocked}", err=True)
        return BLOCKED_EXIT_CODE
    return 2 if detailed_exitcode and plan.has_changes else 0


def apply_command(
    run: Run,
    *,
    saved: Path | None,
    auto_approve: bool,
    allow_deletes: bool,
    parallelism: int,
    reviewed_digest: str | None,
) -> int:
    definitions = load_all(run.files)
    click.echo(f"Applying to {run.conn.shown}.", err=True)
    return aio.run(
        _apply(run, definitions, saved, auto_approve, allow_deletes, parallelism, reviewed_digest)
    )


async def _apply(
    run: Run,
    definitions: list[Definitions],
    saved: Path | None,
    auto_approve: bool,
    allow_deletes: bool,
    parallelism: int,
    reviewed_digest: str | None,
) -> int:
    from runform.providers.registry import load_plan

    async with open_client(run.conn, insecure=run.insecure, in_flight=run.in_flight) as client:
        provider = CycloidProvider(client, definitions, run.state_dir)
        roots = [d.root for d in definitions]
        organizations = [d.organization for d in definitions]
        fresh = await plan_roots(
            provider, roots, delete_limit=None if allow_deletes else DELETE_LIMIT
        )
        plan = fresh
        if saved is not None:
            plan = load_plan(saved)
            if plan.changes_digest != fresh.changes_digest:
                message = (
                    f"the saved plan {saved} is stale: Cycloid or the files changed since "
                    "it was made; nothing was applied. Plan again."
                )
                await _event(client, run, organizations, "refused", message)
                raise StalePlanError(message)
            click.echo(f"Applying the saved plan {saved} (the live state still matches it).")
        else:
            click.echo("\n".join(plan_lines(plan, SYSTEM)))
        if (
            reviewed_digest is not None
            and plan.has_changes
            and plan.changes_digest != reviewed_digest.strip()
        ):
            message = (
                f"this plan is not the reviewed one: its changes digest is "
                f"{plan.changes_digest}; nothing was applied"
            )
            click.echo(f"Error: {message}", err=True)
            await _event(client, run, organizations, "refused", message)
            return 1
        if plan.blocked:
            message = f"the plan is blocked: {plan.blocked}; nothing was applied"
            click.echo(f"Error: {message}", err=True)
            await _event(client, run, organizations, "refused", message)
            return BLOCKED_EXIT_CODE
        refused = [f"{r.address}: {r.refusal}" for r in plan.roots if not r.appliable]
        if refused:
            message = f"{'; '.join(refused)}; nothing was applied"
            click.echo(f"Error: {message}", err=True)
            await _event(client, run, organizations, "refused", message)
            return 1
        if not plan.has_changes:
            click.echo(ApplyResult().summary_line())
            return 0
        if saved is None and not auto_approve and not _confirmed(plan.target):
            click.echo("Apply cancelled.")
            return 1
        progress = choose_progress(sys.stderr, no_color=bool(os.environ.get("NO_COLOR")))
        journal = Journal(run.state_dir).open()
        try:
            applier = applier_for(
                provider, plan, roots, parallelism=parallelism, journal=journal, progress=progress
            )
            result = await run_interruptible(applier)  # a first Ctrl-C stops it gracefully
        finally:
            progress.close()
            journal.close()
        for failure in result.failed:
            click.echo(f"Error: {failure.address}: {failure.message}", err=True)
        click.echo(result.summary_line())
        outcome = "applied" if result.ok else "failed"
        await _event(client, run, organizations, outcome, result.summary_line())
        return exit_code(result)


async def _event(
    client: CycloidClient, run: Run, organizations: list[str], outcome: str, message: str
) -> None:
    settings = run.settings.events
    if settings is None or not settings.enabled:
        return
    for organization in organizations:
        problem = await send_event(client, organization, settings, outcome, message)
        if problem is not None:
            click.echo(f"Warning: the apply's event was not sent to Cycloid: {problem}", err=True)


def _confirmed(target: str) -> bool:
    if not sys.stdin.isatty():
        raise RunformError(
            "apply asks for `yes` on a terminal, but stdin is not a TTY: pass --auto-approve "
            "to apply without asking (e.g. in CI), or apply a saved plan file"
        )
    answer = click.prompt(f"Apply these changes to {target}? Only 'yes' is accepted", default="")
    return answer.strip() == "yes"


def cli_plan(
    files: list[Path],
    *,
    project_file: Path | None,
    state_dir: Path,
    insecure: bool,
    sandbox: bool = False,
    out: str | None,
    output_format: str,
    detailed_exitcode: bool,
    allow_deletes: bool,
    parallelism: int | None = None,
) -> int:
    """`runform plan` for these Cycloid files, at most `parallelism` requests at once."""
    run = make_run(files, project_file, state_dir, insecure, sandbox, parallelism)
    return plan_command(
        run,
        out=out,
        output_format=output_format,
        detailed_exitcode=detailed_exitcode,
        allow_deletes=allow_deletes,
    )


def cli_apply(
    files: list[Path],
    *,
    saved: Path | None,
    project_file: Path | None,
    state_dir: Path,
    insecure: bool,
    sandbox: bool = False,
    auto_approve: bool,
    allow_deletes: bool,
    parallelism: int | None,
    reviewed_digest: str | None,
) -> int:
    """`runform apply` for these Cycloid files, or for a saved plan of them."""
    if saved is not None:
        files = _planned_files(saved)
    run = make_run(files, project_file, state_dir, insecure, sandbox, parallelism)
    return apply_command(
        run,
        saved=saved,
        auto_approve=auto_approve,
        allow_deletes=allow_deletes,
        parallelism=run.in_flight,
        reviewed_digest=reviewed_digest,
    )


def _planned_files(saved: Path) -> list[Path]:
    """The files a saved plan was made from (each root's `source`)."""
    from runform.providers.registry import load_plan

    plan = load_plan(saved)
    files = []
    for root in plan.roots:
        source = (root.source or "").rsplit(":", 1)[0]
        if not source or not Path(source).is_file():
            raise RunformError(
                f"{root.address}: its file {source or '(unknown)'} is not here any more"
            )
        files.append(Path(source))
    return files


def cli_export(
    organization: str,
    output_dir: Path,
    *,
    project_file: Path | None,
    state_dir: Path,
    insecure: bool,
    sandbox: bool = False,
) -> int:
    """`runform export --cycloid ORG`: the organization as a file that plans empty."""
    from runform.providers.cycloid.export import export_organization

    run = make_run([], project_file, state_dir, insecure, sandbox)
    click.echo(f"Exporting from {run.conn.shown}.", err=True)

    async def export() -> Path:
        async with open_client(run.conn, insecure=insecure) as client:
            return await export_organization(client, organization, output_dir, state_dir)

    path = aio.run(export())
    click.echo(
        f"Wrote {path}. Credentials' secrets are placeholders under "
        f"{output_dir / 'secrets'}: fill them in before bumping a rotate:."
    )
    return 0


def cli_validate(files: list[Path]) -> tuple[int, int]:
    """`runform validate`: (organizations, objects) of the files, offline; DefinitionError
    listing every problem with file:line:column."""
    loaded = load_all(files)
    return len(loaded), sum(len(d.root.children) for d in loaded)
