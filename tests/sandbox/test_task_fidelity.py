"""Task attributes as Cutover reads them back: `start_ready` a time; refusals with its codes."""

from __future__ import annotations

import pytest

from .support import REHEARSAL, create_runbook, create_stream, create_task, errors_of

pytestmark = pytest.mark.anyio


def _ready(response) -> object:
    return response.json()["data"]["attributes"]["start_ready"]


async def test_start_ready_is_the_time_a_task_became_ready(sandbox):
    # The reference lists `start_ready` as a READ-ONLY string; Round 2, Task reads: "a string
    # (a time), not a boolean". The sandbox's reading: null until the task can start, then
    # the later of the run's start and its predecessors' ends.
    async with sandbox.client() as client:
        runbook = await create_runbook(client, "Ready")
        rid = runbook["id"]
        stream = await create_stream(client, rid)
        first = await create_task(client, rid, stream["id"], "first")
        second = await create_task(client, rid, stream["id"], "second", [first["id"]])
        tasks = f"/core/runbooks/{rid}/tasks"
        planning = await client.get(f"{tasks}/{second['id']}")
        started = await client.patch(f"/core/runbooks/{rid}/start", json={"meta": REHEARSAL})
        first_ready = await client.get(f"{tasks}/{first['id']}")
        waiting = await client.get(f"{tasks}/{second['id']}")
        await client.patch(f"{tasks}/{first['id']}/start")
        finished = await client.patch(f"{tasks}/{first['id']}/finish")
        second_ready = await client.get(f"{tasks}/{second['id']}")
    assert first["attributes"]["start_ready"] is None
    assert _ready(planning) is None
    run_start = started.json()["data"]["attributes"]["start_actual"]
    assert _ready(first_ready) == run_start
    assert _ready(waiting) is None
    assert _ready(second_ready) == finished.json()["data"]["attributes"]["end_actual"]
    assert isinstance(_ready(second_ready), str)


async def test_skipping_a_complete_task_is_already_actioned(sandbox):
    # The reference's error table has `already_actioned` ("This action has already taken
    # place."), not a code of the sandbox's own.
    async with sandbox.client() as client:
        runbook = await create_runbook(client, "Twice")
        rid = runbook["id"]
        stream = await create_stream(client, rid)
        task = await create_task(client, rid, stream["id"], "skipped")
        await create_task(client, rid, stream["id"], "kept")  # keeps the run going
        await client.patch(f"/core/runbooks/{rid}/start", json={"meta": REHEARSAL})
        path = f"/core/runbooks/{rid}/tasks/{task['id']}/skip"
        first = await client.patch(path, json={"meta": {"comment": "not tonight"}})
        again = await client.patch(path, json={"meta": {"comment": "still not"}})
    assert first.status_code == 200
    assert again.status_code == 422
    assert errors_of(again) == [("already_actioned", "/data")]
