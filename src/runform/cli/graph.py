"""`runform graph`: each runbook's streams and task dependencies, for reviewers.

The graph is drawn from the plan `runform plan` would make (same options, same code): the
runbooks as they will be after it, changes marked and the critical path highlighted; with
`--live`, as Cutover has them now.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from runform.cli.plan import make_plan, planning_options
from runform.errors import RunformError

FORMATS = ("mermaid", "dot")


@click.command("graph")
@planning_options
@click.option(
    "--format",
    "-format",
    "output_format",
    type=click.Choice(FORMATS),
    default="mermaid",
    show_default=True,
    help="Mermaid (drawn by GitHub in Markdown) or Graphviz DOT.",
)
@click.option("--live", is_flag=True, help="Draw the runbooks as they are now in Cutover.")
@click.option(
    "-o", "--out", "-out", "out", type=click.Path(dir_okay=False), help="Write the graph here."
)
def command(output_format: str, live: bool, out: str | None, **planning: Any) -> None:
    """Draw the streams and task dependencies of runbook files (PATHS, default: the project's)
    as they will be after the plan (+ create, ~ update, - delete), or with --live as they are."""
    from runform.cli.common import notice
    from runform.render.graph import plan_diagram

    plan, _ = make_plan(**planning)
    if live:
        for runbook in plan.roots:
            if getattr(runbook, "outline_before", None) is None:
                notice(f'runbook "{runbook.name}" is not in Cutover yet: left out of the graph')
    diagram = plan_diagram(plan, live=live)
    text = render(diagram, output_format)
    if output_format == "mermaid":
        from runform.render.mermaid import too_big

        reason = too_big(diagram, text)
        if reason:
            notice(f"Warning: the graph has {reason} by default; `--format dot` has no limit")
    if out is None:
        click.echo(text, nl=False, file=sys.stdout)
        return
    try:
        Path(out).write_text(text, encoding="utf-8")
    except OSError as err:
        raise RunformError(f"{out}: cannot write the graph ({err.strerror or err})") from None
    click.echo(f"Wrote the graph to {out}.", err=True)


def render(diagram: Any, output_format: str) -> str:
    """The diagram in one of FORMATS."""
    if output_format == "dot":
        from runform.render.dot import render_dot

        return render_dot(diagram)
    from runform.render.mermaid import render_mermaid

    return render_mermaid(diagram)
