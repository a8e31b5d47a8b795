"""`--debug`, `--insecure` and `--no-color` (each also with one dash, as Terraform spells
them): accepted before the command (`runform --debug plan`) and after it (`runform plan
--debug`), with one definition for both places; `RUNFORM_LOG=debug|info` as well as `--debug`.

Light on purpose: the command group imports it, and `runform --version` should stay quick.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from typing import Any

import click

LOG_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}


def configure_logging(debug: bool) -> None:
    """Warnings on stderr; with --debug (or RUNFORM_LOG=debug), runform's request lines and
    decisions too; RUNFORM_LOG=info for the decisions alone."""
    wanted = LOG_LEVELS.get(os.environ.get("RUNFORM_LOG", "").strip().lower(), logging.WARNING)
    level = logging.DEBUG if debug else wanted
    logging.basicConfig(
        level=level,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if level < logging.WARNING:
        logging.getLogger().setLevel(level)  # also when given after the command
    # httpcore's and the server's own traces drown runform's request lines; keep them quiet.
    for noisy in ("httpcore", "uvicorn", "asyncio"):
        logging.getLogger(noisy).setLevel(logging.INFO)
    # httpx logs each request at INFO too, repeating runform's own request line.
    logging.getLogger("httpx").setLevel(logging.WARNING)


def _debug(context: click.Context, _: click.Parameter, value: bool) -> None:
    configure_logging(value)


INSECURE = "runform.insecure"  # the root context's meta keys: --insecure was given,
NO_COLOR = "runform.no-color"  # --no-color was given
SANDBOX = "runform.sandbox"  # --sandbox was given


def _insecure(context: click.Context, _: click.Parameter, value: bool) -> None:
    if value:
        context.find_root().meta[INSECURE] = True


def _sandbox(context: click.Context, _: click.Parameter, value: bool) -> None:
    if value:
        context.find_root().meta[SANDBOX] = True


def _no_color(context: click.Context, _: click.Parameter, value: bool) -> None:
    if value:
        context.find_root().meta[NO_COLOR] = True


def _given(key: str) -> bool:
    """Whether a flag kept on click's root context (one run's choice, never the process
    environment's) was given anywhere on this command line."""
    context = click.get_current_context(silent=True)
    return bool(context is not None and context.find_root().meta.get(key))


def no_color_requested() -> bool:
    """Whether `--no-color` was given (the NO_COLOR variable works on its own)."""
    return _given(NO_COLOR)


def make_console(**options: Any) -> Any:
    """A rich console for a command's output, without colour when asked."""
    from rich.console import Console

    if no_color_requested():
        options["no_color"] = True
    return Console(highlight=False, soft_wrap=True, **options)


def sandbox_requested() -> bool:
    """Whether `--sandbox` was given: the local sandbox, whatever else is configured."""
    return _given(SANDBOX)


def insecure_requested() -> bool:
    """Whether `--insecure` was given."""
    return _given(INSECURE)


def connection_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """Add `--debug`, `--insecure` and `--no-color`; each acts as it is parsed."""
    function = click.option(
        "--no-color",
        "-no-color",
        is_flag=True,
        expose_value=False,
        callback=_no_color,
        help="No colours in the output (as does the NO_COLOR variable).",
    )(function)
    function = click.option(
        "--sandbox",
        "-sandbox",
        is_flag=True,
        expose_value=False,
        callback=_sandbox,
        help="Use the local sandbox (.runform/sandbox.db), whatever Cutover is configured; "
        "needed in CI, where an unconfigured Cutover is an error.",
    )(function)
    function = click.option(
        "--insecure",
        "-insecure",
        is_flag=True,
        expose_value=False,
        callback=_insecure,
        help="Allow a plain http:// Cutover URL that is not loopback (TLS checks stay on).",
    )(function)
    return click.option(
        "--debug",
        "-debug",
        is_flag=True,
        expose_value=False,
        callback=_debug,
        help="Log HTTP requests and decisions to stderr (never the token).",
    )(function)
