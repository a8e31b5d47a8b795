"""The audit trail: action logs written by every change, read back with filters and pages."""

from __future__ import annotations

import httpx
import pytest

from runform.core.sandbox_kit.transport import InProcessTransport
from runform.providers.cutover.sandbox import audit, create_app

from .support import (
    REHEARSAL,
    all_pages,
    create_runbook,
    create_stream,
    create_task,
    document,
    errors_of,
)

pytestmark = pytest.mark.anyio


def summary(entries: list[dict]) -> list[tuple[str, str, str | None]]:
    """(event, resource type, context type) of each entry."""
    return [
        (
            e["attributes"]["event"],
            e["relationships"]["resource"]["data"]["type"],
            (e["relationships"]["context"]["data"] or {}).get("type"),
        )
        for e in entries
    ]


async def test_every_change_writes_an_action_log(any_sandbox):
    # Round 2, Audit: action_log resources with event, description, changes, created_at and
    # relationships author, resource and context.
    async with any_sandbox.client() as client:
        runbook = await create_runbook(client, "Audited")
        rid = runbook["id"]
        stream = await create_stream(client, rid, "Main")
        first = await create_task(client, rid, stream["id"], "first")
        second = await create_task(client, rid, stream["id"], "second", [first["id"]])
        tasks = f"/core/runbooks/{rid}/tasks"
        await client.patch(f"{tasks}/{first['id']}", json=document("task", {"name": "one"}))
        await client.patch(f"{tasks}/{first['id']}", json=document("task", {"name": "one"}))
        await client.patch(
            f"/core/runbooks/{rid}/streams/{stream['id']}",
            json=document("stream", {"status": "green"}),
        )
        extra = await create_stream(client, rid, "Spare")
        await client.delete(f"/core/runbooks/{rid}/streams/{extra['id']}")
        refused = await client.patch(
            f"/core/runbooks/{rid}", json=document("runbook", {"name": ""})
        )
        await client.patch(f"/core/runbooks/{rid}/start", json={"meta": REHEARSAL})
        await client.patch(f"{tasks}/{first['id']}/start")
        await client.patch(f"{tasks}/{first['id']}/finish")
        await client.patch(f"{tasks}/{second['id']}/skip", json={"meta": {"comment": "n/a"}})
        logs = await all_pages(client, "/core/action_logs", {"runbook_id": rid})
    assert refused.status_code == 422  # a refused change writes nothing
    assert summary(logs) == [
        ("created", "runbook", "workspace"),
        ("created", "stream", "runbook"),
        ("created", "task", "runbook"),
        ("created", "task", "runbook"),
        ("updated", "task", "runbook"),  # the second, identical patch changed nothing
        ("updated", "stream", "runbook"),
        ("created", "stream", "runbook"),
        ("deleted", "stream", "runbook"),
        ("started", "runbook", "workspace"),
        ("started", "task", "runbook"),
        ("finished", "task", "runbook"),
        ("skipped", "task", "runbook"),
        ("created", "comment", "runbook"),
        ("completed", "runbook", "workspace"),
    ]
    created, _, _, _, renamed = logs[:5]
    assert created["type"] == "action_log"
    assert created["attributes"]["description"] == "Runbook created"
    assert created["attributes"]["changes"]["name"] == "Audited"
    assert created["relationships"]["resource"]["data"] == {"id": rid, "type": "runbook"}
    assert created["relationships"]["author"]["data"] is None  # the token is no seeded user
    assert renamed["attributes"]["changes"] == {"name": ["first", "one"]}
    assert renamed["relationships"]["context"]["data"] == {"id": rid, "type": "runbook"}
    skipped = logs[11]["attributes"]["changes"]
    assert skipped["stage"] == [None, "complete"]
    assert skipped["completion_type"] == ["complete_normal", "complete_skipped"]
    assert logs[1]["attributes"]["created_at"] < logs[2]["attributes"]["created_at"]


async def test_copies_archives_comments_and_users_are_logged(sandbox):
    # Round 2, Audit: every change the sandbox makes writes an entry.
    async with sandbox.client() as client:
        copy = await client.post(
            "/core/runbooks",
            json={
                **document("runbook", {"name": "From template"}),
                "meta": {"copy": {"source_runbook_id": "1", "tasks": True}},
            },
        )
        cid = copy.json()["data"]["id"]
        await client.post(
            f"/core/runbooks/{cid}/comments", json=document("comment", {"content": "hi"})
        )
        await client.delete(f"/core/runbooks/{cid}")
        await client.patch("/core/users/4/archive")
        everything = await all_pages(client, "/core/action_logs")
    mine = [e for e in everything if e["relationships"]["resource"]["data"]["id"] in (cid, "4")]
    assert [
        (e["attributes"]["event"], e["relationships"]["resource"]["data"]["type"]) for e in mine
    ] == [
        ("created", "runbook"),
        ("archived", "runbook"),
        ("archived", "user"),
    ]
    assert mine[0]["attributes"]["changes"]["source_runbook_id"] == 1
    assert mine[1]["attributes"]["changes"] == {"archived": [False, True]}
    assert mine[2]["relationships"]["context"]["data"] is None
    comments = [
        e for e in everything if e["relationships"]["resource"]["data"]["type"] == "comment"
    ]
    assert comments[-1]["relationships"]["context"]["data"] == {"id": cid, "type": "runbook"}


