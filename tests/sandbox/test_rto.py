"""A runbook's `rto` (seconds) between `rto_start_task` and `rto_end_task`; `auto_start`."""

from __future__ import annotations

import pytest

from .support import all_pages, create_runbook, document, errors_of

pytestmark = pytest.mark.anyio


async def disaster_recovery_copy(client) -> dict:
    """A copy of the seeded template in the type that enables RTO (and takes only copies)."""
    body = document("runbook", {"name": "DR rehearsal"}, runbook_type="disaster-recovery")
    body["meta"] = {"copy": {"source_runbook_id": "1", "tasks": True}}
    response = await client.post("/core/runbooks", json=body)
    assert response.status_code == 201, response.text
    return response.json()["data"]


async def test_rto_and_its_tasks_are_written_and_read_back(any_sandbox):
    # Round 2, Runbooks: rto (seconds) with relationships rto_start_task and rto_end_task.
    async with any_sandbox.client() as client:
        runbook = await disaster_recovery_copy(client)
        tasks = await all_pages(client, f"/core/runbooks/{runbook['id']}/tasks")
        first, last = tasks[0]["id"], tasks[-1]["id"]
        patched = await client.patch(
            f"/core/runbooks/{runbook['id']}",
            json=document(
                "runbook",
                {"rto": 4 * 3600},
                rto_start_task=first,
                rto_end_task=last,
            ),
        )
        fetched = await client.get(f"/core/runbooks/{runbook['id']}")
    assert runbook["attributes"]["rto"] is None
    assert runbook["relationships"]["rto_start_task"]["data"] is None
    assert patched.status_code == 200, patched.text
    data = fetched.json()["data"]
    assert data["attributes"]["rto"] == 14400
    assert data["relationships"]["rto_start_task"]["data"] == {"id": first, "type": "task"}
    assert data["relationships"]["rto_end_task"]["data"] == {"id": last, "type": "task"}


async def test_rto_tasks_belong_to_the_runbook(sandbox):
    # Round 2, Runbooks (plainest reading): the RTO tasks are tasks of the same runbook.
    async with sandbox.client() as client:
        runbook = await disaster_recovery_copy(client)
        other = await client.patch(
            f"/core/runbooks/{runbook['id']}",
            json=document("runbook", {}, rto_start_task="1"),  # the template's
        )
        missing = await client.patch(
            f"/core/runbooks/{runbook['id']}",
            json=document("runbook", {}, rto_end_task="999"),
        )
        negative = await client.patch(
            f"/core/runbooks/{runbook['id']}", json=document("runbook", {"rto": -1})
        )
    assert errors_of(other) == [("not_found", "/data/relationships/rto_start_task")]
    assert errors_of(missing) == [("not_found", "/data/relationships/rto_end_task")]
    assert errors_of(negative) == [("greater_than_or_equal_to", "/data/attributes/rto")]


async def test_rto_needs_a_type_that_enables_it(sandbox):
    # Round 2, Runbooks: runbook types carry enable_rto; the plainest reading is that a
    # runbook of a type without it takes no RTO (refused with the general `invalid`).
    async with sandbox.client() as client:
        runbook = await create_runbook(client, "Normal")
        refused = await client.patch(
            f"/core/runbooks/{runbook['id']}", json=document("runbook", {"rto": 3600})
        )
        cleared = await client.patch(
            f"/core/runbooks/{runbook['id']}", json=document("runbook", {"rto": None})
        )
    assert errors_of(refused) == [("invalid", "/data/attributes/rto")]
    assert cleared.status_code == 200


async def test_a_copy_of_a_runbook_with_rto_points_at_its_own_tasks(sandbox):
    # Round 2, Runbooks (plainest reading): a copy keeps rto, its RTO tasks re-pointed at
    # the copy's own tasks, as predecessors are.
    async with sandbox.client() as client:
        template = await client.post(
            "/core/runbooks",
            json=document(
                "runbook",
                {"name": "DR template", "is_template": True},
                workspace=1,
                runbook_type="disaster-recovery",
            ),
        )
        tid = template.json()["data"]["id"]
        body = document("task", {"name": "Fail over"}, predecessors=[])
        task = (await client.post(f"/core/runbooks/{tid}/tasks", json=body)).json()["data"]
        await client.patch(
            f"/core/runbooks/{tid}",
            json=document(
                "runbook",
                {"rto": 600},
                rto_start_task=task["id"],
                rto_end_task=task["id"],
            ),
        )
        body = document("runbook", {"name": "DR run"})
        body["meta"] = {"copy": {"source_runbook_id": tid, "tasks": True}}
        copied = (await client.post("/core/runbooks", json=body)).json()["data"]
        copied_tasks = await all_pages(client, f"/core/runbooks/{copied['id']}/tasks")
    assert copied["attributes"]["rto"] == 600
    own = {"id": copied_tasks[0]["id"], "type": "task"}
    assert copied["relationships"]["rto_start_task"]["data"] == own
    assert copied["relationships"]["rto_end_task"]["data"] == own


async def test_auto_start_is_written_and_read_back(any_sandbox):
    # Round 2, Runbooks: auto_start ("auto-started runbooks run in live mode with comms on").
    async with any_sandbox.client() as client:
        plain = await create_runbook(client, "Plain")
        auto = await create_runbook(client, "Auto", auto_start=True)
        off = await client.patch(
            f"/core/runbooks/{auto['id']}", json=document("runbook", {"auto_start": False})
        )
        bad = await client.patch(
            f"/core/runbooks/{auto['id']}", json=document("runbook", {"auto_start": "yes"})
        )
    assert plain["attributes"]["auto_start"] is False
    assert auto["attributes"]["auto_start"] is True
    assert off.json()["data"]["attributes"]["auto_start"] is False
    assert errors_of(bad) == [("invalid", "/data/attributes/auto_start")]
