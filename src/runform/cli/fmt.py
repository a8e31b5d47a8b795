"""`runform fmt`: rewrite runbook files in canonical order and layout."""

from __future__ import annotations

import difflib
from pathlib import Path

import click

from runform.errors import DefinitionError
from runform.providers.cutover.definitions import discover_files
from runform.providers.cutover.definitions.fmt import format_file
from runform.providers.cutover.definitions.project import PROJECT_FILE


@click.command("fmt")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--check", is_flag=True, help="Change nothing; exit 1 listing files that would change."
)
@click.option("--diff", "show_diff", is_flag=True, help="Print the changes as a unified diff.")
def command(paths: tuple[str, ...], check: bool, show_diff: bool) -> None:
    """Format runbook files (comments and blank lines kept)."""
    files, problems = discover_files(paths or (".",))
    project_file = Path(PROJECT_FILE)
    if not paths and project_file.is_file():
        files.append(project_file)
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
