"""The apply order: the planner's dependencies (one derivation), never list position."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from runform.core.graph import build_graph, check_order
from runform.core.order import with_dependencies
from runform.errors import PlanError
from runform.providers.cutover.plan.model import (
    Action,
    Change,
    Kind,
    runbook_address,
    stream_address,
    task_address,
)
from runform.providers.cutover.schema import CUTOVER

RB = "Release"


def runbook(action: Action = Action.CREATE) -> Change:
    return Change(
        address=runbook_address(RB),
        kind=Kind.RUNBOOK,
        action=action,
        root=RB,
        name=RB,
        after={"name": RB},
    )


def stream(name: str, parent: str | None = None, action: Action = Action.CREATE) -> Change:
    after = {"name": name, **({"parent": parent} if parent else {})}
    return Change(
        address=stream_address(RB, name),
        kind=Kind.STREAM,
        action=action,
        root=RB,
        name=name,
        after=after if action is not Action.DELETE else None,
        before=after if action is Action.DELETE else None,
    )


def task(name: str, *preds: str, stream_name: str | None = None, action=Action.CREATE) -> Change:
    values = {"name": name, "predecessors": list(preds)}
    if stream_name:
        values["stream"] = stream_name
    deleting = action is Action.DELETE
    return Change(
        address=task_address(RB, name),
        kind=Kind.TASK,
        action=action,
        root=RB,
        name=name,
        after=None if deleting else values,
        before=values if deleting else None,
    )


def order(changes: list[Change]) -> list[str]:
    """One valid serial order: repeatedly take the highest ready node (as the applier does)."""
    graph = build_graph(with_dependencies(changes, CUTOVER))
    waiting = {n.index: len(n.requires) for n in graph.nodes}
    ready = [n for n in graph.nodes if not n.requires]
    names = []
    while ready:
        ready.sort(key=lambda n: -n.height)
        node = ready.pop(0)
        names.append(node.change.address)
        for dependent in node.dependents:
            waiting[dependent] -= 1
            if waiting[dependent] == 0:
                ready.append(graph.nodes[dependent])
    return names


def test_documented_order_within_a_runbook():
    changes = [
        task("old", action=Action.DELETE),
        task("b", "a", stream_name="Sub"),
        stream("Sub", parent="Top"),
        task("a", stream_name="Top"),
        stream("Top"),
        Change(
            address=runbook_address(RB),
            kind=Kind.RUNBOOK,
            action=Action.UPDATE,
            root=RB,
            name=RB,
            id="1",
            after={"name": RB},
        ),
    ]
    # The runbook exists (an update), so the first step is its patch.
    got = order(changes)
    position = {address: i for i, address in enumerate(got)}
    assert got[0] == runbook_address(RB)
    assert position[stream_address(RB, "Top")] < position[stream_address(RB, "Sub")]
    assert position[stream_address(RB, "Top")] < position[task_address(RB, "a")]
    assert position[task_address(RB, "a")] < position[task_address(RB, "b")]
    # A delete waits for what stops pointing at it, not for every other change.
    assert position[task_address(RB, "old")] > 0


def test_deletes_go_successors_first_then_streams_children_first():
    changes = [
        stream("Top", action=Action.DELETE),
        stream("Sub", parent="Top", action=Action.DELETE),
        task("first", stream_name="Sub", action=Action.DELETE),
        task("second", "first", action=Action.DELETE),
        task("new"),
    ]
    got = order(changes)
    assert with_dependencies(changes, CUTOVER)[-1].depends_on == ()  # "new" waits for nothing
    assert got.index(task_address(RB, "second")) < got.index(task_address(RB, "first"))
    assert got.index(task_address(RB, "first")) < got.index(stream_address(RB, "Sub"))
    assert got.index(stream_address(RB, "Sub")) < got.index(stream_address(RB, "Top"))


def test_noops_are_dropped_and_edges_come_only_from_depends_on():
    noop = task("same", action=Action.NOOP)
    graph = build_graph([runbook(), noop, task("after-noop", "same")])
    assert [n.change.name for n in graph.nodes] == [RB, "after-noop"]
    assert graph.nodes[1].requires == set()  # the graph adds no edge of its own


def test_apply_refuses_a_plan_that_lacks_a_required_edge():
    changes = with_dependencies([runbook(), stream("Top"), task("a", stream_name="Top")], CUTOVER)
    check_order(changes, CUTOVER)
    assert changes[2].depends_on == (runbook_address(RB), stream_address(RB, "Top"))
    without = [*changes[:2], changes[2].model_copy(update={"depends_on": (runbook_address(RB),)})]
    with pytest.raises(PlanError, match=r'task\["a"\] needs runbook\["Release"\].stream\["Top"\]'):
        check_order(without, CUTOVER)


def test_a_cycle_is_refused_with_the_addresses():
    with pytest.raises(PlanError, match="cycle"):
        build_graph(with_dependencies([task("x", "y"), task("y", "x")], CUTOVER))


def test_height_prefers_the_long_chain():
    changes = [task("c0"), *[task(f"c{i}", f"c{i - 1}") for i in range(1, 5)], task("lone")]
    graph = build_graph(with_dependencies(changes, CUTOVER))
    heights = {n.change.name: n.height for n in graph.nodes}
    assert heights["c0"] == 5 and heights["lone"] == 1 and heights["c4"] == 1


@given(st.lists(st.lists(st.integers(0, 19), max_size=3), min_size=1, max_size=20))
def test_every_task_comes_after_its_predecessors(pred_lists):
    # Predecessors only point backwards, so the generated graph has no cycle.
    changes = [runbook()]
    for i, preds in enumerate(pred_lists):
        names = sorted({f"t{p}" for p in preds if p < i})
        changes.append(task(f"t{i}", *names))
    got = order(list(reversed(changes)))
    position = {address: n for n, address in enumerate(got)}
    assert len(got) == len(changes)
    assert got[0] == runbook_address(RB)
    for change in changes[1:]:
        for pred in change.after["predecessors"]:
            assert position[task_address(RB, pred)] < position[change.address]
