"""Template-copy prediction: the copied streams and tasks, and the file's edits on top."""

from __future__ import annotations

from runform.providers.cutover.plan.diff import diff_runbook
from runform.providers.cutover.plan.model import Action, Kind
from runform.providers.cutover.state.shapes import Assignee, TaskState

from .states import TEMPLATE_TASKS, desired_tree, live_copy, template_runbook


def _plan(tree, live=None):
    return diff_runbook(tree, live, template_runbook())


def test_new_copy_lists_every_copied_stream_and_task():
    plan = _plan(desired_tree(template=True, workspace="Default"))
    runbook = plan.changes[0]
    assert runbook.action is Action.COPY
    assert runbook.copy == {
        "template": "Standard release",
        "template_id": "1",
        "tasks": True,
        "teams": True,
        "users": True,
    }
    tasks = [c for c in plan.changes if c.kind == Kind.TASK]
    assert [c.name for c in tasks] == [t[0] for t in TEMPLATE_TASKS]
    assert all(c.action is Action.COPY and c.from_template and c.id is None for c in tasks)
    assert all(c.depends_on == (runbook.address,) for c in tasks)
    streams = [c.name for c in plan.changes if c.kind == Kind.STREAM]
    assert streams == ["Preparation", "Deployment", "Database", "Verification"]
    assert plan.schedule_after.task_count == 12
    # Chain: 15+10+30+45+20+30+10+20+30+5 minutes.
    assert plan.schedule_after.critical_path_seconds == 215 * 60


def test_edits_on_top_of_the_copy_and_absent_tasks():
    tree = desired_tree(
        template=True,
        tasks=(
            TaskState(name="Smoke test", duration=1800),
            TaskState(
                name="Notify customers",
                stream="Verification",
                predecessors=("Close change",),
                duration=300,
            ),
        ),
    ).model_copy(update={"absent": ("Check monitoring dashboards",)})
    plan = _plan(tree)
    by_name = {c.name: c for c in plan.changes}
    smoke = by_name["Smoke test"]
    assert smoke.action is Action.UPDATE and smoke.from_template and smoke.id is None
    assert [(f.field, f.before, f.after) for f in smoke.fields] == [("duration", 1200, 1800)]
    assert by_name["Notify customers"].action is Action.CREATE
    gone = by_name["Check monitoring dashboards"]
    assert gone.action is Action.DELETE and gone.from_template
    assert plan.schedule_after.task_count == 12
    assert plan.schedule_after.critical_path[-1] == "Notify customers"


def test_existing_copy_keeps_template_tasks_the_file_does_not_list():
    template = template_runbook()
    live = live_copy(template, "Payments release")
    plan = diff_runbook(desired_tree(template=True), live, template)
    assert plan.changes == []
    assert plan.unchanged == {"runbook": 1, "stream": 4, "task": 12}


def test_team_assignee_outside_the_runbook_teams_is_warned():
    tree = desired_tree(
        template=True,
        tasks=(
            TaskState(
                name="New",
                stream="Deployment",
                assignees=(Assignee(kind="team", name="Network team"),),
            ),
        ),
    )
    plan = _plan(tree)
    assert any('team "Network team"' in w for w in plan.warnings)


def test_absent_name_matching_nothing_is_warned():
    tree = desired_tree(template=True).model_copy(update={"absent": ("No such task",)})
    plan = _plan(tree)
    assert plan.warnings == ['absent task "No such task" is not in the template nor in Cutover']
