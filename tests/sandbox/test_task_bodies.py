"""Task lists answered from texts kept between reads: the same bytes, and every write seen."""

from __future__ import annotations

import json

import httpx
import pytest

from runform.core.sandbox_kit.transport import InProcessTransport
from runform.providers.cutover.sandbox import SANDBOX_TOKEN, create_app
from runform.providers.cutover.sandbox.context import Context
from runform.providers.cutover.sandbox.jsonapi import Page
from runform.providers.cutover.sandbox.paging import encoded_list, list_document
from runform.providers.cutover.sandbox.resources import task_bodies
from runform.providers.cutover.sandbox.resources.tasks import TaskView
from runform.providers.cutover.sandbox.store import Store

from .support import REHEARSAL, create_runbook, create_stream, create_task, document

pytestmark = pytest.mark.anyio
API_VERSION = "2022-02-22"
TRICKY = [
    "plain",
    'quotes " and \\ backslashes',
    '},"relationships":{"runbook":',  # what the text is cut around, inside a name
    "naïve café ☃ 𝄞",
    "tab\tnew\nline \u2028 \x00",
]


def client_of(app, base_url: str = "http://sandbox.local") -> httpx.AsyncClient:
    """A client of `app` in-process, calling it at `base_url`."""
    return httpx.AsyncClient(
        transport=InProcessTransport(app=app),
        base_url=base_url,
        headers={"Authorization": f"Bearer {SANDBOX_TOKEN}", "Api-Version": API_VERSION},
    )


def compact(value: object) -> str:
    return json.dumps(value, separators=(",", ":"))


async def make_runbook(client) -> tuple[str, list[dict]]:
    """A runbook whose tasks differ in what their text holds."""
    runbook = await create_runbook(client, "Kept texts", start_scheduled="2030-01-01T00:00:00Z")
    rid = runbook["id"]
    stream = await create_stream(client, rid)
    tasks: list[dict] = []
    for i, name in enumerate(TRICKY):
        after = [tasks[-1]["id"]] if tasks else []
        extra: dict[str, object] = {"description": name} if i % 2 else {}
        if i == 1:
            extra["custom_field_values"] = [{"name": "Evidence URL", "value": name}]
        if i == 2:
            extra["start_fixed"] = "2030-01-02T00:00:00Z"
        tasks.append(await create_task(client, rid, stream["id"], name, after, **extra))
    return rid, tasks


def context(app, rid: str, base_url: str = "http://sandbox.local") -> Context:
    return Context(
        store=app.state.store,
        method="GET",
        path=f"/core/runbooks/{rid}/tasks",
        base_url=base_url,
        query={},
        path_params={"runbook_id": rid},
        body={},
        search=app.state.search_index,
    )


@pytest.mark.parametrize("forecast", [False, True])
async def test_a_kept_text_is_the_rendered_document_as_json_writes_it(sandbox, forecast):
    async with sandbox.client() as client:
        rid, _ = await make_runbook(client)
        await client.patch(f"/core/runbooks/{rid}/start", json={"meta": REHEARSAL})
    store = sandbox.app.state.store
    ctx = context(sandbox.app, rid)
    runbook = store.get("runbook", int(rid))
    view = TaskView(ctx, runbook, forecast=forecast)
    records = sorted(store.of_runbook("task", int(rid)), key=lambda r: r["id"])
    encode = task_bodies.encoder(ctx, view)
    for record in records:
        expected = compact(view.render(record))
        assert encode(record) == expected  # made now
        assert encode(record) == expected  # and kept
    assert any(record.get("custom_field_values") for record in records)


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"page[size]": "2"},
        {"page[size]": "2", "page[number]": "3"},
        {"page[size]": "2", "page[number]": "9"},
        {"page[limit]": "3", "page[offset]": "1"},
        {"forecast": "true", "page[size]": "2"},
    ],
)
@pytest.mark.parametrize("totals", [True, False])
@pytest.mark.parametrize("count", [0, 1, 5])
def test_an_encoded_list_is_the_list_document_as_json_writes_it(query, totals, count):
    items = [{"id": str(i), "name": TRICKY[i % len(TRICKY)]} for i in range(count)]
    page = Page.from_query(query)

    def link(params):
        return f"http://sandbox.local/core/x?{sorted(params.items())}"

    for whole in (False, True):
        document = list_document(items, dict, page, link, query, whole=whole, totals=totals)
        text = encoded_list(items, compact, page, link, query, whole=whole, totals=totals)
        assert text == compact(document)


