"""The Default folder: where a runbook made or copied without a folder lands."""

from __future__ import annotations

import pytest

from .support import all_pages, create_runbook, document, errors_of

pytestmark = pytest.mark.anyio


async def default_folder_id(client, workspace: str) -> str:
    folders = await all_pages(client, f"/core/workspaces/{workspace}/folders")
    (default,) = [f for f in folders if f["attributes"]["name"] == "Default"]
    return default["id"]


async def test_every_seeded_workspace_has_a_top_level_default_folder(any_sandbox):
    # Round 2, Runbooks: "the folder named Default (a top-level folder every workspace has)".
    async with any_sandbox.client() as client:
        workspaces = await all_pages(client, "/core/workspaces")
        found = {}
        for workspace in workspaces:
            folders = await all_pages(client, f"/core/workspaces/{workspace['id']}/folders")
            found[workspace["attributes"]["key"]] = [
                f for f in folders if f["attributes"]["name"] == "Default"
            ]
    assert set(found) == {"default", "payments", "infrastructure"}
    for folders in found.values():
        assert len(folders) == 1
        assert folders[0]["relationships"]["parent"]["data"] is None


async def test_a_runbook_created_without_a_folder_lands_in_default(any_sandbox):
    # Round 2, Runbooks: a runbook created without a folder lands in the folder named Default;
    # the reference: folder "Uses 'Default' by default".
    async with any_sandbox.client() as client:
        created = await create_runbook(client, "No folder", workspace="payments")
        fetched = await client.get(f"/core/runbooks/{created['id']}")
        default = await default_folder_id(client, "payments")
        listed = await all_pages(client, "/core/runbooks", {"folder_id": default})
    folder = {"id": default, "type": "folder"}
    assert created["relationships"]["folder"]["data"] == folder
    assert fetched.json()["data"]["relationships"]["folder"]["data"] == folder
    assert [r["id"] for r in listed] == [created["id"]]


async def test_a_copy_without_a_folder_lands_in_its_workspaces_default(sandbox):
    # Round 2, Runbooks: the same holds for a copy: the template's own folder (Templates)
    # is not where a copy without a folder goes.
    async with sandbox.client() as client:
        body = document("runbook", {"name": "Copied"})
        body["meta"] = {"copy": {"source_runbook_id": "1"}}
        here = await client.post("/core/runbooks", json=body)
        body = document("runbook", {"name": "Copied away"}, workspace="payments")
        body["meta"] = {"copy": {"source_runbook_id": "1"}}
        away = await client.post("/core/runbooks", json=body)
        defaults = [await default_folder_id(client, w) for w in ("default", "payments")]
    assert here.status_code == away.status_code == 201
    assert here.json()["data"]["relationships"]["folder"]["data"]["id"] == defaults[0]
    assert away.json()["data"]["relationships"]["folder"]["data"]["id"] == defaults[1]


async def test_a_folder_is_never_blank(sandbox):
    # The reference's own example error: "Folder can't be blank", code blank, pointer
    # /data/relationships/folder: a folder sent as null is refused, on create and on patch.
    async with sandbox.client() as client:
        created = await create_runbook(client, "R")
        on_create = await client.post(
            "/core/runbooks", json=document("runbook", {"name": "x"}, workspace=1, folder=None)
        )
        on_patch = await client.patch(
            f"/core/runbooks/{created['id']}", json=document("runbook", {}, folder=None)
        )
    assert errors_of(on_create) == [("blank", "/data/relationships/folder")]
    assert errors_of(on_patch) == [("blank", "/data/relationships/folder")]


async def test_moving_workspace_without_a_folder_lands_in_the_new_default(sandbox):
    # Round 2, Runbooks (plainest reading): a folder belongs to one workspace, so a runbook
    # moved to another workspace without a folder lands in that workspace's Default.
    async with sandbox.client() as client:
        created = await create_runbook(client, "R", folder=1)
        moved = await client.patch(
            f"/core/runbooks/{created['id']}", json=document("runbook", {}, workspace="payments")
        )
        default = await default_folder_id(client, "payments")
    assert moved.status_code == 200, moved.text
    assert moved.json()["data"]["relationships"]["folder"]["data"]["id"] == default
