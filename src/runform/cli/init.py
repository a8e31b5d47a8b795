"""`runform init`: scaffold a project, or start a runbook file from a Cutover template."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from runform import aio
from runform.errors import RunformError
from runform.providers.cutover.scaffold import scaffold_project

if TYPE_CHECKING:
    from runform.providers.cutover.state.shapes import LiveRunbook


@click.command("init")
@click.argument(
    "directory", required=False, default=".", type=click.Path(file_okay=False, path_type=Path)
)
@click.option(
    "--workspace", default="default", show_default=True, help="Workspace for runform.yaml."
)
@click.option("--force", "-force", is_flag=True, help="Overwrite files that already exist.")
@click.option(
    "--ci",
    "-ci",
    type=click.Choice(["github", "gitlab", "none"]),
    default="github",
    show_default=True,
    help="The pipelines to write: plan on each pull (merge) request, apply the reviewed plan "
    "on merge.",
)
@click.option(
    "--runform-spec",
    "-runform-spec",
    metavar="SPEC",
    help="How the pipelines install runform: a pip requirement or URL, e.g. "
    "'git+https://example.com/acme/runform.git@v1.4.0' or a wheel's URL. Default: this "
    "install's own origin, where it is known.",
)
@click.option(
    "--from-template", "template", metavar="NAME|ID", help="Start a runbook from a template."
)
@click.option("--name", help="Name of the new runbook (with --from-template).")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File for the new runbook (default: runbooks/<name>.yaml).",
)
def command(
    directory: Path,
    workspace: str,
    force: bool,
    ci: str,
    runform_spec: str | None,
    template: str | None,
    name: str | None,
    output: Path | None,
) -> None:
    """Create runform.yaml, runbooks/, CI pipelines and a pre-commit config in DIRECTORY.

    With --from-template, write instead a runbook file that copies a Cutover template and
    lists, as comments, the streams and tasks the copy brings.
    """
    if template is None:
        if name or output:
            raise RunformError("--name and --output go with --from-template")
        from runform.install_spec import given_spec

        spec = given_spec(runform_spec) if runform_spec is not None else None
        result = scaffold_project(directory, workspace=workspace, force=force, ci=ci, spec=spec)
        for path in result.written:
            click.echo(f"wrote {path}")
        for path in result.kept:
            click.echo(f"kept  {path} (exists; --force to overwrite)")
        if result.spec is not None and result.spec.spec is None:
            click.echo(
                f"note: the pipelines cannot install runform yet: {result.spec.unknown}; "
                f"run `runform init --ci {ci} --runform-spec SPEC --force` with a git URL "
                "and tag or a wheel's URL",
                err=True,
            )
        elif result.spec is not None:
            click.echo(f"the pipelines install {result.spec.spec}")
            if not result.spec.pinned:
                click.echo(
                    "note: that spec names no version (no `==`, git revision or archive), so "
                    "a pipeline installs whatever it names on the day it runs",
                    err=True,
                )
        return
    path, source = aio.run(_from_template(directory, template, name, output, force))
    click.echo(
        f"wrote {path}: a copy of template {source.state.name!r} "
        f"({len(source.streams)} streams, {len(source.tasks)} tasks); "
        f"`runform plan {path}` shows the copy"
    )


async def _from_template(
    directory: Path, template: str, name: str | None, output: Path | None, force: bool
) -> tuple[Path, LiveRunbook]:
    from runform.cli import common
    from runform.providers.cutover.api import open_client
    from runform.providers.cutover.export.from_template import write_template_copy
    from runform.providers.cutover.live.lookups import Lookups

    settings = common.api_settings()
    common.announce_target(settings)
    async with open_client(settings) as client:
        lookups = await Lookups.fetch(client)
        return await write_template_copy(
            client, lookups, template, name=name, project_dir=directory, output=output, force=force
        )
