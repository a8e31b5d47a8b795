"""Cutover's rarer refusals: `taken`, `missing_custom_field_value`, `runbooks.start.*` (the
405 of an instance whose Core is older than an endpoint: test_versions.py)."""

from __future__ import annotations

import httpx
import pytest

from runform.providers.cutover.sandbox.resources.start_checks import MAX_RUN_TASKS

from .support import (
    REHEARSAL,
    add_participants,
    create_runbook,
    create_stream,
    create_task,
    document,
    errors_of,
)

pytestmark = pytest.mark.anyio


async def test_sibling_streams_need_distinct_names(any_sandbox):
    async with any_sandbox.client() as client:
        runbook = await create_runbook(client, "Streams")
        rid = runbook["id"]
        main = await create_stream(client, rid, "Main")
        other = await create_stream(client, rid, "Other")
        again = await client.post(
            f"/core/runbooks/{rid}/streams", json=document("stream", {"name": "main"})
        )
        # The same name under another parent is a different stream.
        nested = await create_stream(client, rid, "Main", parent=other["id"])
        renamed = await client.patch(
            f"/core/runbooks/{rid}/streams/{other['id']}",
            json=document("stream", {"name": "Main"}),
        )
        moved = await client.patch(
            f"/core/runbooks/{rid}/streams/{main['id']}",
            json=document("stream", {"name": "Main"}),
        )
    assert again.status_code == 422
    assert errors_of(again) == [("taken", "/data/attributes/name")]
    assert nested["relationships"]["parent"]["data"]["id"] == other["id"]
    assert errors_of(renamed) == [("taken", "/data/attributes/name")]
    assert moved.status_code == 200, "keeping its own name is not a clash"


def _require(app, name: str, apply_to: str, default: str | None = None) -> None:
    """Add a required custom field, as an administrator would in Cutover's UI."""
    store = app.state.store
    with store.lock, store.transaction():
        store.insert(
            "custom_field",
            {
                "name": name,
                "display_name": name,
                "field_type": "text",
                "field_options": [],
                "required": True,
                "default_value": default,
                "archived": False,
                "apply_to": apply_to,
                "global": True,
                "workspace_id": None,
            },
        )


async def test_a_required_custom_field_needs_a_value_on_create(any_sandbox):
    _require(any_sandbox.app, "Approver", "runbook_add_edit")
    _require(any_sandbox.app, "Ticket", "task_add_edit")
    _require(any_sandbox.app, "Region", "runbook_add_edit", default="EU")
    workspace = {"workspace": "default"}
    async with any_sandbox.client() as client:
        missing = await client.post(
            "/core/runbooks", json=document("runbook", {"name": "R"}, **workspace)
        )
        blank = await client.post(
            "/core/runbooks",
            json=document(
                "runbook",
                {"name": "R", "custom_field_values": [{"name": "Approver", "value": ""}]},
                **workspace,
            ),
        )
        runbook = await create_runbook(
            client, "R", custom_field_values=[{"name": "Approver", "value": "Ada"}]
        )
        stream = await create_stream(client, runbook["id"])
        task_missing = await client.post(
            f"/core/runbooks/{runbook['id']}/tasks",
            json=document("task", {"name": "T"}, stream=stream["id"], predecessors=[]),
        )
        task = await create_task(
            client,
            runbook["id"],
            stream["id"],
            "T",
            custom_field_values=[{"name": "Ticket", "value": "CHG1"}],
        )
    pointer = "/data/attributes/custom_field_values"
    assert missing.status_code == 422
    assert errors_of(missing) == [("missing_custom_field_value", pointer)]
    assert "Approver" in missing.json()["errors"][0]["detail"]
    assert errors_of(blank) == [("missing_custom_field_value", pointer)]
    assert errors_of(task_missing) == [("missing_custom_field_value", pointer)]
    assert task["attributes"]["name"] == "T"


async def _copy_of_template(client: httpx.AsyncClient, name: str) -> str:
    response = await client.post(
        "/core/runbooks",
        json={
            "data": {"type": "runbook", "attributes": {"name": name}},
            "meta": {"copy": {"source_runbook_id": 1, "tasks": True, "teams": True}},
        },
    )
    assert response.status_code == 201, response.text
    return response.json()["data"]["id"]


