"""The `runform` command group: wires subcommands, turns RunformError into exit code 1."""

from __future__ import annotations

import importlib
import logging
import sys

import click

from runform import __version__
from runform.errors import RunformError

# One module per command under runform.cli; each exposes `command` (a click command or group).
COMMAND_MODULES = [
    "sandbox",
    "init",
    "validate",
    "fmt",
    "schema",
    "plan",
    "apply",
    "show",
    "export",
]


class RunformGroup(click.Group):
    """A group that prints runform's own errors as one clear message instead of a traceback.

    Each command's module is imported only when that command runs (or help lists them all):
    `runform plan` does not pay for the sandbox server or the scaffolding it does not use.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMAND_MODULES)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMAND_MODULES:
            return None
        return importlib.import_module(f"runform.cli.{name}").command

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except RunformError as err:
            click.secho(f"Error: {err}", fg="red", err=True)
            sys.exit(err.exit_code)


@click.group(cls=RunformGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="runform")
@click.option("--debug", is_flag=True, help="Log HTTP requests and decisions to stderr.")
@click.option(
    "--insecure",
    is_flag=True,
    help="Allow a plain http:// Cutover URL that is not loopback (TLS checks stay on for https).",
)
def cli(debug: bool, insecure: bool) -> None:
    """Manage Cutover runbooks as code: validate, plan, apply, export."""
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    # httpcore's and the server's own traces drown runform's request lines; keep them quiet.
    for noisy in ("httpcore", "uvicorn", "asyncio"):
        logging.getLogger(noisy).setLevel(logging.INFO)
    if insecure:
        from runform.api.settings import allow_insecure_for_this_run

        allow_insecure_for_this_run(click.get_current_context())


def main() -> None:
    cli(prog_name="runform")
