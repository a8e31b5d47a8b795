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


def record_for(
    settings: Any,
    paths: tuple[str, ...],
    *,
    forecast: bool = False,
    destroy: bool = False,
    targets: tuple[str, ...] = (),
    excludes: tuple[str, ...] = (),
) -> ReadRecord:
    """The record of reads for this target, these PATHS and these options (those that choose
    what is read; not, say, `--allow-deletes`)."""
    target = settings.sandbox_db if settings.is_sandbox else settings.base_url
    chosen = [target, settings.core_url, settings.api_version, list(paths)]
    chosen += [forecast, destroy, list(targets), list(excludes)]
    digest = hashlib.sha256(json.dumps(chosen, sort_keys=True).encode()).hexdigest()[:32]
    return ReadRecord(common.state_dir() / "cache" / "reads", digest)


def request_record(settings: Any, request: common.PlanningRequest) -> ReadRecord:
    """`record_for` the files and options of a loaded request."""
    options = request.options
    return record_for(
        settings,
        request.paths,
        forecast=options.forecast,
        destroy=options.destroy,
        targets=options.targets,
        excludes=options.excludes,
    )


def before_loading(
    options: dict[str, Any], parallelism: int | None
) -> tuple[Any, ReadRecord, list[str]] | None:
    """The API settings, the record of reads and its reads, when there is one for these
    `planning_options`: the reads then start before the files load. None otherwise, and
    whenever the settings cannot be had from runform.yaml and the environment alone: the
    files load first, and any problem is reported in its usual order."""
    from runform.errors import RunformError
    from runform.providers.cutover.definitions import load_project

    try:
        settings = common.in_flight(common.api_settings(), load_project(), parallelism)
    except RunformError:
        return None
    record = record_for(
        settings,
        tuple(options.get("paths") or ()),
        forecast=bool(options.get("forecast")),
        destroy=bool(options.get("destroy")),
        targets=tuple(options.get("targets") or ()),
        excludes=tuple(options.get("excludes") or ()),
    )
    reads = record.load()
    return (settings, record, reads) if reads else None


def print_read_ahead(ahead: ReadAhead) -> None:
    """`--stats`: how many of the reads started ahead the plan used."""
    import click

    if ahead.started:
        click.echo(
            f"{ahead.used} of {ahead.started} reads made ahead from the last plan were used "
            "(.runform/cache/reads)",
            err=True,
        )


async def plan_recording_reads(
    client: Any, settings: Any, request: common.PlanningRequest
) -> tuple[Any, Any]:
    """Apply's plan, read in the usual order, its reads recorded for the next `plan` of these
    files (`cli.reading_ahead`): the writes and re-reads after it are not recorded."""
    ahead = client.read_ahead_from([])  # nothing read ahead: only recorded
    try:
        plan, lookups = await common.make_plan(client, request)
    finally:
        client.read_ahead = None
    request_record(settings, request).save(ahead.recorded)
    return plan, lookups