async def test_action_log_filters(sandbox):
    # Round 2, Audit: action_logs filters runbook_id, user_id, workspace_id, created_after,
    # created_before; a filter never widens the result.
    async with sandbox.client() as client:
        default = await create_runbook(client, "Here")
        elsewhere = await create_runbook(client, "There", workspace="payments")
        await create_stream(client, default["id"], "Main")
        logs = await all_pages(client, "/core/action_logs")
        by_runbook = await all_pages(client, "/core/action_logs", {"runbook_id": elsewhere["id"]})
        by_workspace = await all_pages(client, "/core/action_logs", {"workspace_id": "payments"})
        by_user = await all_pages(client, "/core/action_logs", {"user_id": "1"})
        unknown = await all_pages(client, "/core/action_logs", {"runbook_id": "x"})
        middle = logs[1]["attributes"]["created_at"]
        after = await all_pages(client, "/core/action_logs", {"created_after": middle})
        before = await all_pages(client, "/core/action_logs", {"created_before": middle})
        bad = await client.get("/core/action_logs", params={"created_after": "yesterday"})
    assert len(logs) == 3
    assert [e["id"] for e in by_runbook] == [logs[1]["id"]]
    assert [e["id"] for e in by_workspace] == [logs[1]["id"]]
    assert by_user == [] and unknown == []
    assert [e["id"] for e in after] == [logs[2]["id"]]
    assert [e["id"] for e in before] == [logs[0]["id"]]
    assert bad.status_code == 400 and errors_of(bad) == [("invalid", "created_after")]


async def test_action_logs_are_paged_by_links_next(sandbox):
    # Round 2, Audit: paged by links.next, like other lists.
    async with sandbox.client() as client:
        runbook = await create_runbook(client, "Busy")
        stream = await create_stream(client, runbook["id"])
        for number in range(25):
            await create_task(client, runbook["id"], stream["id"], f"t{number}")
        first = await client.get("/core/action_logs", params={"runbook_id": runbook["id"]})
        everything = await all_pages(client, "/core/action_logs", {"runbook_id": runbook["id"]})
    body = first.json()
    assert len(body["data"]) == 20 and body["links"]["next"]
    assert body["meta"]["page"]["total"] == 27
    assert len(everything) == 27 and len({e["id"] for e in everything}) == 27


async def test_activities_of_a_runbook(sandbox):
    # Round 2, Audit: GET /core/activities?runbook_id=&created_after=&created_before=; the
    # shape (key, starred, changes, activist/trackable/recipient, meta.message.plain) is what
    # Cutover's own client reads.
    async with sandbox.client() as client:
        runbook = await create_runbook(client, "Feed")
        rid = runbook["id"]
        stream = await create_stream(client, rid, "Main")
        task = await create_task(client, rid, stream["id"], "only")
        await client.patch(
            f"/core/runbooks/{rid}/tasks/{task['id']}", json=document("task", {"duration": 60})
        )
        feed = await all_pages(client, "/core/activities", {"runbook_id": rid})
        late = feed[2]["attributes"]["created_at"]
        window = await all_pages(
            client, "/core/activities", {"runbook_id": rid, "created_after": late}
        )
        missing = await client.get("/core/activities")
        unknown = await client.get("/core/activities", params={"runbook_id": "999"})
    assert [a["attributes"]["key"] for a in feed] == [
        "runbook.created",
        "stream.created",
        "task.created",
        "task.updated",
    ]
    updated = feed[3]
    assert updated["type"] == "activity" and updated["attributes"]["starred"] is False
    assert updated["attributes"]["changes"] == [{"field": "duration", "from": 600, "to": 60}]
    assert updated["relationships"]["trackable"]["data"] == {"id": task["id"], "type": "task"}
    assert updated["relationships"]["recipient"]["data"] == {"id": rid, "type": "runbook"}
    assert updated["meta"]["message"]["plain"] == "Task updated"
    assert [a["id"] for a in window] == [updated["id"]]
    assert missing.status_code == 400 and errors_of(missing) == [("required", "runbook_id")]
    assert unknown.status_code == 404


async def test_the_trail_is_kept_in_the_database_and_leaves_caches_alone(tmp_path):
    # Round 2, Audit: the trail outlives the process; writing it changes no runbook's revision
    # (so cached schedules stay valid).
    path = str(tmp_path / "sandbox.db")
    first = create_app(path)
    async with httpx.AsyncClient(
        transport=InProcessTransport(app=first),
        base_url="http://sandbox.local",
        headers={"Authorization": f"Bearer {first.state.token}"},
    ) as client:
        runbook = await create_runbook(client, "Kept")
    store = first.state.store
    revision = store.revisions.get(int(runbook["id"]))
    record = store.get("runbook", int(runbook["id"]))
    with store.lock, store.transaction():
        audit.created(store, "runbook", record, record)
    assert store.revisions.get(int(runbook["id"])) == revision
    second = create_app(path)
    async with httpx.AsyncClient(
        transport=InProcessTransport(app=second),
        base_url="http://sandbox.local",
        headers={"Authorization": f"Bearer {second.state.token}"},
    ) as client:
        logs = await all_pages(client, "/core/action_logs", {"runbook_id": runbook["id"]})
    assert [e["attributes"]["event"] for e in logs] == ["created", "created"]
