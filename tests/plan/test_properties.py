"""Properties of the diff: no changes against itself, and applying it converges to the file."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from runform.providers.cutover.plan.diff import diff_runbook
from runform.providers.cutover.plan.model import Action, Kind
from runform.providers.cutover.plan.values import json_value, managed_fields, normalized
from runform.providers.cutover.state.shapes import Assignee, RunbookTree, StreamState, TaskState

from .states import desired_tree, live_of

NAMES = ["A", "B", "C", "D", "E", "F"]
STREAMS = ["S1", "S2"]
assignees = st.lists(
    st.builds(Assignee, kind=st.sampled_from(["team", "user"]), name=st.sampled_from(["x", "y"])),
    max_size=2,
    unique=True,
).map(tuple)


@st.composite
def trees(draw: Any) -> RunbookTree:
    names = draw(st.lists(st.sampled_from(NAMES), unique=True, max_size=6))
    tasks = []
    for name in names:
        fields: dict[str, Any] = {}
        if draw(st.booleans()):
            fields["duration"] = draw(st.integers(0, 5000))
        if draw(st.booleans()):
            fields["description"] = draw(st.sampled_from([None, "one", "two"]))
        # Always set: Cutover puts every task in a stream, so a new task must name one.
        fields["stream"] = draw(st.sampled_from(STREAMS))
        if draw(st.booleans()):
            # One global order keeps live and file predecessors acyclic together.
            earlier = [n for n in names if NAMES.index(n) < NAMES.index(name)]
            fields["predecessors"] = tuple(
                draw(st.lists(st.sampled_from(earlier), unique=True)) if earlier else []
            )
        if draw(st.booleans()):
            fields["assignees"] = draw(assignees)
        tasks.append(TaskState(name=name, **fields))
    description = draw(st.sampled_from([None, "d1", "d2"]))
    return desired_tree(
        description=description,
        streams=tuple(StreamState(name=s) for s in STREAMS),
        tasks=tuple(tasks),
    )


@settings(max_examples=60, deadline=None)
@given(trees())
def test_diff_against_itself_is_empty(tree: RunbookTree) -> None:
    plan = diff_runbook(tree, live_of(tree), None)
    assert plan.changes == []


@settings(max_examples=80, deadline=None)
@given(trees(), trees())
def test_applying_the_changes_gives_the_desired_state(tree: RunbookTree, old: RunbookTree) -> None:
    live = live_of(old).model_copy(update={"team_members": ("x", "y")})  # both may be assigned
    plan = diff_runbook(tree, live, None)
    tasks: dict[str, dict[str, Any]] = {
        t.state.name: {f: json_value(f, getattr(t.state, f)) for f in type(t.state).model_fields}
        for t in live.tasks
    }
    for change in plan.changes:
        if change.kind != Kind.TASK:
            continue
        if change.action is Action.CREATE:
            tasks[change.name] = dict(change.after)
        elif change.action is Action.UPDATE:
            for field in change.fields:
                tasks[change.name][field.field] = field.after
        elif change.action is Action.DELETE:
            del tasks[change.name]
            for other in tasks.values():
                other["predecessors"] = [
                    p for p in other.get("predecessors") or [] if p != change.name
                ]
    assert set(tasks) == {t.name for t in tree.tasks}
    for task in tree.tasks:
        for field in managed_fields(task):
            want = normalized(field, json_value(field, getattr(task, field)))
            assert normalized(field, tasks[task.name].get(field)) == want, (task.name, field)
    again = live.model_copy(update={"tasks": []})
    assert diff_runbook(tree, again, None).unchanged.get("task", 0) == 0
