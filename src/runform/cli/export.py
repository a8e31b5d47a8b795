"""`runform export`: write live runbooks to files in the project's format."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from runform import aio
from runform.cli import common
from runform.cli.connection import connection_options
from runform.text.safe import safe_line, shown


@click.command("export")
@connection_options
@click.option(
    "--workspace",
    help="Workspace key, name or id (default: runform.yaml's); alone, export all of it.",
)
@click.option("--folder", help="Runbooks in this folder (alone: every one of them).")
@click.option("--runbook", "runbooks", multiple=True, metavar="NAME|ID", help="Repeatable.")
@click.option("--templates", is_flag=True, help="Export the templates in scope.")
@click.option("--all", "everything", is_flag=True, help="Export every runbook and template.")
@click.option("--include-archived", is_flag=True, help="Export archived runbooks too.")
@click.option(
    "-o",
    "--output-dir",
    default="runbooks",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
)
@click.option("--forecast", is_flag=True, help="Read each runbook's tasks in one request.")
@click.option("--stats", is_flag=True, help="Print request counts per endpoint at the end.")
@click.option(
    "--update",
    "update",
    multiple=True,
    metavar="PATH",
    help="Rewrite these runbook files (repeatable) to take Cutover's values for the fields "
    "Cutover moved since the base (--base, runform.yaml base:, or CI's merge-base); "
    "comments are kept and conflicts left alone.",
)
@click.option("--base", "-base", metavar="REF", help="The base revision for --update.")
@click.option(
    "--cycloid",
    "cycloid",
    metavar="ORGANIZATION",
    help="Export this Cycloid organization to OUTPUT_DIR/ORGANIZATION.yaml instead.",
)
def command(update: tuple[str, ...], base: str | None, cycloid: str | None, **options: Any) -> None:
    """Write Cutover runbooks as files (one per runbook), names instead of ids; or, with
    --update, take Cutover's changes into existing files; or, with --cycloid, write a Cycloid
    organization as a Cycloid file."""
    if cycloid is not None:
        import sys

        from runform.cli.dispatch import frontend_options
        from runform.providers.cycloid.frontend import cli_export

        sys.exit(cli_export(cycloid, options["output_dir"], **frontend_options()))
    if update:
        aio.run(_update(update, base))
        return
    aio.run(_export(**options))


async def _update(paths: tuple[str, ...], base: str | None) -> None:
    from runform.errors import ConfigError
    from runform.providers.cutover.api import open_client
    from runform.providers.cutover.export.update import take_cutover_values

    request = common.planning_request(paths=paths, base=base)
    if request.base is None:
        raise ConfigError(
            "export --update needs a base to tell Cutover's changes from the files': pass "
            "--base REF (or set base: in runform.yaml)"
        )
    settings = common.api_settings(request)
    common.announce_target(settings)
    async with open_client(settings) as client:
        plan, _ = await common.make_plan(client, request)
    files = {t.runbook.name: (t.source or "").rpartition(":")[0] for t in request.definitions.trees}
    report = take_cutover_values(plan, {k: v for k, v in files.items() if v})
    for path, label, name in report.taken:
        click.echo(safe_line(f"{path}: {label}: took Cutover's {name}"))
    for path, label, name in report.left:
        click.echo(safe_line(f"{path}: {label}: {name} is a conflict; left for you"), err=True)
    click.echo(f"Took {len(report.taken)} value(s) from Cutover into the files.")


async def _export(
    workspace: str | None,
    folder: str | None,
    runbooks: tuple[str, ...],
    templates: bool,
    everything: bool,
    include_archived: bool,
    output_dir: Path,
    forecast: bool,
    stats: bool,
) -> None:
    from runform.providers.cutover.api import open_client
    from runform.providers.cutover.definitions import load_project
    from runform.providers.cutover.definitions.project import find_project_file
    from runform.providers.cutover.export.run import export_runbooks
    from runform.providers.cutover.export.select import selection_for
    from runform.providers.cutover.live.lookups import Lookups

    project = load_project()
    settings = common.api_settings()
    common.announce_target(settings)
    project_file = find_project_file()
    schema_dir = (project_file.parent if project_file else Path.cwd()) / "schemas"
    if workspace and not (runbooks or templates or folder or everything):
        everything = True  # `--workspace W` alone: that whole workspace, as `--all` within it
    progress = _print_progress if (everything or templates or folder or len(runbooks) > 1) else None
    async with open_client(settings) as client:
        lookups = await Lookups.fetch(client)
        selection = selection_for(
            lookups,
            workspace=workspace or project.workspace,
            folder=folder or None,
            runbooks=runbooks,
            templates=templates,
            everything=everything,
            include_archived=include_archived,
        )
        report = await export_runbooks(
            client,
            lookups,
            selection,
            output_dir,
            schema_dir=schema_dir,
            concurrency=settings.max_concurrency,
            forecast=forecast,
            progress=progress,
        )
        if stats:
            common.print_stats(client)
    for warning in report.warnings:
        click.secho(f"Warning: {safe_line(warning)}", fg="yellow", err=True)
    for skipped in report.skipped:
        click.echo(safe_line(f"Skipped {skipped} (--include-archived exports it)"), err=True)
    tasks = sum(f.task_count for f in report.files)
    click.echo(f"Exported {len(report.files)} runbook(s), {tasks} task(s), to {output_dir}.")


def _print_progress(done: int, total: int, name: str) -> None:
    click.echo(f"[{done}/{total}] {shown(name)}", err=True)
