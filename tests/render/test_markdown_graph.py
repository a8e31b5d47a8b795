"""The Markdown plan's graphs: opt-in, the changed part only, and dropped (with a note) before
any plan content is when the comment would be too long."""

from __future__ import annotations

import re

from runform.providers.cutover.plan.model import (
    Action,
    Change,
    Plan,
    RunbookPlan,
    Schedule,
    runbook_address,
    task_address,
)
from runform.providers.cutover.plan.outline import Outline, StreamNode, TaskNode
from runform.render.markdown import render_markdown

from .graph_syntax import parse_mermaid

LEFT_OUT = "left out to fit in one comment; `runform graph` draws them."


def _runbook(name: str, size: int, changed: range) -> RunbookPlan:
    """A chain of `size` tasks in one stream, those in `changed` created."""
    names = [f"Step {n} of {name}" for n in range(size)]
    tasks = tuple(
        TaskNode(name=t, stream="Main", predecessors=(names[i - 1],) if i else ())
        for i, t in enumerate(names)
    )
    changes = [
        Change(
            address=task_address(name, names[i]),
            kind="task",
            action=Action.CREATE,
            root=name,
            name=names[i],
            after={"stream": "Main", "duration": 60},
        )
        for i in changed
    ]
    return RunbookPlan(
        name=name,
        address=runbook_address(name),
        changes=changes,
        outline_after=Outline(streams=(StreamNode(name="Main"),), tasks=tasks),
        schedule_after=Schedule(task_count=size, critical_path=tuple(names)),
    )


def _graphs(markdown: str) -> list[str]:
    return re.findall(r"```mermaid\n(.*?)```", markdown, flags=re.DOTALL)


def test_graphs_are_opt_in_and_draw_the_changed_tasks_with_their_neighbours():
    plan = Plan(roots=[_runbook("Release", 10, range(4, 6))])
    assert "```mermaid" not in render_markdown(plan)
    (graph,) = _graphs(render_markdown(plan, graphs=True))
    drawn = parse_mermaid(graph)
    assert sorted(drawn.nodes.values()) == [
        "+ Step 4 of Release",
        "+ Step 5 of Release",
        "Step 3 of Release",
        "Step 6 of Release",
    ]
    assert len(drawn.edges) == 3 and len(drawn.classes["critical"]) == 4
    # Inside the runbook's section, after its changes.
    markdown = render_markdown(plan, graphs=True)
    assert markdown.index("```diff") < markdown.index("```mermaid") < markdown.index("</details>")


def test_a_runbook_without_task_changes_has_no_graph():
    plan = Plan(roots=[_runbook("Quiet", 5, range(0))])
    assert _graphs(render_markdown(plan, graphs=True)) == []


def test_graphs_go_before_any_plan_content_does():
    plan = Plan(roots=[_runbook("First", 80, range(0, 60)), _runbook("Second", 80, range(0, 60))])
    plain = render_markdown(plan)
    full = render_markdown(plan, graphs=True)
    assert len(_graphs(full)) == 2 and LEFT_OUT not in full
    # Room for all the content but not the graphs: the content stays whole, the graphs go.
    limit = len(plain) + 650
    assert len(full) > limit
    tight = render_markdown(plan, limit=limit, graphs=True)
    assert len(tight) <= limit
    kept = _graphs(tight)
    assert len(kept) < 2
    assert f"> {2 - len(kept)} graph" in tight and LEFT_OUT in tight
    assert tight.count("+ task") == plain.count("+ task")
    assert "did not fit in one comment" not in tight
    # Too little room even for the content: no graphs at all, the usual collapse.
    small = render_markdown(plan, limit=len(plain) - 100, graphs=True)
    assert _graphs(small) == [] and "did not fit in one comment" in small
    assert LEFT_OUT in small


def test_a_graph_past_mermaids_edge_limit_is_left_out_with_the_note():
    plan = Plan(roots=[_runbook("Big", 520, range(0, 520))])
    markdown = render_markdown(plan, graphs=True)
    assert len(markdown) < 65_000 and "did not fit" not in markdown
    assert _graphs(markdown) == [] and f"> 1 graph {LEFT_OUT}" in markdown
