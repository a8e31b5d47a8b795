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


def _debug(context: click.Context, _: click.Parameter, value: bool) -> None:
    configure_logging(value)


def _insecure(context: click.Context, _: click.Parameter, value: bool) -> None:
    if value:
        from runform.api.settings import allow_insecure_for_this_run

        allow_insecure_for_this_run(context)


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
