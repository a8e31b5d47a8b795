"""Details the reference and Round 2 correct: stream status and forecast, custom field ids,
completion types, skipping with a comment, the start body."""

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
FORECAST_FIELDS = (
    "start_planned",
    "end_planned",
    "start_latest_planned",
    "end_latest_planned",
    "start_display",
    "end_display",
)


async def test_stream_status_is_rag_and_writable(sandbox):
    # Round 2, Streams (and the reference's stream schema): status off/red/amber/green, no
    # `active`, writable, with status_message and status_updated_at.
    async with sandbox.client() as client:
        runbook = await create_runbook(client, "RAG")
        stream = await create_stream(client, runbook["id"], "Main")
        path = f"/core/runbooks/{runbook['id']}/streams/{stream['id']}"
        amber = await client.patch(
            path, json=document("stream", {"status": "amber", "status_message": "slow"})
        )
        message_only = await client.patch(
            path, json=document("stream", {"status_message": "slower"})
        )
        active = await client.patch(path, json=document("stream", {"status": "active"}))
        seeded = await client.get("/core/runbooks/1/streams")
    before = stream["attributes"]
    assert before["status"] == "off" and before["status_message"] is None
    assert before["status_updated_at"] is not None
    after = amber.json()["data"]["attributes"]
    assert after["status"] == "amber" and after["status_message"] == "slow"
    assert after["status_updated_at"] > before["status_updated_at"]
    kept = message_only.json()["data"]["attributes"]
    assert kept["status_updated_at"] == after["status_updated_at"]
    assert errors_of(active) == [("inclusion", "/data/attributes/status")]
    assert {s["attributes"]["status"] for s in seeded.json()["data"]} == {"off"}


async def test_streams_with_forecast_carry_their_times(sandbox):
    # Round 2, Streams: GET .../streams?forecast=true adds start_planned, end_planned,
    # start_latest_planned, end_latest_planned, start_display, end_display.
    async with sandbox.client() as client:
        runbook = await create_runbook(client, "Times", start_planned="2030-01-01T00:00:00Z")
        rid = runbook["id"]
        top = await create_stream(client, rid, "Top")
        sub = await create_stream(client, rid, "Sub", parent=top["id"])
        empty = await create_stream(client, rid, "Empty")
        first = await create_task(client, rid, top["id"], "a", duration=600)
        await create_task(client, rid, sub["id"], "b", [first["id"]], duration=300)
        plain = await client.get(f"/core/runbooks/{rid}/streams")
        forecast = await client.get(f"/core/runbooks/{rid}/streams", params={"forecast": "true"})
        one = await client.get(
            f"/core/runbooks/{rid}/streams/{sub['id']}", params={"forecast": "true"}
        )
    assert not set(FORECAST_FIELDS) & set(plain.json()["data"][0]["attributes"])
    streams = {s["id"]: s["attributes"] for s in forecast.json()["data"]}
    assert streams[top["id"]]["start_planned"] == "2030-01-01T00:00:00Z"
    assert streams[top["id"]]["end_planned"] == "2030-01-01T00:15:00Z"  # spans its substream
    assert streams[sub["id"]]["start_planned"] == "2030-01-01T00:10:00Z"
    assert streams[sub["id"]]["end_latest_planned"] == "2030-01-01T00:15:00Z"
    assert streams[sub["id"]]["start_display"] == "2030-01-01T00:10:00Z"
    assert all(streams[empty["id"]][name] is None for name in FORECAST_FIELDS)
    assert one.json()["data"]["attributes"]["end_display"] == "2030-01-01T00:15:00Z"


async def test_custom_field_ids_read_back_as_strings(sandbox):
    # Round 2, Custom fields: on read, custom_field_values[].custom_field_id is a string.
    async with sandbox.client() as client:
        runbook = await create_runbook(client, "Fields")
        stream = await create_stream(client, runbook["id"])
        task = await create_task(
            client,
            runbook["id"],
            stream["id"],
            "t",
            custom_field_values=[{"name": "Evidence URL", "value": "https://x"}],
        )
        field_id = task["attributes"]["custom_field_values"][0]["custom_field_id"]
        by_id = await client.patch(
            f"/core/runbooks/{runbook['id']}/tasks/{task['id']}",
            json=document(
                "task", {"custom_field_values": [{"custom_field_id": field_id, "value": "y"}]}
            ),
        )
    assert isinstance(field_id, str) and field_id.isdigit()
    assert by_id.json()["data"]["attributes"]["custom_field_values"][0]["value"] == "y"