async def test_every_write_is_in_the_next_read(sandbox):
    async with sandbox.client() as client:
        rid, tasks = await make_runbook(client)
        path = f"/core/runbooks/{rid}/tasks"

        async def read() -> dict[str, dict]:
            answer = await client.get(path, params={"forecast": "true"})
            assert answer.status_code == 200
            return {task["id"]: task for task in answer.json()["data"]}

        before = await read()
        renamed = await client.patch(
            f"{path}/{tasks[0]['id']}", json=document("task", {"name": "renamed"})
        )
        after_rename = await read()
        stream_id = tasks[0]["relationships"]["stream"]["data"]["id"]
        added = await create_task(client, rid, stream_id, "added", [tasks[0]["id"]])
        after_add = await read()
        await client.delete(f"{path}/{tasks[1]['id']}")
        after_delete = await read()
        await client.patch(
            f"/core/runbooks/{rid}", json=document("runbook", {"start_scheduled": "2031-01-01"})
        )
        after_move = await read()
        await client.patch(f"/core/runbooks/{rid}/start", json={"meta": REHEARSAL})
        after_start = await read()
    first = tasks[0]["id"]
    assert renamed.status_code == 200
    assert before[first]["attributes"]["name"] == TRICKY[0]
    assert after_rename[first]["attributes"]["name"] == "renamed"
    stamps = [read[first]["attributes"]["updated_at"] for read in (before, after_rename)]
    assert stamps[0] != stamps[1]
    assert added["id"] in after_add[first]["attributes"]["successor_ids"]
    assert added["id"] not in after_rename[first]["attributes"]["successor_ids"]
    assert tasks[1]["id"] not in after_delete
    assert after_delete[tasks[2]["id"]]["attributes"]["predecessor_ids"] == []
    assert after_delete[first]["attributes"]["start_planned"] == "2030-01-01T00:00:00Z"
    assert after_move[first]["attributes"]["start_planned"] == "2031-01-01T00:00:00Z"
    assert after_move[first]["attributes"]["stage"] == "not_startable"
    assert after_start[first]["attributes"]["stage"] == "startable"


async def test_a_write_by_another_app_on_the_same_file_is_in_the_next_read(tmp_path):
    path = str(tmp_path / "shared.db")
    one, two = create_app(path), create_app(path)
    async with client_of(one) as reader, client_of(two) as writer:
        rid, tasks = await make_runbook(reader)
        seen = await reader.get(f"/core/runbooks/{rid}/tasks")
        await writer.patch(
            f"/core/runbooks/{rid}/tasks/{tasks[0]['id']}",
            json=document("task", {"name": "from the other app"}),
        )
        again = await reader.get(f"/core/runbooks/{rid}/tasks")
    assert seen.json()["data"][0]["attributes"]["name"] == TRICKY[0]
    assert again.json()["data"][0]["attributes"]["name"] == "from the other app"


async def test_texts_are_kept_per_base_url(sandbox):
    elsewhere_client = client_of(sandbox.app, "http://other.example")
    async with sandbox.client() as client, elsewhere_client as elsewhere:
        rid, tasks = await make_runbook(client)
        here = await client.get(f"/core/runbooks/{rid}/tasks")
        there = await elsewhere.get(f"/core/runbooks/{rid}/tasks")
    link = f"/core/runbooks/{rid}/tasks/{tasks[0]['id']}"
    assert here.json()["data"][0]["links"]["self"] == f"http://sandbox.local{link}"
    assert there.json()["data"][0]["links"]["self"] == f"http://other.example{link}"


