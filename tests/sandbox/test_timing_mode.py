"""Timing mode (planned or scheduled start) and the tasks' fixed times that move with it."""

from __future__ import annotations

import pytest

from .support import all_pages, create_runbook, create_task, document, errors_of

pytestmark = pytest.mark.anyio

PLANNED = "2026-03-02T09:00:00Z"
FIXED = "2026-03-02T10:00:00Z"
DUE = "2026-03-02T12:00:00Z"


async def runbook_with_fixed_task(client) -> tuple[str, str]:
    runbook = await create_runbook(client, "Timed", start_planned=PLANNED)
    [stream] = await all_pages(client, f"/core/runbooks/{runbook['id']}/streams")
    task = await create_task(
        client, runbook["id"], stream["id"], "Fixed", start_fixed=FIXED, end_fixed=DUE
    )
    return runbook["id"], task["id"]


async def fixed_times(client, runbook_id: str, task_id: str) -> tuple[str, str]:
    task = (await client.get(f"/core/runbooks/{runbook_id}/tasks/{task_id}")).json()["data"]
    return task["attributes"]["start_fixed"], task["attributes"]["end_fixed"]


async def test_start_planned_is_never_sent_with_start_scheduled(sandbox):
    # The reference: start_planned "Must not be passed if `start_scheduled` is passed";
    # Round 2: not even as null. Of the reference's codes only must_be_empty says so.
    async with sandbox.client() as client:
        created = await client.post(
            "/core/runbooks",
            json=document(
                "runbook",
                {"name": "x", "start_planned": None, "start_scheduled": PLANNED},
                workspace=1,
            ),
        )
        runbook = await create_runbook(client, "R")
        patched = await client.patch(
            f"/core/runbooks/{runbook['id']}",
            json=document("runbook", {"start_scheduled": None, "start_planned": PLANNED}),
        )
        alone = await client.patch(
            f"/core/runbooks/{runbook['id']}",
            json=document("runbook", {"start_scheduled": PLANNED}),
        )
    assert errors_of(created) == [("must_be_empty", "/data/attributes/start_planned")]
    assert errors_of(patched) == [("must_be_empty", "/data/attributes/start_planned")]
    assert alone.status_code == 200
    assert alone.json()["data"]["attributes"]["timing_mode"] == "scheduled"


@pytest.mark.parametrize("meta", [None, {"shift_fixed_times": False}])
async def test_changing_timing_mode_always_shifts_fixed_times(any_sandbox, meta):
    # The reference: shift_fixed_times "is always forced to `true` when changing
    # `timing_mode`"; Round 2 repeats it. A day later, scheduled: fixed times move a day.
    async with any_sandbox.client() as client:
        runbook_id, task_id = await runbook_with_fixed_task(client)
        body = document("runbook", {"start_scheduled": "2026-03-03T09:00:00Z"})
        if meta is not None:
            body["meta"] = meta
        scheduled = await client.patch(f"/core/runbooks/{runbook_id}", json=body)
        after = await fixed_times(client, runbook_id, task_id)
        body = document("runbook", {"start_planned": "2026-03-02T09:00:00Z"})
        if meta is not None:
            body["meta"] = meta
        back = await client.patch(f"/core/runbooks/{runbook_id}", json=body)
        back_again = await fixed_times(client, runbook_id, task_id)
    assert scheduled.status_code == 200, scheduled.text
    assert scheduled.json()["data"]["attributes"]["timing_mode"] == "scheduled"
    assert after == ("2026-03-03T10:00:00Z", "2026-03-03T12:00:00Z")
    assert back.json()["data"]["attributes"]["timing_mode"] == "unscheduled"
    assert back_again == (FIXED, DUE)


async def test_within_a_timing_mode_fixed_times_move_only_when_asked(sandbox):
    # The reference: with shift_fixed_times true, start_fixed and end_fixed "will be
    # recalculated relative to the new Runbook start"; without it they stay.
    async with sandbox.client() as client:
        runbook_id, task_id = await runbook_with_fixed_task(client)
        await client.patch(
            f"/core/runbooks/{runbook_id}",
            json=document("runbook", {"start_planned": "2026-03-02T11:00:00Z"}),
        )
        unasked = await fixed_times(client, runbook_id, task_id)
        body = document("runbook", {"start_planned": "2026-03-02T12:00:00Z"})
        body["meta"] = {"shift_fixed_times": True}
        await client.patch(f"/core/runbooks/{runbook_id}", json=body)
        asked = await fixed_times(client, runbook_id, task_id)
        body["meta"] = {"shift_fixed_times": "yes"}
        bad = await client.patch(f"/core/runbooks/{runbook_id}", json=body)
    assert unasked == (FIXED, DUE)
    assert asked == ("2026-03-02T11:00:00Z", "2026-03-02T13:00:00Z")
    assert errors_of(bad) == [("invalid", "/meta/shift_fixed_times")]


async def test_a_copy_in_another_timing_mode_shifts_fixed_times(sandbox):
    # The reference: the option is forced true when the timing mode changes, as it does
    # when a planned template is copied into a scheduled runbook.
    async with sandbox.client() as client:
        await client.patch(
            "/core/runbooks/1/tasks/1",
            json=document("task", {"start_fixed": "2026-01-05T09:30:00Z"}),
        )
        body = document("runbook", {"name": "Scheduled copy"})
        body["data"]["attributes"]["start_scheduled"] = "2026-02-05T09:00:00Z"
        body["meta"] = {"copy": {"source_runbook_id": "1"}, "shift_fixed_times": False}
        response = await client.post("/core/runbooks", json=body)
        rid = response.json()["data"]["id"]
        tasks = await all_pages(client, f"/core/runbooks/{rid}/tasks")
    assert response.status_code == 201, response.text
    assert tasks[0]["attributes"]["start_fixed"] == "2026-02-05T09:30:00Z"
