"""Streams: create (with parent), list, get, patch, delete, and their validation."""

from __future__ import annotations

import pytest

from .support import all_pages, create_runbook, create_stream, create_task, document, errors_of

pytestmark = pytest.mark.anyio


async def test_stream_lifecycle(sandbox):
    async with sandbox.client() as client:
        rid = (await create_runbook(client))["id"]
        main = await create_stream(client, rid, "Main")
        sub = await create_stream(client, rid, "Sub", parent=main["id"])
        path = f"/core/runbooks/{rid}/streams"
        fetched = (await client.get(f"{path}/{main['id']}")).json()["data"]
        patched = await client.patch(
            f"{path}/{sub['id']}",
            json=document("stream", {"name": "Renamed", "color": "rgb(1, 2, 3)"}, parent=None),
        )
        listed = await all_pages(client, path)
        deleted = await client.delete(f"{path}/{sub['id']}")
        after = await all_pages(client, path)
    primary = listed[0]
    assert primary["attributes"]["is_primary"] is True  # came with the runbook
    assert main["attributes"]["is_primary"] is False
    assert sub["attributes"]["is_primary"] is False
    assert sub["relationships"]["parent"]["data"] == {"id": main["id"], "type": "stream"}
    assert fetched["relationships"]["children"]["data"] == [{"id": sub["id"], "type": "stream"}]
    assert patched.status_code == 200
    assert patched.json()["data"]["attributes"]["name"] == "Renamed"
    assert patched.json()["data"]["attributes"]["color"] == "rgb(1, 2, 3)"
    assert patched.json()["data"]["relationships"]["parent"]["data"] is None
    assert [s["attributes"]["name"] for s in listed] == ["Default stream", "Main", "Renamed"]
    assert deleted.status_code == 204
    assert [s["id"] for s in after] == [primary["id"], main["id"]]


async def test_the_primary_stream_comes_with_the_runbook_and_is_never_deleted(sandbox):
    # Round 2, Streams: every new runbook has a primary stream; it can be renamed, not deleted
    # (`cannot_remove_default`); a task created without a stream lands in it; a stream that
    # holds tasks is not deleted (`cannot_remove_when_in_use`, the reference's generic code).
    async with sandbox.client() as client:
        rid = (await create_runbook(client))["id"]
        path = f"/core/runbooks/{rid}/streams"
        [primary] = await all_pages(client, path)
        renamed = await client.patch(
            f"{path}/{primary['id']}", json=document("stream", {"name": "Main"})
        )
        refused = await client.delete(f"{path}/{primary['id']}")
        streamless = await client.post(
            f"/core/runbooks/{rid}/tasks", json=document("task", {"name": "No stream given"})
        )
        other = await create_stream(client, rid, "Other")
        await create_task(client, rid, other["id"], "busy")
        in_use = await client.delete(f"{path}/{other['id']}")
    assert primary["attributes"]["is_primary"] is True
    assert renamed.json()["data"]["attributes"]["name"] == "Main"
    assert refused.status_code == 422
    assert errors_of(refused) == [("cannot_remove_default", "/data")]
    assert streamless.status_code == 201
    stream = streamless.json()["data"]["relationships"]["stream"]["data"]
    assert stream == {"id": primary["id"], "type": "stream"}
    assert errors_of(in_use) == [("cannot_remove_when_in_use", "/data")]


async def test_stream_validation(sandbox):
    async with sandbox.client() as client:
        rid = (await create_runbook(client))["id"]
        top = await create_stream(client, rid, "Top")
        sub = await create_stream(client, rid, "Sub", parent=top["id"])
        await create_task(client, rid, sub["id"], "busy")
        path = f"/core/runbooks/{rid}/streams"

        async def post(attributes, **relationships):
            return await client.post(path, json=document("stream", attributes, **relationships))

        blank = await post({"name": " "})
        color = await post({"name": "x", "color": "blue"})
        deep = await post({"name": "x"}, parent=sub["id"])
        foreign = await post({"name": "x"}, parent=1)
        own_parent = await client.patch(
            f"{path}/{top['id']}", json=document("stream", {}, parent=top["id"])
        )
        nest_parent = await client.patch(
            f"{path}/{top['id']}",
            json=document("stream", {}, parent=(await create_stream(client, rid, "Other"))["id"]),
        )
        busy = await client.delete(f"{path}/{sub['id']}")
        parent_busy = await client.delete(f"{path}/{top['id']}")
        missing = await client.get(f"{path}/999")
        elsewhere = await client.get(f"{path}/1")
    assert errors_of(blank) == [("blank", "/data/attributes/name")]
    assert errors_of(color) == [("invalid", "/data/attributes/color")]
    assert errors_of(deep) == [("too_deep", "/data/relationships/parent")]
    assert errors_of(foreign) == [("not_found", "/data/relationships/parent")]
    assert errors_of(own_parent) == [("invalid", "/data/relationships/parent")]
    assert errors_of(nest_parent) == [("too_deep", "/data/relationships/parent")]
    # Round 2, Streams: the reference's generic code, not a new one.
    assert busy.status_code == 422
    assert errors_of(busy) == [("cannot_remove_when_in_use", "/data")]
    assert parent_busy.status_code == 422
    assert missing.status_code == 404
    assert elsewhere.status_code == 404
