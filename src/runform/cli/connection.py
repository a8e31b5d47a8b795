"""`--debug` and `--insecure`: accepted before the command (`runform --debug plan`) and after
it (`runform plan --debug`), with one definition for both places.

Light on purpose: the command group imports it, and `runform --version` should stay quick.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

import click


def configure_logging(debug: bool) -> None:
    """Warnings on stderr; with --debug, runform's request lines and decisions too."""
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if debug:
        logging.getLogger().setLevel(logging.DEBUG)  # also when given after the command
    # httpcore's and the server's own traces drown runform's request lines; keep them quiet.
    for noisy in ("httpcore", "uvicorn", "asyncio"):
        logging.getLogger(noisy).setLevel(logging.INFO)
    # httpx logs each request at INFO too, repeating runform's own request line.
    logging.getLogger("httpx").setLevel(logging.WARNING)


def _debug(context: click.Context, _: click.Parameter, value: bool) -> None:
    configure_logging(value)


INSECURE = "runform.insecure"  # the root context's meta key: --insecure was given


def _insecure(context: click.Context, _: click.Parameter, value: bool) -> None:
    if value:
        context.find_root().meta[INSECURE] = True


def insecure_requested() -> bool:
    """Whether `--insecure` was given anywhere on this command line (kept on click's root
    context: one run's choice, never the process environment's)."""
    context = click.get_current_context(silent=True)
    return bool(context is not None and context.find_root().meta.get(INSECURE))


def connection_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """Add `--debug` and `--insecure`; each acts as it is parsed (no function argument)."""
    function = click.option(
        "--insecure",
        is_flag=True,
        expose_value=False,
        callback=_insecure,
        help="Allow a plain http:// Cutover URL that is not loopback (TLS checks stay on).",
    )(function)
    return click.option(
        "--debug",
        is_flag=True,
        expose_value=False,
        callback=_debug,
        help="Log HTTP requests and decisions to stderr (never the token).",
    )(function)
