"""Field-level diffs of runbooks, streams and tasks against live state."""

from __future__ import annotations

import pytest

from runform.errors import PlanError
from runform.providers.cutover.plan.diff import diff_runbook
from runform.providers.cutover.plan.model import Action, Kind
from runform.providers.cutover.plan.options import PlanOptions
from runform.providers.cutover.state.shapes import Assignee, LiveTask, StreamState, TaskState

from .states import WHEN, desired_tree, full_task, live_of, template_runbook


def test_new_runbook_is_created_with_its_streams_and_tasks():
    tree = desired_tree(
        workspace="Default",
        streams=(StreamState(name="Prep"),),
        tasks=(
            TaskState(name="A", stream="Prep", duration=60),
            TaskState(name="B", stream="Prep", duration=120, predecessors=("A",)),
        ),
    )
    plan = diff_runbook(tree, None, None)
    assert [(c.action, c.kind, c.name) for c in plan.changes] == [
        (Action.CREATE, Kind.RUNBOOK, "Payments release"),
        (Action.CREATE, Kind.STREAM, "Prep"),
        (Action.CREATE, Kind.TASK, "A"),
        (Action.CREATE, Kind.TASK, "B"),
    ]
    b = plan.changes[3]
    assert b.after == {"name": "B", "stream": "Prep", "duration": 120, "predecessors": ["A"]}
    assert set(b.depends_on) == {
        'runbook["Payments release"]',
        'runbook["Payments release"].stream["Prep"]',
        'runbook["Payments release"].task["A"]',
    }
    assert plan.changes[2].after["predecessors"] == []  # always explicit on create
    assert plan.schedule_before is None
    assert plan.schedule_after.critical_path_seconds == 180


def test_identical_live_runbook_has_no_changes():
    tree = desired_tree(
        description="Monthly",
        tasks=(TaskState(name="A", duration=60, assignees=(Assignee(kind="user", name="a@x"),)),),
    )
    plan = diff_runbook(tree, live_of(tree), None)
    assert plan.changes == []
    assert plan.unchanged == {"runbook": 1, "task": 1}


def test_an_unchanged_runbook_keeps_its_schedule_and_a_changed_one_gets_a_new_one():
    tasks = (
        TaskState(name="A", duration=60),
        TaskState(name="B", duration=120, predecessors=("A",)),
    )
    tree = desired_tree(tasks=tasks)
    same = diff_runbook(tree, live_of(tree), None)
    assert same.schedule_before.critical_path_seconds == 180
    assert same.schedule_after == same.schedule_before
    longer = desired_tree(tasks=(tasks[0], tasks[1].model_copy(update={"duration": 600})))
    changed = diff_runbook(longer, live_of(tree), None)
    assert changed.schedule_before.critical_path_seconds == 180
    assert changed.schedule_after.critical_path_seconds == 660


def test_update_lists_only_changed_managed_fields():
    tree = desired_tree(tasks=(TaskState(name="A", duration=900, description="new"),))
    live = live_of(desired_tree(tasks=(TaskState(name="A", duration=600, level="level_1"),)))
    plan = diff_runbook(tree, live, None)
    [change] = plan.changes
    assert change.action is Action.UPDATE
    assert change.id == "t-A"
    assert change.drift is False  # without a base, no claim about who moved
    assert {f.source for f in change.fields} == {None}
    assert [(f.field, f.before, f.after) for f in change.fields] == [
        ("duration", 600, 900),
        ("description", None, "new"),
    ]  # level differs live but the file does not manage it


def test_predecessors_and_assignees_compare_as_sets():
    a = TaskState(name="A")
    live_tree = desired_tree(
        tasks=(
            a,
            TaskState(name="B"),
            TaskState(
                name="C",
                predecessors=("A", "B"),
                assignees=(Assignee(kind="user", name="x"), Assignee(kind="team", name="T")),
            ),
        )
    )
    tree = desired_tree(
        tasks=(
            a,
            TaskState(name="B"),
            TaskState(
                name="C",
                predecessors=("B", "A"),
                assignees=(Assignee(kind="team", name="T"), Assignee(kind="user", name="x")),
            ),
        )
    )
    assert diff_runbook(tree, live_of(live_tree), None).changes == []


