"""The `runform` command group: wires subcommands, turns RunformError into exit code 1."""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING, Any

import click

from runform import __version__
from runform.cli.connection import connection_options
from runform.errors import RunformError
from runform.text.safe import safe_lines

if TYPE_CHECKING:
    from collections.abc import Sequence

# One module per command under runform.cli; each exposes `command` (a click command or group).
COMMAND_MODULES = [
    "sandbox",
    "init",
    "validate",
    "fmt",
    "schema",
    "plan",
    "graph",
    "apply",
    "destroy",
    "show",
    "export",
    "policy",
    "log",
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
        command: click.Command = importlib.import_module(f"runform.cli.{name}").command
        return command

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """As click's, except that a usage error exits 1 like any other bad input.

        click exits 2, which `plan --detailed-exitcode` uses for "changes present": a CI job
        with a typo in its flags would read as a plan with changes.
        """
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.ClickException as err:
            err.show()
            sys.exit(1 if isinstance(err, click.UsageError) else err.exit_code)
        except click.Abort as err:
            click.echo("Aborted!", err=True)
            sys.exit(130 if isinstance(err.__cause__, KeyboardInterrupt) else 1)
        # --help, --version and ctx.exit(code) come back as an int; commands return None.
        sys.exit(result if isinstance(result, int) else 0)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except RunformError as err:
            from runform.cli.connection import no_color_requested

            colour = None if no_color_requested() else "red"
            click.secho(f"Error: {safe_lines(str(err))}", fg=colour, err=True)
            sys.exit(err.exit_code)


@click.group(cls=RunformGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="runform")
@connection_options
def cli() -> None:
    """Manage Cutover runbooks as code: validate, plan, apply, export."""


def main() -> None:
    """The command line: process-wide policy is set here, once, then the command runs."""
    from runform.collector import pace_for_bulk_work
    from runform.core.http.aiohttp_import import ask_for_light_import
    from runform.text.marks import degrade_standard_streams

    skip_httpx_command_line()
    ask_for_light_import()
    pace_for_bulk_work()
    degrade_standard_streams()
    cli(prog_name="runform")


def skip_httpx_command_line() -> None:
    """Keep httpx from importing its own command line, which runform never runs.

    httpx's package imports `httpx._main` on every import, and with it rich's progress bars and
    syntax highlighting and pygments' lexers: 15-20 ms of CPU in a process that makes a plan
    (docs/benchmarks.md, "Imports"). httpx has no setting for it; when that import fails it
    defines a stub `httpx.main` instead, so the command line's entry point marks the module
    absent before httpx is first imported. A process-wide choice, made only here: code that
    imports runform as a library keeps httpx as it is."""
    if "httpx" not in sys.modules and "httpx._main" not in sys.modules:
        # None in sys.modules makes the import raise ModuleNotFoundError (the import system's
        # documented way to block a module); typeshed types the values as modules only.
        sys.modules["httpx._main"] = None  # type: ignore[assignment]
