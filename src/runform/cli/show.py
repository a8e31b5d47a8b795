"""`runform show FILE`: render a saved plan as text, Markdown, JSON or Terraform-shaped JSON."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from runform.providers.cutover.plan.model import Plan

FORMATS = ("text", "markdown", "json")
# `show` only: the plan in Terraform's JSON plan shape, for conftest and Cycloid's policies.
SHOW_FORMATS = (*FORMATS, "tfplan-json")


def emit(plan: Plan, output_format: str, graphs: bool = False) -> None:
    """Write the plan to stdout in one of FORMATS (Markdown with graphs when `graphs`)."""
    from runform.render import render_json, render_markdown, render_text

    # sys.stdout itself, not click's stand-in: click writes UTF-8 to an ASCII terminal, where
    # runform's stream writes ASCII stand-ins for its marks (runform.text.marks).
    if output_format == "json":
        click.echo(render_json(plan), nl=False, file=sys.stdout)
    elif output_format == "tfplan-json":
        from runform.render.tfplan import render_tfplan_json

        click.echo(render_tfplan_json(plan), nl=False, file=sys.stdout)
    elif output_format == "markdown":
        click.echo(render_markdown(plan, graphs=graphs), nl=False, file=sys.stdout)
    else:
        from runform.cli.connection import make_console

        render_text(plan, make_console())


@click.command("show")
@click.argument("planfile", type=click.Path(dir_okay=False))
@click.option("--format", "output_format", type=click.Choice(SHOW_FORMATS), default="text")
def command(planfile: str, output_format: str) -> None:
    """Show a plan saved by `runform plan --out FILE`."""
    from runform.providers.cutover.definitions import load_project
    from runform.providers.registry import installed, load_plan

    plan = load_plan(planfile)
    others = {r.provider for r in plan.roots if installed()[r.provider].frontend}
    if others:
        _emit_generic(plan, output_format, sorted(others)[0].capitalize())
        return
    graphs = output_format == "markdown" and load_project().markdown.graph
    emit(plan, output_format, graphs=graphs)


def _emit_generic(plan: Plan, output_format: str, system: str) -> None:
    """A plan of a provider with its own frontend: the provider-neutral text, or JSON."""
    from runform.render.changes import plan_lines, plan_markdown

    if output_format == "markdown":
        click.echo(plan_markdown(plan, system), nl=False, file=sys.stdout)
    elif output_format == "json":
        click.echo(plan.model_dump_json(indent=2), file=sys.stdout)
    else:
        click.echo("\n".join(plan_lines(plan, system)), file=sys.stdout)
