"""`runform log`: the project's audit trail (every apply's journal), oldest first."""

from __future__ import annotations

import json
from typing import Any

import click

from runform.cli import common
from runform.cli.connection import connection_options
from runform.core.audit import MOMENT_HELP, Query, parse_moment, read_trail
from runform.core.journal import ENTRY_TYPES
from runform.core.provenance import actor_name
from runform.errors import RunformError
from runform.text.safe import safe_line


@click.command("log")
@connection_options
@click.option(
    "--since", "-since", metavar="TIME", help=f"Entries from this time on; {MOMENT_HELP}."
)
@click.option("--until", "-until", metavar="TIME", help="Entries up to this time (as --since).")
@click.option(
    "--type",
    "-type",
    "types",
    multiple=True,
    type=click.Choice(ENTRY_TYPES),
    help="Only entries of this type (repeatable).",
)
@click.option(
    "--address",
    "-address",
    "addresses",
    multiple=True,
    metavar="ADDRESS",
    help="Only entries at this address glob, as --target takes (repeatable).",
)
@click.option(
    "--limit",
    "-limit",
    type=click.IntRange(min=1),
    default=None,
    help="At most this many entries: the most recent ones (still oldest first).",
)
@click.option(
    "--format",
    "-format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: one line per entry; json: one JSON object per line.",
)
def command(
    since: str | None,
    until: str | None,
    types: tuple[str, ...],
    addresses: tuple[str, ...],
    limit: int | None,
    output_format: str,
) -> None:
    """Show who applied what, where, from which commit, and why: the journals of every apply
    of this project, oldest first."""
    from runform.providers.cutover.plan.targets import check_glob

    for glob in addresses:
        check_glob("--address", glob)
    query = Query(
        since=_moment("--since", since),
        until=_moment("--until", until),
        types=types,
        addresses=addresses,
        limit=limit,
    )
    if query.since and query.until and query.since > query.until:
        raise RunformError(f"--since {since} is after --until {until}: no entry can match")
    trail = read_trail(common.state_dir(), query)
    if trail.unreadable:
        common.notice(f"Skipped {trail.unreadable} unreadable journal line(s).")
    for entry in trail.entries:
        if output_format == "json":
            click.echo(json.dumps(entry, default=str))
        else:
            click.echo(entry_line(entry))
    if not trail.entries and output_format == "text":
        common.notice("No journal entries match.")


def _moment(flag: str, text: str | None) -> Any:
    if text is None:
        return None
    try:
        return parse_moment(text)
    except ValueError as err:
        raise RunformError(f"{flag}: {err}") from None


def entry_line(entry: dict[str, Any]) -> str:
    """One line: time, type, address, actor, reason (and what went wrong, for an error)."""
    parts = [
        str(entry.get("time") or "-"),
        f"{entry['type']:<7}",
        str(entry.get("address") or "-"),
        actor_name(entry.get("actor")),
        str(entry.get("reason") or "-"),
    ]
    if entry["type"] == "error" and entry.get("message"):
        parts.append(f"({entry['message']})")
    return safe_line("  ".join(parts))
