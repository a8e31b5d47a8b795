"""`runform fmt`: rewrite runbook files in canonical order and layout."""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import click

from runform.errors import DefinitionError
from runform.providers.cutover.definitions import discover_files
from runform.providers.cutover.definitions.fmt import format_file
from runform.providers.cutover.definitions.load import not_cutovers
from runform.providers.cutover.definitions.project import find_project_file


@click.command("fmt")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--check", is_flag=True, help="Change nothing; exit 1 listing files that would change."
)
@click.option("--diff", "show_diff", is_flag=True, help="Print the changes as a unified diff.")
def command(paths: tuple[str, ...], check: bool, show_diff: bool) -> None:
    """Format runbook files (comments and blank lines kept): PATHS, or the project's `paths:`
    and its runform.yaml."""
    from runform.cli.common import notice, runbook_paths
    from runform.providers.cutover.definitions import load_project

    where = runbook_paths(paths, load_project())
    files, problems = discover_files(where)
    named = {Path(p) for p in paths if Path(p).is_file()}
    kept = []
    for path in files:
        verdict = None if path in named else not_cutovers(path)
        if verdict is False:
            notice(f"skipped {path}: not a runbook file (no `runbook:` or `runbooks:` key)")
        if verdict is None:
            kept.append(path)
    files = kept
    project_file = find_project_file()
    if not paths and project_file is not None:
        files.append(Path(os.path.relpath(project_file)))
    changed = []
    failed = [str(problem) for problem in problems]
    for path in files:
        try:
            before, after = format_file(path)
        except DefinitionError as err:
            failed.extend(str(problem) for problem in err.problems)
            continue
        except (OSError, UnicodeDecodeError) as err:
            failed.append(f"{path}: cannot read: {err}")
            continue
        if before == after:
            continue
        changed.append(path)
        if show_diff:
            click.echo(
                "".join(
                    difflib.unified_diff(
                        before.splitlines(keepends=True),
                        after.splitlines(keepends=True),
                        fromfile=f"{path} (before)",
                        tofile=f"{path} (formatted)",
                    )
                ),
                nl=False,
            )
        if not check:
            path.write_text(after, encoding="utf-8")
        click.echo(f"{'would reformat' if check else 'reformatted'} {path}")
    for line in failed:
        click.echo(line, err=True)
    if failed or (check and changed):
        raise SystemExit(1)
