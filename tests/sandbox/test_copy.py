"""Creating a runbook by copying the seeded "Standard release" template (`meta.copy`)."""

from __future__ import annotations

import pytest

from .support import all_pages, document, errors_of

pytestmark = pytest.mark.anyio


def copy_body(name: str, copy: dict, **relationships: object) -> dict:
    body = document("runbook", {"name": name}, **relationships)
    body["meta"] = {"copy": {"source_runbook_id": "1", **copy}}
    return body


async def copy(client, name="Payments release", copy_options=None, **relationships):
    response = await client.post(
        "/core/runbooks", json=copy_body(name, copy_options or {}, **relationships)
    )
    assert response.status_code == 201, response.text
    return response.json()["data"]


async def test_copy_brings_streams_tasks_and_teams(sandbox):
    async with sandbox.client() as client:
        runbook = await copy(client, copy_options={"tasks": True, "teams": True, "users": True})
        rid = runbook["id"]
        template_tasks = await all_pages(client, "/core/runbooks/1/tasks")
        tasks = await all_pages(client, f"/core/runbooks/{rid}/tasks")
        streams = await all_pages(client, f"/core/runbooks/{rid}/streams")
        teams = await all_pages(client, f"/core/runbooks/{rid}/runbook_teams")
        copies = await all_pages(client, "/core/runbooks", {"source_runbook_id": "1"})
        by_source = await all_pages(
            client, f"/core/runbooks/{rid}/tasks", {"source_runbook_id": "1"}
        )
    assert runbook["attributes"]["is_template"] is False
    assert runbook["attributes"]["template_status"] is None
    assert runbook["relationships"]["workspace"]["data"]["id"] == "1"
    assert runbook["relationships"]["source_runbook"]["data"] == {"id": "1", "type": "runbook"}
    assert [r["id"] for r in copies] == [rid]
    assert len(by_source) == 12

    stream_names = {s["id"]: s["attributes"]["name"] for s in streams}
    assert sorted(stream_names.values()) == [
        "Database",
        "Deployment",
        "Preparation",
        "Verification",
    ]
    database = next(s for s in streams if s["attributes"]["name"] == "Database")
    parent = database["relationships"]["parent"]["data"]["id"]
    assert stream_names[parent] == "Deployment"
    assert database["attributes"]["tasks_count"] == 2

    assert [t["attributes"]["name"] for t in tasks] == [
        t["attributes"]["name"] for t in template_tasks
    ]
    own_ids = {t["id"] for t in tasks}
    name_of = {t["id"]: t["attributes"]["name"] for t in tasks}
    template_name_of = {t["id"]: t["attributes"]["name"] for t in template_tasks}
    for task, original in zip(tasks, template_tasks, strict=True):
        rels = task["relationships"]
        assert rels["source_runbook"]["data"] == {"id": "1", "type": "runbook"}
        assert rels["source_task"]["data"] == {"id": original["id"], "type": "task"}
        assert task["attributes"]["internal_id"] == original["attributes"]["internal_id"]
        assert task["attributes"]["duration"] == original["attributes"]["duration"]
        predecessors = [p["id"] for p in rels["predecessors"]["data"]]
        assert set(predecessors) <= own_ids
        assert [name_of[p] for p in predecessors] == [
            template_name_of[p["id"]] for p in original["relationships"]["predecessors"]["data"]
        ]

    assert [t["attributes"]["name"] for t in teams] == ["Release managers", "Database team"]
    team_ids = {t["id"] for t in teams}
    deploy = next(t for t in tasks if t["attributes"]["name"] == "Deploy application")
    assignee = deploy["relationships"]["assignees"]["data"]
    assert assignee[0]["type"] == "runbook_team" and assignee[0]["id"] in team_ids
    close = next(t for t in tasks if t["attributes"]["name"] == "Close change")
    assert close["relationships"]["assignees"]["data"] == [{"id": "1", "type": "user"}]


async def test_copy_without_teams_users_or_tasks(sandbox):
    async with sandbox.client() as client:
        bare = await copy(client, "Bare", {"tasks": False, "teams": False, "users": False})
        no_team = await copy(client, "No teams", {"teams": False, "users": False})
        bare_tasks = await all_pages(client, f"/core/runbooks/{bare['id']}/tasks")
        bare_streams = await all_pages(client, f"/core/runbooks/{bare['id']}/streams")
        tasks = await all_pages(client, f"/core/runbooks/{no_team['id']}/tasks")
        teams = await all_pages(client, f"/core/runbooks/{no_team['id']}/runbook_teams")
    assert bare_tasks == []
    assert len(bare_streams) == 4
    assert teams == []
    assert all(t["relationships"]["assignees"]["data"] == [] for t in tasks)


async def test_copy_into_another_workspace_and_folder(sandbox):
    async with sandbox.client() as client:
        runbook = await copy(client, workspace="payments", folder=5)
    assert runbook["relationships"]["workspace"]["data"]["id"] == "2"
    assert runbook["relationships"]["folder"]["data"]["id"] == "5"


async def test_copy_leaves_the_template_alone(sandbox):
    async with sandbox.client() as client:
        before = await all_pages(client, "/core/runbooks/1/tasks")
        await copy(client)
        after = await all_pages(client, "/core/runbooks/1/tasks")
    assert before == after


async def test_copy_validation(sandbox):
    async with sandbox.client() as client:
        unknown = await client.post(
            "/core/runbooks",
            json={
                "data": {"type": "runbook", "attributes": {"name": "x"}},
                "meta": {"copy": {"source_runbook_id": "999"}},
            },
        )
        missing = await client.post(
            "/core/runbooks",
            json={"data": {"type": "runbook", "attributes": {"name": "x"}}, "meta": {"copy": {}}},
        )
        blank = await client.post("/core/runbooks", json=copy_body("", {}))
        flag = await client.post("/core/runbooks", json=copy_body("x", {"tasks": "yes"}))
        listed = await all_pages(client, "/core/runbooks")
    assert errors_of(unknown) == [("not_found", "/meta/copy/source_runbook_id")]
    assert errors_of(missing) == [("required", "/meta/copy/source_runbook_id")]
    assert errors_of(blank) == [("blank", "/data/attributes/name")]
    assert errors_of(flag) == [("invalid", "/meta/copy/tasks")]
    assert len(listed) == 1


async def test_shift_fixed_times(sandbox):
    async with sandbox.client() as client:
        await client.patch(
            "/core/runbooks/1/tasks/1",
            json=document("task", {"start_fixed": "2026-01-05T09:30:00Z"}),
        )
        body = copy_body("Shifted", {})
        body["data"]["attributes"]["start_planned"] = "2026-02-05T09:00:00Z"
        body["meta"]["shift_fixed_times"] = True
        response = await client.post("/core/runbooks", json=body)
        rid = response.json()["data"]["id"]
        tasks = await all_pages(client, f"/core/runbooks/{rid}/tasks")
    assert tasks[0]["attributes"]["start_fixed"] == "2026-02-05T09:30:00Z"
    assert tasks[0]["attributes"]["start_planned"] == "2026-02-05T09:30:00Z"


async def test_copy_refuses_a_folder_of_another_workspace(sandbox):
    async with sandbox.client() as client:
        response = await client.post("/core/runbooks", json=copy_body("x", {}, folder=5))
    assert errors_of(response) == [("not_found", "/data/relationships/folder")]
