"""`runform validate`: check runbook files offline (and names against Cutover with --online)."""

from __future__ import annotations

from pathlib import Path

import click

from runform.cli import common, dispatch, reports
from runform.cli.connection import connection_options
from runform.core.problems import PROBLEM_LIMIT, PROBLEMS_SHOWN
from runform.errors import DefinitionError, RunformError
from runform.providers.cutover.definitions import (
    Definitions,
    ProjectConfig,
    load_definitions,
    load_project,
)
from runform.providers.cutover.definitions.variables import command_line_variables
from runform.text.safe import safe_line, safe_lines


@click.command("validate")
@connection_options
@common.file_options
@click.option("--online", is_flag=True, help="Also resolve names against the Cutover API.")
@click.option(
    "--format",
    "-format",
    "output_format",
    type=click.Choice(reports.FORMATS),
    default="text",
    help="text for people; json for tools; github for annotations on a pull request's lines.",
)
def command(
    paths: tuple[str, ...],
    variables: tuple[str, ...],
    var_files: tuple[str, ...],
    online: bool,
    output_format: str,
) -> None:
    """Check runbook files: every problem with file:line:column; exit 1 when any."""
    handed = dispatch.handoff(paths)
    if handed is not None:
        if online or variables or var_files:
            raise RunformError(
                f"--online, --var and --var-file are for runbook files, not "
                f"{handed.provider.name} files"
            )
        _validate_other(handed.module, handed.files, output_format)
        return
    try:
        project = load_project()
        values = command_line_variables(var_files, variables)
        definitions = load_definitions(
            common.runbook_paths(paths, project),
            values,
            project,
            common.notice,
            common.source_cache(),
            common.kept_trees(),
        )
    except DefinitionError as err:
        if _nothing_yet(err):
            # A project made by `runform init` before its first runbook: nothing is wrong,
            # so its own hook and CI pass.
            if output_format == "json":
                reports.emit(output_format, [], runbooks=0, tasks=0)
            elif output_format == "text":
                click.echo("no runbook files yet: nothing to check.")
            return
        if output_format != "text":
            reports.emit(output_format, [reports.of_problem(p) for p in err.problems])
            raise SystemExit(1) from None
        click.echo(safe_lines(str(err)), err=True)
        raise SystemExit(1) from None
    if online:
        from runform import aio

        problems = aio.run(_online_problems(definitions, project))
        if problems and output_format != "text":
            reports.emit(output_format, [reports.of_line(p) for p in problems])
            raise SystemExit(1)
        if problems:
            count = f"{len(problems)} name{'s' if len(problems) != 1 else ''}"
            click.echo(f"{count} unknown in Cutover:", err=True)
            for problem in problems[:PROBLEMS_SHOWN]:
                click.echo(f"  {safe_line(problem, PROBLEM_LIMIT)}", err=True)
            if len(problems) > PROBLEMS_SHOWN:
                click.echo(f"  ... and {len(problems) - PROBLEMS_SHOWN} more", err=True)
            raise SystemExit(1)
    runbooks = len(definitions.trees)
    tasks = sum(len(tree.tasks) for tree in definitions.trees)
    if output_format != "text":
        reports.emit(output_format, [], runbooks=runbooks, tasks=tasks)
        return
    click.echo(
        f"{runbooks} runbook{'s' if runbooks != 1 else ''} with {tasks} tasks in "
        f"{len(definitions.files)} file{'s' if len(definitions.files) != 1 else ''}: valid."
    )


async def _online_problems(definitions: Definitions, project: ProjectConfig) -> list[str]:
    """The names Cutover does not know, sorted by file and line."""
    from runform.providers.cutover.api import open_client
    from runform.providers.cutover.online import online_problems

    settings = common.api_settings()
    common.announce_target(settings)
    async with open_client(settings) as client:
        problems = await online_problems(client, definitions.trees)
    return sorted((problem.strip() for problem in problems), key=_file_and_line)


def _file_and_line(problem: str) -> tuple[str, int]:
    """Sort key for `file:line: ...` messages: by file, then by line number."""
    file, _, rest = problem.partition(":")
    line = rest.split(":", 1)[0]
    return file, int(line) if line.isdigit() else 0


def _nothing_yet(err: DefinitionError) -> bool:
    """The only problem is that there are no runbook files, inside a runform project."""
    from runform.providers.cutover.definitions.load import NO_RUNBOOK_FILES
    from runform.providers.cutover.definitions.project import find_project_file

    problems = err.problems
    return (
        bool(problems)
        and all(p.message == NO_RUNBOOK_FILES for p in problems)
        and find_project_file() is not None
    )


def _validate_other(frontend: object, files: list[Path], output_format: str) -> None:
    """Files of a provider with its own frontend, checked offline by its `cli_validate`."""
    try:
        roots, objects = frontend.cli_validate(files)  # type: ignore[attr-defined]
    except DefinitionError as err:
        if output_format != "text":
            reports.emit(output_format, [reports.of_problem(p) for p in err.problems])
            raise SystemExit(1) from None
        click.echo(safe_lines(str(err)), err=True)
        raise SystemExit(1) from None
    if output_format == "json":
        reports.emit(output_format, [], files=len(files), roots=roots, objects=objects)
    elif output_format == "text":
        click.echo(f"{len(files)} file(s), {objects} object(s): no problems.")