def test_predecessor_change_is_shown_by_name():
    tree = desired_tree(tasks=(TaskState(name="A"), TaskState(name="B", predecessors=("A",))))
    live = live_of(desired_tree(tasks=(TaskState(name="A"), TaskState(name="B"))))
    [change] = diff_runbook(tree, live, None).changes
    assert [(f.field, f.before, f.after) for f in change.fields] == [("predecessors", [], ["A"])]


def test_rename_is_an_update_not_a_delete_and_create():
    live = live_of(
        desired_tree(tasks=(TaskState(name="Old"), TaskState(name="Next", predecessors=("Old",))))
    )
    tree = desired_tree(
        tasks=(TaskState(name="New"), TaskState(name="Next", predecessors=("New",))),
    ).model_copy(update={"renamed_from": {"New": "Old"}})
    plan = diff_runbook(tree, live, None)
    [change] = plan.changes
    assert change.action is Action.UPDATE
    assert change.renamed_from == "Old"
    assert change.id == "t-Old"
    assert [(f.field, f.before, f.after) for f in change.fields] == [("name", "Old", "New")]
    assert plan.live_ids['runbook["Payments release"].task["New"]'] == "t-Old"


def test_tasks_missing_from_the_file_are_deleted_successors_first():
    live = live_of(
        desired_tree(
            tasks=(
                TaskState(name="A"),
                TaskState(name="B", predecessors=("A",)),
                TaskState(name="C", predecessors=("B",)),
            )
        )
    )
    plan = diff_runbook(desired_tree(tasks=(TaskState(name="C", predecessors=()),)), live, None)
    by_name = {c.name: c for c in plan.changes}
    assert by_name["A"].action is Action.DELETE and by_name["B"].action is Action.DELETE
    assert by_name["A"].depends_on == ('runbook["Payments release"].task["B"]',)
    assert by_name["B"].depends_on == ('runbook["Payments release"].task["C"]',)  # C drops B first
    assert by_name["C"].fields[0].field == "predecessors"


def test_running_runbook_is_not_appliable():
    tree = desired_tree(tasks=(TaskState(name="A", duration=5),))
    live = live_of(desired_tree(tasks=(TaskState(name="A", duration=6),))).model_copy(
        update={"stage": "active"}
    )
    plan = diff_runbook(tree, live, None)
    assert plan.appliable is False
    assert "active" in plan.refusal and "dynamic" in plan.refusal
    dynamic = diff_runbook(tree, live.model_copy(update={"dynamic": True}), None)
    assert dynamic.appliable is True


def test_a_running_runbook_may_change_its_status_and_status_message_only():
    tasks = (TaskState(name="A", duration=5),)
    live = live_of(desired_tree(status="off", tasks=tasks)).model_copy(update={"stage": "active"})
    rag = diff_runbook(
        desired_tree(status="amber", status_message="Late start", tasks=tasks), live, None
    )
    assert [f.field for f in rag.changes[0].fields] == ["status", "status_message"]
    assert rag.appliable is True and rag.refusal is None
    described = diff_runbook(
        desired_tree(status="amber", description="Other", tasks=tasks), live, None
    )
    assert described.appliable is False and "status_message" in described.refusal
    task_too = diff_runbook(
        desired_tree(status="amber", tasks=(TaskState(name="A", duration=6),)), live, None
    )
    assert task_too.appliable is False


def test_unchanged_running_runbook_stays_appliable():
    tree = desired_tree(tasks=(TaskState(name="A", duration=5),))
    live = live_of(tree).model_copy(update={"stage": "active"})
    assert diff_runbook(tree, live, None).appliable is True


def test_duplicate_live_task_names_are_an_error_naming_them():
    tree = desired_tree(tasks=(TaskState(name="A"),))
    live = live_of(tree)
    live.tasks.append(LiveTask(id="t-dup", internal_id=7, state=full_task("A")))
    with pytest.raises(PlanError, match=r'"A" matches 2 tasks.*#1.*#7'):
        diff_runbook(tree, live, None)


def test_unknown_predecessor_and_stream_are_errors():
    tree = desired_tree(tasks=(TaskState(name="A", stream="Nope", predecessors=("Ghost",)),))
    with pytest.raises(PlanError) as err:
        diff_runbook(tree, None, None)
    assert 'stream "Nope"' in str(err.value) and 'after: "Ghost" is neither' in str(err.value)


