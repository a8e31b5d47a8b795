"""The seeded directory: workspaces, folders, types, teams, users, custom fields, comments."""

from __future__ import annotations

import pytest

from .support import all_pages, create_runbook, create_stream, create_task, document, errors_of

pytestmark = pytest.mark.anyio


async def test_seeded_workspaces_by_id_key_and_query(sandbox):
    async with sandbox.client() as client:
        listed = await all_pages(client, "/core/workspaces")
        by_key = await client.get("/core/workspaces/payments")
        by_id = await client.get("/core/workspaces/2")
        queried = await all_pages(client, "/core/workspaces", {"query": "infra"})
        missing = await client.get("/core/workspaces/nowhere")
    assert [(w["id"], w["attributes"]["key"], w["attributes"]["name"]) for w in listed] == [
        ("1", "default", "Default"),
        ("2", "payments", "Payments"),
        ("3", "infrastructure", "Infrastructure"),
    ]
    assert by_key.json() == by_id.json()
    assert [w["attributes"]["key"] for w in queried] == ["infrastructure"]
    assert missing.status_code == 404


async def test_folders_per_workspace(sandbox):
    async with sandbox.client() as client:
        folders = await all_pages(client, "/core/workspaces/payments/folders")
        one = await client.get(f"/core/workspaces/2/folders/{folders[0]['id']}")
        wrong = await client.get(f"/core/workspaces/1/folders/{folders[0]['id']}")
        missing = await client.get("/core/workspaces/9/folders")
    # Round 2, Runbooks: every workspace has a top-level folder named Default.
    assert [f["attributes"]["name"] for f in folders] == [
        "Releases",
        "Migrations",
        "Disaster recovery",
        "Templates",
        "Default",
    ]
    assert folders[-1]["relationships"]["parent"]["data"] is None
    assert all(f["relationships"]["workspace"]["data"]["id"] == "2" for f in folders)
    assert one.status_code == 200
    assert wrong.status_code == 404
    assert missing.status_code == 404


async def test_runbook_and_task_types(sandbox):
    async with sandbox.client() as client:
        runbook_types = await all_pages(client, "/core/runbook_types")
        task_types = await all_pages(client, "/core/task_types")
        one = await client.get("/core/task_types/4")
        missing = await client.get("/core/runbook_types/9")
    assert [
        (
            t["attributes"]["key"],
            t["attributes"]["name"],
            t["attributes"]["default"],
            t["attributes"]["dynamic"],
        )
        for t in runbook_types
    ] == [
        # Round 2, Runbooks: keys are tenant specific ("a normal type's key may be
        # normal-runbook").
        ("normal-runbook", "Normal runbook", True, False),
        ("dynamic", "Dynamic runbook", False, True),
        ("disaster-recovery", "Disaster recovery", False, False),
    ]
    assert [(t["attributes"]["key"], t["attributes"]["default_duration"]) for t in task_types] == [
        ("normal", 600),
        ("milestone", 0),
        ("approval", 300),
        ("linked", 0),
    ]
    assert one.json()["data"]["attributes"]["name"] == "Linked runbook"
    assert missing.status_code == 404


async def test_teams(sandbox):
    async with sandbox.client() as client:
        teams = await all_pages(client, "/core/teams")
        one = await client.get("/core/teams/2")
        runbook_team = await client.get("/core/runbooks/1/runbook_teams/2")
        foreign = await client.get("/core/runbooks/1/runbook_teams/99")
    assert [t["attributes"]["name"] for t in teams] == [
        "Release managers",
        "Database team",
        "Network team",
        "Application support",
    ]
    assert one.json()["data"]["attributes"]["name"] == "Database team"
    assert runbook_team.json()["data"]["relationships"]["team"]["data"] == {
        "id": "2",
        "type": "team",
    }
    assert foreign.status_code == 404


