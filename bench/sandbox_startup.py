"""Sandbox speed: how fast `runform sandbox serve` is ready, and what a request costs.

Prints:
- startup: seconds from launching `runform sandbox serve` to its URL line, on a new database
  and on an existing one holding 50 runbooks x 200 tasks (median of --runs);
- requests: server time per request in-process with no latency (task creates into one
  runbook up to --tasks, reads of a task, list pages of 100 over a --tasks runbook, runbook
  list pages over 50 runbooks).

    python bench/sandbox_startup.py [--runs 5] [--tasks 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from runform.core.sandbox_kit.server import BackgroundServer
from runform.providers.cutover.sandbox import SANDBOX_TOKEN, create_app


def time_startup(db: str) -> float:
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "runform", "sandbox", "serve", "--port", "0", "--db", db],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    elapsed = time.perf_counter() - started
    process.terminate()
    process.wait(10)
    if "listening on" not in line:
        raise SystemExit(f"serve did not start: {line!r}")
    return elapsed


def client_for(app) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://sandbox.local",
        headers={"Authorization": f"Bearer {SANDBOX_TOKEN}"},
    )


async def fill(app, runbooks: int, tasks: int) -> list[tuple[str, list[str]]]:
    """Runbooks with one stream and a chain of tasks each; returns their and their tasks' ids."""
    ids = []
    async with client_for(app) as client:
        for number in range(runbooks):
            body = {
                "data": {
                    "type": "runbook",
                    "attributes": {"name": f"Bench {number}"},
                    "relationships": {"workspace": {"data": {"type": "workspace", "id": "1"}}},
                }
            }
            rid = (await client.post("/core/runbooks", json=body)).json()["data"]["id"]
            stream = await client.post(
                f"/core/runbooks/{rid}/streams", json={"data": {"attributes": {"name": "S"}}}
            )
            sid = stream.json()["data"]["id"]
            previous: list[dict] = []
            task_ids = []
            for index in range(tasks):
                body = {
                    "data": {
                        "type": "task",
                        "attributes": {"name": f"t{index}", "duration": 60},
                        "relationships": {
                            "stream": {"data": {"type": "stream", "id": sid}},
                            "predecessors": {"data": previous},
                        },
                    }
                }
                response = await client.post(f"/core/runbooks/{rid}/tasks", json=body)
                previous = [{"type": "task", "id": response.json()["data"]["id"]}]
                task_ids.append(previous[0]["id"])
            ids.append((rid, task_ids))
    return ids


async def per_request(app, count: int, make) -> float:  # type: ignore[no-untyped-def]
    async with client_for(app) as client:
        started = time.perf_counter()
        for index in range(count):
            response = await make(client, index)
            assert response.status_code < 300, response.text
        return (time.perf_counter() - started) / count * 1000


async def requests(tasks: int) -> None:
    app = create_app()
    started = time.perf_counter()
    [(rid, task_ids)] = await fill(app, 1, tasks)
    create_ms = (time.perf_counter() - started) / tasks * 1000
    print(f"requests: create task (runbook growing to {tasks} tasks): {create_ms:.2f} ms each")
    read_ms = await per_request(
        app, 200, lambda c, i: c.get(f"/core/runbooks/{rid}/tasks/{task_ids[i * 7 % tasks]}")
    )
    print(f"requests: get one task of a {tasks}-task runbook: {read_ms:.2f} ms each")
    pages = -(-tasks // 100)
    page_ms = await per_request(
        app,
        50,
        lambda c, i: c.get(
            f"/core/runbooks/{rid}/tasks", params={"page[size]": 100, "page[number]": i % pages + 1}
        ),
    )
    print(f"requests: list page of 100 tasks of a {tasks}-task runbook: {page_ms:.2f} ms each")
    big = create_app()
    await fill(big, 50, 200)
    list_ms = await per_request(
        big, 50, lambda c, i: c.get("/core/runbooks", params={"page[size]": 100})
    )
    print(f"requests: list 50 runbooks x 200 tasks, one page: {list_ms:.2f} ms each")
    with (
        BackgroundServer(big) as server,
        httpx.Client(
            base_url=server.base_url, headers={"Authorization": f"Bearer {SANDBOX_TOKEN}"}
        ) as client,
    ):
        client.get("/core/workspaces")
        started = time.perf_counter()
        for _ in range(100):
            client.get("/core/runbooks/2/tasks/13")
        http_ms = (time.perf_counter() - started) / 100 * 1000
    print(f"requests: get one task over loopback HTTP (uvicorn): {http_ms:.2f} ms each")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tasks", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        fresh = [time_startup(str(Path(tmp) / f"fresh{i}.db")) for i in range(args.runs)]
        print(
            f"startup: new database: median {statistics.median(fresh):.2f} s,"
            f" max {max(fresh):.2f} s"
        )
        full = str(Path(tmp) / "full.db")
        app = create_app(full)
        asyncio.run(fill(app, 50, 200))
        app.state.store.close()
        existing = [time_startup(full) for _ in range(args.runs)]
        print(
            "startup: existing database of 50 runbooks x 200 tasks: "
            f"median {statistics.median(existing):.2f} s, max {max(existing):.2f} s"
        )
    asyncio.run(requests(args.tasks))


if __name__ == "__main__":
    main()
