"""Storage: data survives a restart on the same file; two apps on one file stay in step."""

from __future__ import annotations

import asyncio
import threading

import httpx
import pytest

from runform.core.sandbox_kit.transport import InProcessTransport
from runform.providers.cutover.sandbox import SANDBOX_TOKEN, create_app
from runform.providers.cutover.sandbox.store import Store

from .support import all_pages, create_runbook, create_stream, create_task, document

pytestmark = pytest.mark.anyio


def client_for(app) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=InProcessTransport(app=app),
        base_url="http://sandbox.local",
        headers={"Authorization": f"Bearer {SANDBOX_TOKEN}"},
    )


async def test_restart_keeps_data_and_does_not_reseed(tmp_path):
    path = str(tmp_path / "sandbox.db")
    first = create_app(path)
    async with client_for(first) as client:
        runbook = await create_runbook(client, "Kept")
        stream = await create_stream(client, runbook["id"])
        task = await create_task(client, runbook["id"], stream["id"], "kept task")
    first.state.store.close()
    second = create_app(path)
    async with client_for(second) as client:
        runbooks = await all_pages(client, "/core/runbooks")
        workspaces = await all_pages(client, "/core/workspaces")
        again = (await client.get(f"/core/runbooks/{runbook['id']}/tasks/{task['id']}")).json()
        more = await create_task(client, runbook["id"], stream["id"], "after restart")
    assert [r["attributes"]["name"] for r in runbooks] == ["Standard release", "Kept"]
    assert len(workspaces) == 3
    assert again["data"] == task
    assert more["attributes"]["internal_id"] == 2
    assert int(more["id"]) > int(task["id"])


async def test_two_apps_on_one_file_see_each_others_writes(tmp_path):
    path = str(tmp_path / "shared.db")
    one, two = create_app(path), create_app(path)
    async with client_for(one) as first, client_for(two) as second:
        await second.get("/core/runbooks")
        created = await create_runbook(first, "From one")
        seen = await second.get(f"/core/runbooks/{created['id']}")
        patched = await second.patch(
            f"/core/runbooks/{created['id']}", json=document("runbook", {"name": "From two"})
        )
        back = await first.get(f"/core/runbooks/{created['id']}")
    assert seen.status_code == 200
    assert patched.status_code == 200
    assert back.json()["data"]["attributes"]["name"] == "From two"


def test_failed_transaction_leaves_nothing_behind():
    store = Store()
    with pytest.raises(RuntimeError), store.transaction():
        store.insert("workspace", {"key": "x", "name": "X"})
        raise RuntimeError("boom")
    assert store.all("workspace") == []


def test_timestamps_strictly_increase():
    store = Store()
    stamps = [store.now() for _ in range(1000)]
    assert stamps == sorted(set(stamps))


async def test_concurrent_writes_over_http(sandbox_server):
    async with sandbox_server.client() as client:
        runbook = await create_runbook(client, "Busy")
        stream = await create_stream(client, runbook["id"])
        created = []

        async def add(index: int) -> None:
            created.append(await create_task(client, runbook["id"], stream["id"], f"t{index}"))

        await asyncio.gather(*(add(i) for i in range(30)))
        listed = await all_pages(client, f"/core/runbooks/{runbook['id']}/tasks")
    assert sorted(t["attributes"]["internal_id"] for t in listed) == list(range(1, 31))
    assert len({t["id"] for t in created}) == 30


def test_threads_share_one_store_safely():
    app = create_app()
    store = app.state.store
    errors: list[BaseException] = []

    def work(index: int) -> None:
        try:
            for step in range(50):
                with store.lock, store.transaction():
                    store.insert("team", {"name": f"{index}-{step}", "archived": False})
        except BaseException as err:
            errors.append(err)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(store.all("team")) == 4 + 200