async def test_a_write_to_the_directory_is_in_the_next_read(sandbox):
    # The API renames no custom field (its PATCH answers 405), so the store is written as
    # a migration would; a task's values carry the field's name when read.
    async with sandbox.client() as client:
        rid, _ = await make_runbook(client)
        before = await client.get(f"/core/runbooks/{rid}/tasks")
        store = sandbox.app.state.store
        value = before.json()["data"][1]["attributes"]["custom_field_values"][0]
        with store.lock, store.transaction():
            store.update("custom_field", int(value["custom_field_id"]), {"name": "Proof URL"})
        after = await client.get(f"/core/runbooks/{rid}/tasks")
    assert value["name"] == "Evidence URL"
    assert after.json()["data"][1]["attributes"]["custom_field_values"][0]["name"] == "Proof URL"


async def test_a_write_to_another_runbook_keeps_this_ones_answer(sandbox):
    async with sandbox.client() as client:
        rid, _ = await make_runbook(client)
        other, other_tasks = await make_runbook(client)
        before = await client.get(f"/core/runbooks/{rid}/tasks", params={"forecast": "true"})
        memo = sandbox.app.state.store.memo[task_bodies.MEMO_KEY]
        kept = memo[(sandbox.base_url, int(rid))]
        renamed = await client.patch(
            f"/core/runbooks/{other}/tasks/{other_tasks[0]['id']}",
            json=document("task", {"name": "elsewhere"}),
        )
        after = await client.get(f"/core/runbooks/{rid}/tasks", params={"forecast": "true"})
        theirs = await client.get(f"/core/runbooks/{other}/tasks")
    assert renamed.status_code == 200
    assert after.content == before.content
    assert memo[(sandbox.base_url, int(rid))] is kept  # not rendered again
    assert theirs.json()["data"][0]["attributes"]["name"] == "elsewhere"


def test_each_write_moves_its_runbooks_revision_or_the_directorys_on():
    store = Store()
    with store.transaction():
        workspace = store.insert("workspace", {"key": "w", "name": "W"})
        runbook = store.insert("runbook", {"workspace_id": workspace["id"], "name": "R"})
    seen = [(store.revisions.get(runbook["id"], 0), store.directory_revision)]
    with store.transaction():
        store.insert("task", {"runbook_id": runbook["id"], "name": "t"})
    seen.append((store.revisions.get(runbook["id"], 0), store.directory_revision))
    with store.transaction():
        store.update("workspace", workspace["id"], {"name": "V"})
    seen.append((store.revisions.get(runbook["id"], 0), store.directory_revision))
    with store.transaction():
        store.insert("action_log", {"runbook_id": runbook["id"]})  # append-only: read in bulk
    seen.append((store.revisions.get(runbook["id"], 0), store.directory_revision))
    assert seen[1][0] > seen[0][0] and seen[1][1] == seen[0][1]
    assert seen[2][0] == seen[1][0] and seen[2][1] > seen[1][1]
    assert seen[3] == seen[2]


async def test_a_failed_write_drops_every_kept_text(sandbox):
    async with sandbox.client() as client:
        rid, _ = await make_runbook(client)
        await client.get(f"/core/runbooks/{rid}/tasks")
        store = sandbox.app.state.store
        kept = store.memo.get(task_bodies.MEMO_KEY)
        with pytest.raises(RuntimeError), store.lock, store.transaction():
            raise RuntimeError("rolled back")
        again = await client.get(f"/core/runbooks/{rid}/tasks")
    assert kept  # the read kept its texts ...
    assert again.status_code == 200
    assert store.memo.get(task_bodies.MEMO_KEY) is not kept  # ... and the reload dropped them
