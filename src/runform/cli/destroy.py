"""`runform destroy`: archive every runbook the files name, planned and applied like `apply`."""

from __future__ import annotations

from typing import Any

import click

from runform.cli import apply, common
from runform.cli.connection import connection_options
from runform.cli.policy import override_options, overrides_from


@click.command("destroy")
@connection_options
@common.file_options
@apply.approval_options
@common.selection_options
@override_options
@apply.run_options
def command(
    paths: tuple[str, ...],
    variables: tuple[str, ...],
    var_files: tuple[str, ...],
    targets: tuple[str, ...],
    excludes: tuple[str, ...],
    override_policies: tuple[str, ...],
    reasons: tuple[str, ...],
    **run_options: Any,
) -> None:
    """Archive the runbooks PATHS name (default: the project's files) that are in Cutover.

    Cutover archives a runbook with its streams and tasks (`DELETE /core/runbooks/{id}`) and
    offers no un-archive: planning the same files afterwards plans to create them again. Each
    archive counts as a deletion toward the delete limit (`--allow-deletes`).
    """
    # The rest of apply's options (approval, parallelism, locks, --json, ...) pass through.
    apply.run(
        None,
        paths,
        variables,
        var_files,
        targets,
        excludes,
        destroy=True,
        overrides=overrides_from(override_policies, reasons),
        **run_options,
    )
