"""`runform sandbox`: run the built-in Cutover-compatible API server."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import click

from runform.core.sandbox_kit.server import serve
from runform.errors import ConfigError
from runform.providers.cutover.api.connect import open_sandbox
from runform.providers.cutover.sandbox import (
    SANDBOX_READ_ONLY_TOKEN,
    SANDBOX_TOKEN,
    FaultConfig,
    PagingStyle,
)
from runform.providers.cutover.sandbox.guard import API_VERSIONS


def listen_options(port: int, db_file: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`--host`, `--port` and `--db` of a sandbox server, with its own port and file."""

    def add(function: Callable[..., Any]) -> Callable[..., Any]:
        function = click.option(
            "--db",
            default=None,
            help=f"SQLite file (created and seeded when new; default: .runform/{db_file} at "
            "the project root); ':memory:' for a throwaway sandbox.",
        )(function)
        function = click.option(
            "--port",
            default=port,
            show_default=True,
            type=click.IntRange(0, 65535),
            help="Port (0: any free port).",
        )(function)
        return click.option(
            "--host", default="127.0.0.1", show_default=True, help="Address to listen on."
        )(function)

    return add


def fault_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """A sandbox's fault injection as options, handed to the command as one `faults`."""

    @functools.wraps(function)
    def command(
        *args: Any,
        latency_ms: float,
        throttle_rate: float,
        rate_limit: float,
        error_rate: float,
        drop_rate: float,
        seed: int | None,
        **kwargs: Any,
    ) -> Any:
        faults = FaultConfig(latency_ms, throttle_rate, error_rate, drop_rate, seed)
        faults.rate_limit = rate_limit
        return function(*args, faults=faults, **kwargs)

    options = [
        click.option(
            "--latency-ms",
            default=0.0,
            type=float,
            help="Delay added to every response (each request is handled as it arrives).",
        ),
        click.option(
            "--throttle-rate", default=0.0, type=click.FloatRange(0, 1), help="Share of 429s."
        ),
        click.option(
            "--rate-limit",
            default=0.0,
            type=click.FloatRange(0),
            metavar="R",
            help="A ceiling of R requests a second (a token bucket of one second's worth), "
            "answered 429 with no Retry-After, as an undocumented limit (0: none).",
        ),
        click.option(
            "--error-rate", default=0.0, type=click.FloatRange(0, 1), help="Share of 5xx."
        ),
        click.option(
            "--drop-rate",
            default=0.0,
            type=click.FloatRange(0, 1),
            help="Share of writes committed whose response is dropped.",
        ),
        click.option("--seed", default=None, type=int, help="Seed for repeatable fault injection."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@click.group(name="sandbox")
def command() -> None:
    """The built-in Cutover-compatible sandbox."""


@command.command(name="serve")
@listen_options(port=8787, db_file="sandbox.db")
@click.option(
    "--token",
    envvar="RUNFORM_SANDBOX_TOKEN",
    show_envvar=True,
    default=None,
    help="Bearer token with full access (default: the well-known sandbox token). Prefer the "
    "environment variable: a flag shows in the process list. With a token of your own, only "
    "it (and --read-only-token, when given) opens the sandbox.",
)
@click.option(
    "--read-only-token",
    envvar="RUNFORM_SANDBOX_READ_ONLY_TOKEN",
    show_envvar=True,
    default=None,
    help="Bearer token that may only read (default: the well-known read-only token, only "
    "when --token is not given).",
)
@click.option(
    "--core-version",
    type=click.Choice(API_VERSIONS),
    default=None,
    help="Play an instance whose Core is as old as this API reference (newer endpoints "
    "answer 405 whatever Api-Version is pinned).",
)
@click.option(
    "--earliest-api-version",
    type=click.Choice(API_VERSIONS),
    default=API_VERSIONS[0],
    show_default=True,
    help="The API version the instance was first provisioned at: requests without "
    "Api-Version run at it.",
)
@click.option(
    "--index-delay-seconds",
    default=0.0,
    type=click.FloatRange(min=0),
    help="Keep a new runbook out of `query` search results for this many seconds.",
)
@click.option(
    "--index-delay-requests",
    default=0,
    type=click.IntRange(min=0),
    help="Keep a new runbook out of `query` search results for this many requests.",
)
@click.option(
    "--links-host",
    default=None,
    metavar="HOST[:PORT]",
    help="Write list links absolute on this host instead of the one called, as shared "
    "production does.",
)
@click.option(
    "--relative-links",
    is_flag=True,
    help="Write list links relative to the base URL, without a leading slash (core/...).",
)
@click.option(
    "--no-page-totals",
    is_flag=True,
    help="Answer lists with meta.page.total and links.last null (only the page number).",
)
@fault_options
def serve_command(
    host: str,
    port: int,
    db: str | None,
    token: str | None,
    read_only_token: str | None,
    faults: FaultConfig,
    core_version: str | None,
    earliest_api_version: str,
    index_delay_seconds: float,
    index_delay_requests: int,
    links_host: str | None,
    relative_links: bool,
    no_page_totals: bool,
) -> None:
    """Serve the sandbox over HTTP until interrupted; prints its URL once ready."""
    if token is None:
        token = SANDBOX_TOKEN
        read_only_token = SANDBOX_READ_ONLY_TOKEN if read_only_token is None else read_only_token
    if not token:
        raise ConfigError("--token must not be empty: every request would be let in")
    try:
        paging = PagingStyle(links_host, relative_links, page_totals=not no_page_totals)
    except ValueError as err:
        raise ConfigError(f"--links-host/--relative-links: {err}") from None
    if db is None:
        from runform.cli.common import state_dir

        db = str(state_dir() / "sandbox.db")
    try:
        app = open_sandbox(
            db,
            token=token,
            read_only_token=read_only_token or None,
            faults=faults,
            core_version=core_version,
            earliest_api_version=earliest_api_version,
            index_delay_seconds=index_delay_seconds,
            index_delay_requests=index_delay_requests,
            paging=paging,
        )
    except ValueError as err:
        raise ConfigError(f"--core-version/--earliest-api-version: {err}") from None
    try:
        serve(app, host, port, lambda url: click.echo(f"runform sandbox listening on {url}"))
    except OSError as err:
        raise ConfigError(f"cannot listen on {host}:{port}: {err.strerror or err}") from None


@command.command(name="cycloid")
@listen_options(port=8788, db_file="cycloid-sandbox.sqlite3")
@click.option(
    "--api-key",
    envvar="RUNFORM_CYCLOID_SANDBOX_KEY",
    show_envvar=True,
    default=None,
    help="The API key it takes (default: the well-known Cycloid sandbox key). Prefer the "
    "environment variable: a flag shows in the process list.",
)
@click.option("--api-version", default=None, help="The version getAppVersion reports.")
@fault_options
def cycloid_command(
    host: str,
    port: int,
    db: str | None,
    api_key: str | None,
    api_version: str | None,
    faults: FaultConfig,
) -> None:
    """Serve the Cycloid sandbox over HTTP until interrupted; prints its URL once ready."""
    from runform.providers.cycloid.connect import SANDBOX_FILE
    from runform.providers.cycloid.sandbox import SANDBOX_API_KEY, SANDBOX_VERSION, create_app

    if api_key is not None and not api_key:
        raise ConfigError("--api-key must not be empty: every request would be let in")
    if db is None:
        from runform.cli.common import state_dir

        folder = state_dir()
        folder.mkdir(parents=True, exist_ok=True)
        db = str(folder / SANDBOX_FILE)
    app = create_app(db, api_key or SANDBOX_API_KEY, faults, api_version or SANDBOX_VERSION)
    try:
        serve(
            app, host, port, lambda url: click.echo(f"runform Cycloid sandbox listening on {url}")
        )
    except OSError as err:
        raise ConfigError(f"cannot listen on {host}:{port}: {err.strerror or err}") from None