async def test_warning_level_start_reports_every_readiness_problem(any_sandbox):
    store = any_sandbox.app.state.store
    async with any_sandbox.client() as client:
        rid = await _copy_of_template(client, "Not ready")
        # One task due before it can end; one runbook team emptied of its members.
        tasks = (await client.get(f"/core/runbooks/{rid}/tasks")).json()["data"]
        first = next(t for t in tasks if t["attributes"]["name"] == "Announce change freeze")
        await client.patch(
            f"/core/runbooks/{rid}",
            json=document("runbook", {"start_planned": "2030-01-01T00:00Z"}),
        )
        await client.patch(
            f"/core/runbooks/{rid}/tasks/{first['id']}",
            json=document("task", {"end_fixed": "2030-01-01T00:05:00Z"}),
        )
        team = next(t for t in store.all("team") if t["name"] == "Database team")
        with store.lock, store.transaction():
            store.update("team", team["id"], {"user_ids": []})
        # The reference, start: validation_level "warning" blocks on any validation check.
        strict = await client.patch(
            f"/core/runbooks/{rid}/start",
            json={"meta": {**REHEARSAL, "validation_level": "warning"}},
        )
        odd = await client.patch(
            f"/core/runbooks/{rid}/start", json={"meta": {**REHEARSAL, "validation_level": "none"}}
        )
        still = await client.get(f"/core/runbooks/{rid}")
        # The default, "error", leaves warnings to people.
        lenient = await client.patch(f"/core/runbooks/{rid}/start", json={"meta": REHEARSAL})
    assert strict.status_code == 422
    assert errors_of(strict) == [
        ("runbooks.start.unassigned_tasks", "/data"),
        ("runbooks.start.empty_teams", "/data"),
        ("runbooks.start.late_tasks", "/data"),
    ]
    details = [e["detail"] for e in strict.json()["errors"]]
    assert "'Announce change freeze'" in details[0] and "'Close change'" not in details[0]
    assert "'Database team'" in details[1]
    assert "'Announce change freeze'" in details[2]
    assert errors_of(odd) == [("inclusion", "/meta/validation_level")]
    assert still.json()["data"]["attributes"]["stage"] == "planning"
    assert lenient.status_code == 200
    assert lenient.json()["data"]["attributes"]["stage"] == "active"


async def test_warning_level_start_of_a_ready_runbook_succeeds(sandbox):
    async with sandbox.client() as client:
        runbook = await create_runbook(client, "Ready")
        stream = await create_stream(client, runbook["id"])
        add_participants(sandbox.app.state.store, runbook["id"], [1])
        await create_task(client, runbook["id"], stream["id"], "Only", assignees=[("user", 1)])
        started = await client.patch(
            f"/core/runbooks/{runbook['id']}/start",
            json={"meta": {**REHEARSAL, "validation_level": "warning"}},
        )
    assert started.status_code == 200, started.text


async def test_a_runbook_over_the_task_limit_cannot_start(sandbox):
    store = sandbox.app.state.store
    async with sandbox.client() as client:
        runbook = await create_runbook(client, "Huge")
        stream = await create_stream(client, runbook["id"])
        task = await create_task(client, runbook["id"], stream["id"], "Template task")
        record = store.get("task", int(task["id"]))
        with store.lock, store.transaction():
            for number in range(MAX_RUN_TASKS):
                store.insert(
                    "task",
                    {
                        **{k: v for k, v in record.items() if k != "id"},
                        "name": f"Task {number}",
                        "internal_id": number + 2,
                    },
                )
        # An error refuses the start even at the default validation_level.
        refused = await client.patch(
            f"/core/runbooks/{runbook['id']}/start", json={"meta": REHEARSAL}
        )
    assert refused.status_code == 422
    assert errors_of(refused) == [("runbooks.start.max_tasks_exceeded", "/data")]
    assert str(MAX_RUN_TASKS + 1) in refused.json()["errors"][0]["detail"]
