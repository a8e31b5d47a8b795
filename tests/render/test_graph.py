"""Graphs of a plan: any task name yields a valid node; marks, critical path, nesting, the
changed part; Mermaid read by a structural parser, DOT by pydot."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from runform.providers.cutover.plan.model import (
    Action,
    Change,
    Plan,
    RunbookPlan,
    Schedule,
    task_address,
)
from runform.providers.cutover.plan.outline import Outline, StreamNode, TaskNode
from runform.render.dot import render_dot
from runform.render.graph import plan_diagram
from runform.render.mermaid import render_mermaid

from .graph_syntax import parse_mermaid, read_dot

MARK = {Action.CREATE: "+", Action.UPDATE: "~", Action.DELETE: "-", Action.NOOP: ""}


def visible(name: str) -> str:
    """How a name is expected to read back: characters that do not print as `\\uXXXX`."""
    return "".join(c if c == "\n" or c.isprintable() else f"\\u{ord(c):04x}" for c in name)


def _plan(
    tasks: list[TaskNode],
    streams: tuple[StreamNode, ...] = (),
    actions: dict[str, Action] | None = None,
    path: tuple[str, ...] = (),
    before: Outline | None = None,
) -> Plan:
    changes = [
        Change(address=task_address("R", n), kind="task", action=a, root="R", name=n)
        for n, a in (actions or {}).items()
        if a is not Action.NOOP
    ]
    runbook = RunbookPlan(
        name="R",
        address='runbook["R"]',
        changes=changes,
        outline_before=before,
        outline_after=Outline(streams=streams, tasks=tuple(tasks)),
        schedule_after=Schedule(task_count=len(tasks), critical_path=path),
        schedule_before=Schedule(critical_path=path) if before else None,
    )
    return Plan(roots=[runbook])


names = st.lists(st.text(min_size=1, max_size=30), min_size=1, max_size=6, unique=True)
actions = st.sampled_from(list(MARK))


@given(names, st.lists(st.text(min_size=1, max_size=20), max_size=3, unique=True), st.data())
def test_any_names_yield_valid_graphs_that_read_back_as_written(task_names, stream_names, data):
    chosen = {n: data.draw(actions) for n in task_names}
    home = [stream_names[i % len(stream_names)] if stream_names else None for i in range(6)]
    tasks = [
        TaskNode(name=n, stream=home[i], predecessors=tuple(task_names[:i][-1:]))
        for i, n in enumerate(task_names)
    ]
    # Each stream inside the one before it.
    streams = tuple(
        StreamNode(name=s, parent=stream_names[i - 1] if i else None)
        for i, s in enumerate(stream_names)
    )
    plan = _plan(tasks, streams, chosen, path=tuple(task_names))
    expected = {(f"{MARK[a]} {visible(n)}" if MARK[a] else visible(n)) for n, a in chosen.items()}
    diagram = plan_diagram(plan)
    assert render_mermaid(diagram).isascii() and render_dot(diagram).isascii()
    for drawn in (parse_mermaid(render_mermaid(diagram)), read_dot(render_dot(diagram))):
        assert set(drawn.nodes.values()) == expected
        # By id (names may read alike): the runbook "r0", then each stream inside the last.
        chain = ["r0"]
        while children := [i for i, p in drawn.cluster_parent.items() if p == chain[-1]]:
            assert len(children) == 1
            chain += children
        assert set(chain) == set(drawn.clusters) and drawn.cluster_parent["r0"] is None
        assert [drawn.clusters[i] for i in chain] == ["R", *map(visible, stream_names)]
        for i, task in enumerate(tasks):
            mark = MARK[chosen[task.name]]
            assert drawn.nodes[f"r0t{i}"] == (f"{mark} " if mark else "") + visible(task.name)
            where = drawn.node_cluster[f"r0t{i}"]
            assert where == (chain[1 + stream_names.index(home[i])] if home[i] else "r0")
        assert len(drawn.edges) == len(task_names) - 1
        assert drawn.classes["critical"] == set(drawn.nodes)


def test_marks_styles_critical_path_and_dashed_deletes():
    tasks = [
        TaskNode(name="A", stream="S"),
        TaskNode(name="B", stream="Sub", predecessors=("A",)),
        TaskNode(name="C", stream="S", predecessors=("A",)),
        TaskNode(name="Gone", stream="S", predecessors=("A",)),
    ]
    streams = (StreamNode(name="S"), StreamNode(name="Sub", parent="S"))
    actions = {"A": Action.NOOP, "B": Action.CREATE, "C": Action.UPDATE, "Gone": Action.DELETE}
    diagram = plan_diagram(_plan(tasks, streams, actions, path=("A", "B")))
    mermaid = parse_mermaid(render_mermaid(diagram))
    ids = {label: ident for ident, label in mermaid.nodes.items()}
    assert set(ids) == {"A", "+ B", "~ C", "- Gone"}
    assert mermaid.classes["critical"] == {ids["A"], ids["+ B"]}
    assert mermaid.classes["create"] == {ids["+ B"]}
    assert mermaid.classes["update"] == {ids["~ C"]}
    assert mermaid.classes["delete"] == {ids["- Gone"]}
    edges = mermaid.edges
    assert mermaid.styled_edges == {edges.index((ids["A"], ids["+ B"]))}
    assert mermaid.dashed_edges == {edges.index((ids["A"], ids["- Gone"]))}
    clusters = {label: ident for ident, label in mermaid.clusters.items()}
    assert mermaid.cluster_parent[clusters["Sub"]] == clusters["S"]
    assert mermaid.cluster_parent[clusters["S"]] == clusters["R"]
    assert mermaid.node_cluster[ids["+ B"]] == clusters["Sub"]
    dot = read_dot(render_dot(diagram))
    assert dot.nodes == mermaid.nodes and dot.edges == mermaid.edges
    assert dot.cluster_parent == mermaid.cluster_parent
    assert dot.classes["critical"] == mermaid.classes["critical"]
    assert dot.classes["delete"] == {ids["- Gone"]}
    assert dot.dashed_edges == mermaid.dashed_edges
    assert dot.styled_edges == mermaid.styled_edges


def test_the_changed_part_is_changed_tasks_and_their_direct_neighbours():
    chain = [
        TaskNode(name=n, stream="S", predecessors=(p,) if p else ())
        for p, n in [(None, "1"), ("1", "2"), ("2", "3"), ("3", "4"), ("4", "5")]
    ]
    streams = (StreamNode(name="S"), StreamNode(name="Empty"))
    plan = _plan(chain, streams, {"3": Action.UPDATE})
    drawn = parse_mermaid(render_mermaid(plan_diagram(plan, changed_only=True)))
    assert sorted(drawn.nodes.values()) == ["2", "4", "~ 3"]
    assert len(drawn.edges) == 2
    assert sorted(drawn.clusters.values()) == ["R", "S"]  # the empty stream is left out
    assert plan_diagram(_plan(chain, streams), changed_only=True).runbooks == []


def test_live_draws_the_outline_before_unmarked_and_skips_new_runbooks():
    before = Outline(tasks=(TaskNode(name="Old"),))
    plan = _plan([TaskNode(name="New")], actions={"New": Action.CREATE}, before=before)
    drawn = parse_mermaid(render_mermaid(plan_diagram(plan, live=True)))
    assert list(drawn.nodes.values()) == ["Old"] and "create" not in drawn.classes
    assert plan_diagram(_plan([TaskNode(name="New")]), live=True).runbooks == []


def test_a_stream_cycle_or_unknown_parent_stays_at_the_top():
    streams = (
        StreamNode(name="A", parent="B"),
        StreamNode(name="B", parent="A"),
        StreamNode(name="C", parent="Nowhere"),
    )
    drawn = read_dot(render_dot(plan_diagram(_plan([TaskNode(name="T")], streams))))
    parents = {
        drawn.clusters[i]: drawn.clusters.get(p or "") for i, p in drawn.cluster_parent.items()
    }
    assert parents == {"R": None, "B": "R", "A": "B", "C": "R"}  # the cycle is cut once