async def test_completion_type_takes_the_references_full_words(sandbox):
    # The reference, task: completion_type complete_normal, complete_skipped,
    # complete_abandoned, complete_auto.
    async with sandbox.client() as client:
        runbook = await create_runbook(client, "Words")
        stream = await create_stream(client, runbook["id"])
        task = await create_task(client, runbook["id"], stream["id"], "t")
        path = f"/core/runbooks/{runbook['id']}/tasks/{task['id']}"
        answers = {
            word: await client.patch(path, json=document("task", {"completion_type": word}))
            for word in ("complete_abandoned", "complete_auto", "complete_skipped", "skipped")
        }
    assert task["attributes"]["completion_type"] == "complete_normal"
    for word in ("complete_abandoned", "complete_auto", "complete_skipped"):
        assert answers[word].json()["data"]["attributes"]["completion_type"] == word
    assert errors_of(answers["skipped"]) == [("inclusion", "/data/attributes/completion_type")]


async def test_skip_needs_a_comment_which_becomes_a_runbook_comment(sandbox):
    # Round 2, Task actions: skip requires meta.comment, which becomes a runbook comment, and
    # answers with an acknowledgement, not the task.
    async with sandbox.client() as client:
        runbook = await create_runbook(client, "Skips")
        rid = runbook["id"]
        stream = await create_stream(client, rid)
        task = await create_task(client, rid, stream["id"], "t")
        await client.patch(f"/core/runbooks/{rid}/start", json={"meta": REHEARSAL})
        path = f"/core/runbooks/{rid}/tasks/{task['id']}/skip"
        bare = await client.patch(path)
        blank = await client.patch(path, json={"meta": {"comment": "  "}})
        not_text = await client.patch(path, json={"meta": {"comment": 3}})
        still = await client.get(f"/core/runbooks/{rid}/tasks/{task['id']}")
        skipped = await client.patch(path, json={"meta": {"comment": "done by hand"}})
        comments = await client.get(f"/core/runbooks/{rid}/comments")
        task_after = await client.get(f"/core/runbooks/{rid}/tasks/{task['id']}")
    assert errors_of(bare) == [("required", "/meta/comment")]
    assert errors_of(blank) == [("blank", "/meta/comment")]
    assert errors_of(not_text) == [("invalid", "/meta/comment")]
    assert still.json()["data"]["attributes"]["stage"] != "complete"
    assert skipped.status_code == 200 and skipped.json() == {}
    [comment] = comments.json()["data"]
    assert comment["attributes"]["content"] == "done by hand"
    assert task_after.json()["data"]["attributes"]["completion_type"] == "complete_skipped"


async def test_start_needs_comms_and_run_type(sandbox):
    # The reference, PATCH /core/runbooks/{id}/start: meta comms (off, test, on) and run_type
    # (live, rehearsal); validation_level warning or error, default error.
    async with sandbox.client() as client:
        runbook = await create_runbook(client, "Go")
        path = f"/core/runbooks/{runbook['id']}/start"
        bare = await client.patch(path)
        bad_comms = await client.patch(path, json={"meta": {"run_type": "live", "comms": "loud"}})
        bad_level = await client.patch(
            path, json={"meta": {**REHEARSAL, "validation_level": "strict"}}
        )
        started = await client.patch(path, json={"meta": {"run_type": "live", "comms": "test"}})
    assert errors_of(bare) == [("required", "/meta/run_type"), ("required", "/meta/comms")]
    assert errors_of(bad_comms) == [("inclusion", "/meta/comms")]
    assert errors_of(bad_level) == [("inclusion", "/meta/validation_level")]
    attributes = started.json()["data"]["attributes"]
    assert attributes["run_type"] == "live" and attributes["run_comms"] == "test"
