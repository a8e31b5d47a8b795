"""`runform validate`: check runbook files offline (and names against Cutover with --online)."""

from __future__ import annotations

import click

from runform.definitions import load_definitions, load_project
from runform.definitions.variables import command_line_variables
from runform.errors import DefinitionError


def variable_options(function):  # type: ignore[no-untyped-def]
    """The --var and --var-file options every command that reads runbook files takes."""
    function = click.option(
        "--var-file",
        "var_files",
        multiple=True,
        type=click.Path(exists=True, dir_okay=False),
        help="YAML file of NAME: value variables.",
    )(function)
    return click.option(
        "--var",
        "var_options",
        multiple=True,
        metavar="NAME=VALUE",
        help="Set a ${var.NAME} variable (overrides runform.yaml and --var-file).",
    )(function)


@click.command("validate")
@click.argument("paths", nargs=-1, type=click.Path())
@variable_options
@click.option("--online", is_flag=True, help="Also resolve names against the Cutover API.")
def command(
    paths: tuple[str, ...], var_files: tuple[str, ...], var_options: tuple[str, ...], online: bool
) -> None:
    """Check runbook files: every problem with file:line:column; exit 1 when any."""
    try:
        project = load_project()
        variables = command_line_variables(var_files, var_options)
        definitions = load_definitions(paths or (".",), variables, project)
    except DefinitionError as err:
        click.echo(str(err), err=True)
        raise SystemExit(1) from None
    if online:
        from runform.cli.online import resolve_online

        resolve_online(definitions, project)
    runbooks = len(definitions.trees)
    tasks = sum(len(tree.tasks) for tree in definitions.trees)
    click.echo(
        f"{runbooks} runbook{'s' if runbooks != 1 else ''} with {tasks} tasks in "
        f"{len(definitions.files)} file{'s' if len(definitions.files) != 1 else ''}: valid."
    )