async def test_users_archive_and_unlock(sandbox):
    async with sandbox.client() as client:
        users = await all_pages(client, "/core/users")
        found = await all_pages(client, "/core/users", {"query": "hopper"})
        unlocked = await client.patch("/core/users/2/unlock")
        archived = await client.patch("/core/users/2/archive")
        after = await all_pages(client, "/core/users")
        gone = await client.get("/core/users/2")
        listed_archived = await all_pages(client, "/core/users", {"archived": "true"})
        missing = await client.patch("/core/users/99/archive")
    assert [(u["attributes"]["email"], u["attributes"]["handle"]) for u in users] == [
        ("ada@example.com", "alovelace"),
        ("grace@example.com", "ghopper"),
        ("alan@example.com", "aturing"),
        ("katherine@example.com", "kjohnson"),
    ]
    assert [u["attributes"]["first_name"] for u in found] == ["Grace"]
    assert unlocked.json()["data"]["attributes"]["locked"] is False
    assert archived.json()["data"]["attributes"]["archived"] is True
    assert [u["id"] for u in after] == ["1", "3", "4"]
    assert gone.status_code == 404
    assert [u["id"] for u in listed_archived] == ["2"]
    assert missing.status_code == 404


async def test_custom_fields(sandbox):
    async with sandbox.client() as client:
        fields = await all_pages(client, "/core/custom_fields")
        in_workspace = await all_pages(client, "/core/custom_fields", {"workspace_id": "payments"})
        local = await all_pages(client, "/core/custom_fields", {"global": "false"})
        risk = await client.get("/core/custom_fields/2")
    assert [
        (f["attributes"]["name"], f["attributes"]["field_type"], f["attributes"]["apply_to"])
        for f in fields
    ] == [
        ("Change ticket", "text", "runbook_add_edit"),
        ("Risk", "single_select", "runbook_edit"),
        ("Evidence URL", "text", "task_edit"),
    ]
    assert len(in_workspace) == 3
    assert local == []
    assert risk.json()["data"]["attributes"]["field_options"] == ["Low", "Medium", "High"]


async def test_comments(sandbox):
    async with sandbox.client() as client:
        rid = (await create_runbook(client))["id"]
        stream = await create_stream(client, rid)
        task = await create_task(client, rid, stream["id"], "t")
        path = f"/core/runbooks/{rid}/comments"
        general = await client.post(path, json=document("comment", {"content": "Hello"}))
        on_task = await client.post(
            path, json=document("comment", {"content": "Done"}, task=task["id"])
        )
        blank = await client.post(path, json=document("comment", {"content": ""}))
        foreign = await client.post(path, json=document("comment", {"content": "x"}, task=1))
        listed = await all_pages(client, path)
        for_task = await all_pages(client, path, {"task_id": task["id"]})
        counted = await client.get(f"/core/runbooks/{rid}/tasks/{task['id']}")
    assert general.status_code == 201
    assert on_task.json()["data"]["relationships"]["task"]["data"]["id"] == task["id"]
    assert errors_of(blank) == [("blank", "/data/attributes/content")]
    assert errors_of(foreign) == [("not_found", "/data/relationships/task")]
    assert [c["attributes"]["content"] for c in listed] == ["Hello", "Done"]
    assert [c["attributes"]["content"] for c in for_task] == ["Done"]
    assert counted.json()["data"]["attributes"]["comments_count"] == 1


async def test_an_archived_runbook_takes_no_comment(sandbox):
    # Evidence: ../shared/cutover-api.md, Round 2: a comment on an archived runbook is a 422
    # `comments.create.runbook_archived`; a runbook that never existed stays a 404.
    async with sandbox.client() as client:
        rid = (await create_runbook(client))["id"]
        path = f"/core/runbooks/{rid}/comments"
        before = await client.post(path, json=document("comment", {"content": "Before"}))
        await client.delete(f"/core/runbooks/{rid}")
        after = await client.post(path, json=document("comment", {"content": "After"}))
        missing = await client.post(
            "/core/runbooks/999999/comments", json=document("comment", {"content": "x"})
        )
    assert before.status_code == 201
    assert after.status_code == 422
    assert [e["code"] for e in after.json()["errors"]] == ["comments.create.runbook_archived"]
    assert missing.status_code == 404  # a runbook that never existed is still not found
