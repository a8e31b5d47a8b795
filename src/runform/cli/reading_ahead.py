"""Which record of reads a plan reads ahead from (runform.core.http.read_ahead), and where.

One record per target and selection: the API URL (or the sandbox's database), the API
version, the PATHS and the options that choose what is read (`--forecast`, `-target`,
`-exclude`, destroy's plan) choose the file under `.runform/cache/reads/`, so
a record is only ever replayed against the target it was read from, and a plan of other
files or options starts its own.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from runform.cli import common
from runform.core.http.read_ahead import ReadAhead, ReadRecord


def record_for(settings: Any, request: common.PlanningRequest) -> ReadRecord:
    """The record of reads for this target, these PATHS and these options."""
    target = settings.sandbox_db if settings.is_sandbox else settings.base_url
    options = request.options  # those that choose what is read; not, say, --allow-deletes
    chosen = [target, settings.core_url, settings.api_version, list(request.paths)]
    chosen += [options.forecast, options.destroy, list(options.targets), list(options.excludes)]
    digest = hashlib.sha256(json.dumps(chosen, sort_keys=True).encode()).hexdigest()[:32]
    return ReadRecord(common.state_dir() / "cache" / "reads", digest)


def print_read_ahead(ahead: ReadAhead | None) -> None:
    """`--stats`: how many of the reads started ahead the plan used."""
    import click

    if ahead is not None and ahead.started:
        click.echo(
            f"{ahead.used} of {ahead.started} reads made ahead from the last plan were used "
            "(.runform/cache/reads)",
            err=True,
        )