def test_an_unknown_template_predecessor_is_an_error_with_a_did_you_mean():
    tree = desired_tree(
        template=True, tasks=(TaskState(name="New", predecessors=("Back up databse",)),)
    )
    tree = tree.model_copy(update={"task_sources": {"New": "f.yaml:9:5"}})
    with pytest.raises(PlanError) as err:
        diff_runbook(tree, None, template_runbook())
    assert (
        'f.yaml:9:5: task "New": after: "Back up databse" is neither a task in the files nor '
        'one the runbook or its template has; did you mean "Back up databases"?'
    ) in str(err.value)


def test_planned_end_follows_the_start_time():
    tree = desired_tree(
        start_scheduled=WHEN,
        streams=(StreamState(name="S"),),
        tasks=(TaskState(name="A", stream="S", duration=3600),),
    )
    plan = diff_runbook(tree, None, None)
    assert plan.schedule_after.planned_end == "2026-12-05T23:00:00+00:00"


def test_custom_fields_compare_only_the_keys_the_file_sets():
    live = live_of(desired_tree(custom_fields={"Change ticket": "CHG1", "Risk": "Low"}))
    same = desired_tree(custom_fields={"Change ticket": "CHG1"})
    assert diff_runbook(same, live, None).changes == []
    changed = desired_tree(custom_fields={"Risk": "High"})
    [change] = diff_runbook(changed, live, None).changes
    assert change.fields[0].before == {"Risk": "Low"} and change.fields[0].after == {"Risk": "High"}


def test_stream_missing_from_the_file_is_deleted_unless_tasks_use_it():
    live = live_of(
        desired_tree(
            streams=(StreamState(name="Used"), StreamState(name="Unused")),
            tasks=(TaskState(name="A", stream="Used"),),
        )
    )
    plan = diff_runbook(desired_tree(tasks=(TaskState(name="A", stream="Used"),)), live, None)
    assert [(c.action, c.name) for c in plan.changes] == [(Action.DELETE, "Unused")]


def test_file_predecessors_closing_a_cycle_with_live_ones_are_refused():
    live = live_of(
        desired_tree(tasks=(TaskState(name="A"), TaskState(name="B", predecessors=("A",))))
    )
    # B came from a template, so the file leaves its predecessors (A) as they are.
    live.tasks[1].source_task_id = "template-B"
    tree = desired_tree(tasks=(TaskState(name="A", predecessors=("B",)),))
    with pytest.raises(PlanError, match="predecessor cycle"):
        diff_runbook(
            tree.model_copy(update={"tasks": (*tree.tasks, TaskState(name="B"))}), live, None
        )


def test_dropping_after_from_a_file_task_removes_its_predecessors():
    live = live_of(
        desired_tree(tasks=(TaskState(name="A"), TaskState(name="B", predecessors=("A",))))
    )
    tree = desired_tree(tasks=(TaskState(name="A"), TaskState(name="B")))
    [change] = diff_runbook(tree, live, None).changes
    assert change.name == "B"
    assert [(f.field, f.before, f.after) for f in change.fields] == [("predecessors", ["A"], [])]


def test_a_new_task_without_a_stream_is_planned_in_the_primary_stream_by_its_name():
    # Round 2, Streams: a task may be created without a stream; it lands in the primary one.
    live = live_of(desired_tree(streams=(StreamState(name="Main"), StreamState(name="Prep"))))
    live.streams[0] = live.streams[0].model_copy(update={"is_primary": True})
    tree = desired_tree(streams=(StreamState(name="Prep"),), tasks=(TaskState(name="A"),))
    plan = diff_runbook(tree, live, None)
    [create] = [c for c in plan.changes if c.name == "A"]
    assert create.action is Action.CREATE and create.after["stream"] == "Main"
    assert not [c for c in plan.changes if c.action is Action.DELETE]  # the primary stays
    assert any("primary stream, which Cutover never deletes" in w for w in plan.warnings)
    # A new runbook: its primary stream is Cutover's to name, so the task is sent without one.
    fresh = diff_runbook(desired_tree(tasks=(TaskState(name="A"),)), None, None)
    [task] = [c for c in fresh.changes if c.name == "A"]
    assert "stream" not in task.after


