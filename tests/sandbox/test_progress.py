"""Running a runbook: start, pause, resume, cancel; task start, finish, skip; editability."""

from __future__ import annotations

import pytest

from .support import (
    REHEARSAL,
    create_runbook,
    create_stream,
    create_task,
    document,
    errors_of,
)

pytestmark = pytest.mark.anyio


async def two_tasks(client, runbook_type=1):
    runbook = await create_runbook(client, "Run", runbook_type=runbook_type)
    stream = await create_stream(client, runbook["id"])
    first = await create_task(client, runbook["id"], stream["id"], "first")
    second = await create_task(client, runbook["id"], stream["id"], "second", [first["id"]])
    return runbook["id"], stream["id"], first["id"], second["id"]


async def test_run_a_runbook_to_completion(sandbox):
    async with sandbox.client() as client:
        rid, _, first, second = await two_tasks(client)
        tasks = f"/core/runbooks/{rid}/tasks"
        early = await client.patch(f"{tasks}/{first}/start")
        started = await client.patch(
            f"/core/runbooks/{rid}/start", json={"meta": {"run_type": "live", "comms": "off"}}
        )
        stage = lambda r: r.json()["data"]["attributes"]["stage"]  # noqa: E731
        before = await client.get(f"{tasks}/{second}")
        blocked = await client.patch(f"{tasks}/{second}/start")
        running = await client.patch(f"{tasks}/{first}/start")
        unfinished = await client.patch(f"{tasks}/{second}/finish")
        done = await client.patch(f"{tasks}/{first}/finish")
        ready = await client.get(f"{tasks}/{second}")
        skipped = await client.patch(
            f"{tasks}/{second}/skip", json={"meta": {"comment": "not needed tonight"}}
        )
        after_skip = await client.get(f"{tasks}/{second}")
        runbook = await client.get(f"/core/runbooks/{rid}")
    assert errors_of(early) == [("invalid", "/data")]
    assert started.status_code == 200
    assert started.json()["data"]["attributes"]["stage"] == "active"
    assert started.json()["data"]["attributes"]["run_type"] == "live"
    assert stage(before) == "not_startable"
    assert errors_of(blocked) == [("task.not_startable", "/data")]
    assert stage(running) == "in_progress"
    assert running.json()["data"]["attributes"]["start_actual"] is not None
    # The reference's error table: `task.not_finishable` ("Task is not finishable.").
    assert errors_of(unfinished) == [("task.not_finishable", "/data")]
    assert stage(done) == "complete"
    assert stage(ready) == "startable"
    # Round 2, Task actions: skip answers with an acknowledgement, not the task, and the task's
    # completion_type becomes complete_skipped (the reference's full words).
    assert skipped.status_code == 200 and "data" not in skipped.json()
    assert stage(after_skip) == "complete"
    assert after_skip.json()["data"]["attributes"]["completion_type"] == "complete_skipped"
    assert runbook.json()["data"]["attributes"]["stage"] == "complete"


async def test_start_override_and_pause_resume_cancel(sandbox):
    async with sandbox.client() as client:
        rid, _, _, second = await two_tasks(client)
        await client.patch(f"/core/runbooks/{rid}/start", json={"meta": REHEARSAL})
        forced = await client.patch(
            f"/core/runbooks/{rid}/tasks/{second}/start", json={"meta": {"override": True}}
        )
        paused = await client.patch(f"/core/runbooks/{rid}/pause")
        paused_again = await client.patch(f"/core/runbooks/{rid}/pause")
        resumed = await client.patch(f"/core/runbooks/{rid}/resume")
        canceled = await client.patch(f"/core/runbooks/{rid}/cancel")
        restart = await client.patch(f"/core/runbooks/{rid}/start", json={"meta": REHEARSAL})
        template = await client.patch(
            "/core/runbooks/1/start", json={"meta": {"run_type": "live", "comms": "off"}}
        )
        bad_type = await client.patch(
            f"/core/runbooks/{rid}/start", json={"meta": {"run_type": "x", "comms": "off"}}
        )
    assert forced.json()["data"]["attributes"]["stage"] == "in_progress"
    assert paused.json()["data"]["attributes"]["stage"] == "paused"
    assert paused_again.status_code == 422
    assert resumed.json()["data"]["attributes"]["stage"] == "active"
    assert canceled.json()["data"]["attributes"]["stage"] == "canceled"
    assert restart.status_code == 422
    # Round 2, Runbooks: starting a template is refused only for live runs.
    assert errors_of(template) == [("runs.create.cannot_run_template_live", "/meta/run_type")]
    assert errors_of(bad_type) == [("inclusion", "/meta/run_type")]


async def test_tasks_of_a_running_normal_runbook_are_not_editable(sandbox):
    async with sandbox.client() as client:
        rid, stream, first, _ = await two_tasks(client)
        await client.patch(f"/core/runbooks/{rid}/start", json={"meta": REHEARSAL})
        tasks = f"/core/runbooks/{rid}/tasks"
        patch = await client.patch(f"{tasks}/{first}", json=document("task", {"name": "new"}))
        create = await client.post(tasks, json=document("task", {"name": "n"}, stream=stream))
        delete = await client.delete(f"{tasks}/{first}")
        runbook_patch = await client.patch(
            f"/core/runbooks/{rid}", json=document("runbook", {"status": "green"})
        )
    for response in (patch, create, delete):
        assert response.status_code == 422
        assert errors_of(response) == [("task.not_editable", "/data")]
    assert runbook_patch.status_code == 200


async def test_tasks_of_a_running_dynamic_runbook_are_editable(sandbox):
    async with sandbox.client() as client:
        rid, stream, first, _ = await two_tasks(client, runbook_type=2)
        await client.patch(f"/core/runbooks/{rid}/start", json={"meta": REHEARSAL})
        patch = await client.patch(
            f"/core/runbooks/{rid}/tasks/{first}", json=document("task", {"name": "new"})
        )
        create = await client.post(
            f"/core/runbooks/{rid}/tasks", json=document("task", {"name": "n"}, stream=stream)
        )
    assert patch.status_code == 200
    assert create.status_code == 201
