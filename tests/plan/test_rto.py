"""The RTO is a part of its own: planned after the tasks it names, compared by task name."""

from __future__ import annotations

import pytest

from runform.core.order import missing_dependencies
from runform.errors import PlanError
from runform.providers.cutover.plan.diff import diff_runbook
from runform.providers.cutover.plan.model import Action, Kind
from runform.providers.cutover.schema import CUTOVER
from runform.providers.cutover.state.shapes import RtoState, StreamState, TaskState

from .states import desired_tree, live_of, template_runbook

RTO = RtoState(rto=3600, rto_start_task="A", rto_end_task="B")
STREAMS = (StreamState(name="S"),)
TASKS = (TaskState(name="A", stream="S"), TaskState(name="B", stream="S", predecessors=("A",)))


def test_an_rto_matching_the_live_one_plans_nothing():
    tree = desired_tree(tasks=TASKS, streams=STREAMS).model_copy(update={"rto": RTO})
    live = live_of(tree).model_copy(update={"rto": RTO})
    assert [c for c in diff_runbook(tree, live, None).changes if c.kind == Kind.RTO] == []


def test_a_renamed_task_keeps_the_live_rto_without_a_change():
    tree = desired_tree(tasks=TASKS, streams=STREAMS).model_copy(update={"rto": RTO})
    live = live_of(tree).model_copy(update={"rto": RTO.model_copy(update={"rto_end_task": "Old"})})
    live.tasks[1] = live.tasks[1].model_copy(
        update={"state": live.tasks[1].state.model_copy(update={"name": "Old"})}
    )
    renamed = tree.model_copy(update={"renamed_from": {"B": "Old"}})
    changes = diff_runbook(renamed, live, None).changes
    assert [(c.kind, c.name) for c in changes] == [(Kind.TASK, "B")]


def test_the_rto_waits_for_new_tasks_and_a_deletion_waits_for_the_rto():
    tree = desired_tree(tasks=TASKS, streams=STREAMS).model_copy(update={"rto": RTO})
    live = live_of(desired_tree(tasks=(TaskState(name="X"), TASKS[1]), streams=STREAMS))
    live = live.model_copy(update={"rto": RtoState(rto=60, rto_start_task="X", rto_end_task="B")})
    plan = diff_runbook(tree, live, None)
    by_name = {(c.kind, c.name): c for c in plan.changes}
    rto = by_name[(Kind.RTO, "rto")]
    assert rto.action is Action.UPDATE and rto.address == 'runbook["Payments release"].rto'
    assert 'runbook["Payments release"].task["A"]' in rto.depends_on
    assert rto.address in by_name[(Kind.TASK, "X")].depends_on
    assert missing_dependencies(plan.changes, CUTOVER) == []


def test_an_rto_naming_no_task_of_the_runbook_or_template_is_refused():
    tree = desired_tree(template=True, workspace="Default").model_copy(
        update={"rto": RtoState(rto=60, rto_start_task="Smoke test", rto_end_task="Nope")}
    )
    with pytest.raises(PlanError, match='the RTO\'s end task "Nope" is not a task'):
        diff_runbook(tree, None, template_runbook())