def test_a_misspelt_existing_task_without_a_stream_is_a_create_with_a_did_you_mean():
    live = live_of(
        desired_tree(
            streams=(StreamState(name="Prep"),),
            tasks=(TaskState(name="Back up ledger", stream="Prep"),),
        )
    )
    tree = desired_tree(
        streams=(StreamState(name="Prep"),),
        tasks=(TaskState(name="Back up ledger", stream="Prep"), TaskState(name="Back up ldeger")),
    )
    plan = diff_runbook(tree, live, None)
    assert [c.name for c in plan.changes if c.action is Action.CREATE] == ["Back up ldeger"]
    assert any('did you mean "Back up ledger"?' in w for w in plan.warnings)


def test_a_template_may_get_a_scheduled_start():
    # Round 2: nothing says a template cannot have start_scheduled; the plan does not refuse it.
    live = live_of(desired_tree(is_template=True, template_status="draft"))
    plan = diff_runbook(
        desired_tree(is_template=True, template_status="draft", start_scheduled=WHEN), live, None
    )
    assert [f.field for f in plan.changes[0].fields] == ["start_scheduled"]
    assert plan.appliable is True
    created = diff_runbook(desired_tree(is_template=True, start_scheduled=WHEN), None, None)
    assert created.changes[0].after["start_scheduled"] == WHEN.isoformat()


def _renaming(tree, **renames: str):
    return tree.model_copy(update={"stream_renamed_from": renames})


def test_a_renamed_primary_stream_is_an_update_its_tasks_and_substreams_follow():
    before = desired_tree(
        streams=(StreamState(name="Main"), StreamState(name="Sub", parent="Main")),
        tasks=(TaskState(name="A", stream="Main"), TaskState(name="C", stream="Sub")),
    )
    live = live_of(before)
    live.streams[0] = live.streams[0].model_copy(update={"is_primary": True})
    tree = _renaming(
        desired_tree(
            streams=(StreamState(name="Primary"), StreamState(name="Sub", parent="Primary")),
            tasks=(
                TaskState(name="A", stream="Primary"),
                TaskState(name="B"),
                TaskState(name="C", stream="Sub"),
            ),
        ),
        Primary="Main",
    )
    plan = diff_runbook(tree, live, None)
    by_name = {c.name: c for c in plan.changes}
    assert set(by_name) == {"Primary", "B"}  # A and C stay where they are; Sub keeps its parent
    rename = by_name["Primary"]
    assert (rename.action, rename.id, rename.renamed_from) == (Action.UPDATE, "s-Main", "Main")
    assert [(f.field, f.before, f.after) for f in rename.fields] == [("name", "Main", "Primary")]
    assert rename.drift is False
    assert by_name["B"].after["stream"] == "Primary"  # the primary stream by its new name
    # Apply finds the stream's id by its new name whether or not the rename went first.
    assert plan.live_ids['runbook["Payments release"].stream["Primary"]'] == "s-Main"
    assert not plan.warnings
    # Once renamed live, the same files plan nothing; the old name alone matches as well.
    after = live.model_copy(
        update={
            "streams": [
                s.model_copy(update={"state": s.state.model_copy(update={"name": "Primary"})})
                if s.is_primary
                else s.model_copy(
                    update={"state": s.state.model_copy(update={"parent": "Primary"})}
                )
                for s in live.streams
            ],
            "tasks": [
                t.model_copy(update={"state": t.state.model_copy(update={"stream": "Primary"})})
                if t.state.stream == "Main"
                else t
                for t in live.tasks
            ],
        }
    )
    settled = _renaming(desired_tree(streams=tree.streams, tasks=tree.tasks[::2]), Primary="Main")
    assert diff_runbook(settled, after, None).changes == []


def test_a_file_that_drops_the_renamed_primary_stream_never_deletes_it():
    live = live_of(desired_tree(streams=(StreamState(name="Main"), StreamState(name="Prep"))))
    live.streams[0] = live.streams[0].model_copy(update={"is_primary": True})
    plan = diff_runbook(desired_tree(streams=(StreamState(name="Prep"),)), live, None)
    assert not [c for c in plan.changes if c.action is Action.DELETE]


