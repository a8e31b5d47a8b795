"""`runform init`: scaffold a project, or start a runbook file from a Cutover template."""

from __future__ import annotations

from pathlib import Path

import click

from runform.scaffold import scaffold_project


@click.command("init")
@click.argument(
    "directory", required=False, default=".", type=click.Path(file_okay=False, path_type=Path)
)
@click.option(
    "--workspace", default="default", show_default=True, help="Workspace for runform.yaml."
)
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
def command(directory: Path, workspace: str, force: bool) -> None:
    """Create runform.yaml, runbooks/, a CI plan workflow and a pre-commit config in DIRECTORY."""
    result = scaffold_project(directory, workspace=workspace, force=force)
    for path in result.written:
        click.echo(f"wrote {path}")
    for path in result.kept:
        click.echo(f"kept  {path} (exists; --force to overwrite)")
