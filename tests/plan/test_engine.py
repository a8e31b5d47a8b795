"""make_plan against the sandbox: examples, drift, template copies, renames, deletes, targets."""

from __future__ import annotations

from pathlib import Path

import pytest

from live.seeding import make_runbook
from runform.errors import ResolveError
from runform.providers.cutover.definitions import load_definitions
from runform.providers.cutover.definitions.project import ProjectConfig
from runform.providers.cutover.engine import make_plan
from runform.providers.cutover.plan.model import Action, Kind
from runform.providers.cutover.plan.options import PlanOptions
from runform.providers.cutover.state.shapes import (
    CopySpec,
    RunbookState,
    RunbookTree,
    StreamState,
    TaskState,
)

pytestmark = pytest.mark.anyio
EXAMPLES = sorted((Path(__file__).parents[2] / "examples").glob("*.yaml"))


def tree(name: str, tasks: list[TaskState], **kw) -> RunbookTree:
    return RunbookTree(
        runbook=RunbookState(name=name, workspace="default"),
        streams=(StreamState(name="Main"),),
        tasks=tuple(tasks),
        **kw,
    )


def task(name: str, duration: int, *preds: str) -> TaskState:
    return TaskState(name=name, stream="Main", duration=duration, predecessors=preds)


CHAIN = [("Prepare", 600, []), ("Deploy", 1200, ["Prepare"]), ("Verify", 300, ["Deploy"])]
CHAIN_TASKS = [task(n, d, *p) for n, d, p in CHAIN]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
async def test_each_example_plans_on_an_empty_sandbox(local_client, example):
    definitions = load_definitions([example], None, ProjectConfig())
    plan, lookups = await make_plan(local_client, definitions)
    counts = plan.counts()
    assert counts["create"] > 0 and counts["delete"] == 0
    for runbook in plan.roots:
        assert runbook.appliable
        assert runbook.changes[0].kind == Kind.RUNBOOK
        assert runbook.changes[0].action in (Action.CREATE, Action.COPY)
        assert runbook.schedule_after is not None and runbook.schedule_after.task_count > 0
    assert lookups.resolve("workspace", "default") == "Default"
    assert any(key.startswith("absent:") for key in plan.fingerprint)


async def test_manual_change_shows_exactly_that_drift(client):
    ids = await make_runbook(client, "Weekly patching", CHAIN)
    plan, _ = await make_plan(client, [tree("Weekly patching", CHAIN_TASKS)])
    assert not plan.has_changes
    assert plan.roots[0].unchanged == {"runbook": 1, "stream": 2, "task": 3}
    assert plan.fingerprint[f"task:{ids['Deploy']}"] is not None

    path = f"/core/runbooks/{ids['runbook']}/tasks/{ids['Deploy']}"
    await client.update(path, "task", {"duration": 2400})
    plan, _ = await make_plan(client, [tree("Weekly patching", CHAIN_TASKS)])
    [change] = plan.changes()
    assert change.address == 'runbook["Weekly patching"].task["Deploy"]'
    assert change.action is Action.UPDATE and change.id == ids["Deploy"]
    assert not change.drift  # no base given: who moved is not claimed
    assert [(f.field, f.before, f.after) for f in change.fields] == [("duration", 2400, 1200)]
    schedule = plan.roots[0]
    assert schedule.schedule_before.critical_path_seconds == 600 + 2400 + 300
    assert schedule.schedule_after.critical_path_seconds == 600 + 1200 + 300


async def test_template_copy_is_predicted_exactly(client):
    copy = RunbookTree(
        runbook=RunbookState(name="Payments release", workspace="default"),
        copy_from=CopySpec(template="Standard release"),
    )
    plan, _ = await make_plan(client, [copy])
    runbook = plan.roots[0]
    copied = [c.name for c in runbook.changes if c.kind == Kind.TASK]
    assert len(copied) == 12 and "Back up databases" in copied
    assert all(c.action is Action.COPY for c in runbook.changes)
    # Make the copy the way apply would, then the plan must have nothing left to do.
    meta = {"copy": {"source_runbook_id": runbook.changes[0].copy["template_id"]}}
    workspace = {"workspace": {"type": "workspace", "id": "1"}}
    await client.create(
        "/core/runbooks", "runbook", {"name": "Payments release"}, workspace, meta=meta
    )
    plan, _ = await make_plan(client, [copy])
    assert not plan.has_changes
    assert plan.roots[0].unchanged["task"] == 12


async def test_rename_is_an_update(local_client):
    ids = await make_runbook(local_client, "Cutover night", CHAIN)
    renamed = [task("Prepare hosts", 600), *CHAIN_TASKS[1:]]
    renamed[1] = task("Deploy", 1200, "Prepare hosts")
    desired = tree("Cutover night", renamed, renamed_from={"Prepare hosts": "Prepare"})
    plan, _ = await make_plan(local_client, [desired])
    [change] = plan.changes()
    assert change.action is Action.UPDATE and change.id == ids["Prepare"]
    assert change.renamed_from == "Prepare"
    assert [(f.field, f.before, f.after) for f in change.fields] == [
        ("name", "Prepare", "Prepare hosts")
    ]


async def test_deletes_beyond_the_limit_block_the_plan_which_still_shows_them(local_client):
    await make_runbook(local_client, "Shrinking", CHAIN)
    desired = tree("Shrinking", [task("Prepare", 600)])
    blocked, _ = await make_plan(local_client, [desired])
    assert blocked.blocked is not None and "delete 2 of its 3 tasks" in blocked.blocked
    assert blocked.blocked.startswith("needs `--allow-deletes`")
    assert blocked.counts()["delete"] == 2  # what would be deleted is in the plan
    plan, _ = await make_plan(local_client, [desired], PlanOptions(allow_deletes=True))
    assert plan.blocked is None
    assert plan.counts()["delete"] == 2
    deletes = [c for c in plan.changes() if c.action is Action.DELETE]
    verify = next(c for c in deletes if c.name == "Verify")
    deploy = next(c for c in deletes if c.name == "Deploy")
    assert verify.address in deploy.depends_on  # successors go first


async def test_running_runbook_is_not_appliable(local_client):
    ids = await make_runbook(local_client, "Live now", CHAIN)
    await local_client.action(
        f"/core/runbooks/{ids['runbook']}/start", {"run_type": "live", "comms": "off"}
    )
    changed = tree("Live now", [task("Prepare", 60), *CHAIN_TASKS[1:]])
    plan, _ = await make_plan(local_client, [changed])
    runbook = plan.roots[0]
    assert runbook.appliable is False and "not dynamic" in runbook.refusal


async def test_subset_targets_and_unknown_names(local_client):
    trees = [tree("One", CHAIN_TASKS), tree("Two", CHAIN_TASKS)]
    plan, _ = await make_plan(local_client, trees, PlanOptions(runbooks=("Two",)))
    assert [r.name for r in plan.roots] == ["Two"]
    plan, _ = await make_plan(
        local_client, trees, PlanOptions(targets=('runbook["One"].task["Deploy"]',))
    )
    assert [c.name for c in plan.changes()] == ["One", "Main", "Prepare", "Deploy"]
    bad = RunbookTree(runbook=RunbookState(name="X", workspace="nowhere"))
    with pytest.raises(ResolveError, match=r'unknown workspace "nowhere" \(choices: Default'):
        await make_plan(local_client, [bad])