def test_a_template_copy_may_rename_the_template_primary_stream():
    template = template_runbook()
    template.streams[0] = template.streams[0].model_copy(update={"is_primary": True})
    tree = _renaming(
        desired_tree(template=True, streams=(StreamState(name="Prep"),)), Prep="Preparation"
    )
    plan = diff_runbook(tree, None, template)
    by_name = {c.name: c for c in plan.changes}
    assert "Preparation" not in by_name
    assert by_name["Prep"].action is Action.UPDATE and by_name["Prep"].renamed_from == "Preparation"
    assert by_name["Announce change freeze"].after["stream"] == "Prep"


def test_a_stream_renamed_from_a_listed_stream_is_an_error():
    live = live_of(desired_tree(streams=(StreamState(name="Main"),)))
    tree = _renaming(
        desired_tree(streams=(StreamState(name="Main"), StreamState(name="New"))), New="Main"
    )
    with pytest.raises(PlanError, match='"New" is renamed from "Main", but the files also list'):
        diff_runbook(tree, live, None)


def test_a_rename_that_matches_nothing_creates_the_stream_and_says_so():
    tree = _renaming(desired_tree(streams=(StreamState(name="Main"),)), Main="Default stream")
    plan = diff_runbook(tree, None, None)
    assert [(c.action, c.name) for c in plan.changes][1:] == [(Action.CREATE, "Main")]
    assert any("primary stream is Cutover's to name" in w for w in plan.warnings)


def test_warnings_from_loading_reach_the_plan():
    tree = desired_tree().model_copy(update={"warnings": ("f.yaml:3:3: start_planned: twice",)})
    assert diff_runbook(tree, None, None).warnings == ["f.yaml:3:3: start_planned: twice"]


SANDBOX_TYPES = PlanOptions(
    default_task_type="Normal", default_durations={"Normal": 600, "Milestone": 0, "Approval": 300}
)


def test_zero_duration_is_refused_where_the_task_type_has_a_default_duration():
    tree = desired_tree(
        tasks=(
            TaskState(name="Plain", duration=0),
            TaskState(name="Approve", type="Approval", duration=0),
            TaskState(name="Go live", type="Milestone", duration=0),
        )
    )
    with pytest.raises(PlanError) as err:
        diff_runbook(tree, None, None, SANDBOX_TYPES)
    message = str(err.value)
    assert 'task "Plain": duration 0 is refused for task type "Normal"' in message
    assert "whose default duration is 10m" in message
    assert 'task "Approve": duration 0 is refused for task type "Approval"' in message
    assert "Go live" not in message


def test_zero_duration_already_live_is_not_sent_again():
    live = live_of(desired_tree(tasks=(TaskState(name="A", duration=600),)))
    live.tasks[0].state = live.tasks[0].state.model_copy(update={"duration": 0})
    tree = desired_tree(tasks=(TaskState(name="A", duration=0),))
    assert diff_runbook(tree, live, None, SANDBOX_TYPES).changes == []
    changed = desired_tree(tasks=(TaskState(name="A", duration=0, description="x"),))
    live.tasks[0].state = live.tasks[0].state.model_copy(update={"duration": 60})
    with pytest.raises(PlanError, match="duration 0 is refused"):
        diff_runbook(changed, live, None, SANDBOX_TYPES)


def test_without_task_types_known_zero_durations_are_planned():
    tree = desired_tree(tasks=(TaskState(name="Plain", duration=0),))
    [*_, change] = diff_runbook(tree, None, None).changes
    assert change.after["duration"] == 0


def test_a_cycle_through_template_tasks_is_an_error_at_the_file_task_closing_it():
    # The template has "Confirm go/no-go" after "Announce change freeze"; the file makes
    # "Announce change freeze" wait for a new task that waits for "Confirm go/no-go".
    tree = desired_tree(
        template=True,
        tasks=(
            TaskState(name="Announce change freeze", predecessors=("Brief",)),
            TaskState(name="Brief", stream="Preparation", predecessors=("Confirm go/no-go",)),
        ),
    )
    tree = tree.model_copy(
        update={"task_sources": {"Announce change freeze": "f.yaml:5:5", "Brief": "f.yaml:7:5"}}
    )
    with pytest.raises(PlanError) as err:
        diff_runbook(tree, None, template_runbook())
    assert (
        'f.yaml:5:5: predecessor cycle: "Announce change freeze" → "Brief" → '
        '"Confirm go/no-go" → "Announce change freeze"'
    ) in str(err.value)
