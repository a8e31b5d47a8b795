"""The sandbox answers the core endpoints in-process and over real HTTP."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.anyio


async def test_seeded_template_is_listed_in_process(sandbox):
    async with sandbox.client() as client:
        response = await client.get("/core/runbooks", params={"is_template": "true"})
    assert response.status_code == 200
    names = [item["attributes"]["name"] for item in response.json()["data"]]
    assert names == ["Standard release"]


async def test_create_runbook_stream_and_task_over_http(sandbox_server):
    async with sandbox_server.client() as client:
        runbook = await client.post(
            "/core/runbooks",
            json={
                "data": {
                    "type": "runbook",
                    "attributes": {"name": "Smoke"},
                    "relationships": {
                        "workspace": {"data": {"id": "default", "type": "workspace"}}
                    },
                }
            },
        )
        assert runbook.status_code == 201, runbook.text
        runbook_id = runbook.json()["data"]["id"]
        stream = await client.post(
            f"/core/runbooks/{runbook_id}/streams",
            json={"data": {"type": "stream", "attributes": {"name": "Main"}}},
        )
        assert stream.status_code == 201, stream.text
        stream_ref = {"id": stream.json()["data"]["id"], "type": "stream"}
        task = await client.post(
            f"/core/runbooks/{runbook_id}/tasks",
            json={
                "data": {
                    "type": "task",
                    "attributes": {"name": "Do it"},
                    "relationships": {"stream": {"data": stream_ref}, "predecessors": {"data": []}},
                }
            },
        )
    assert task.status_code == 201, task.text
    attributes = task.json()["data"]["attributes"]
    assert attributes["duration"] == 600
    assert attributes["internal_id"] == 1
