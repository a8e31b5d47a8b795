"""Plan speed: R runbooks x T tasks in the sandbox, served over loopback with injected latency.

Fills a sandbox database through the API (in-process, no latency), serves it with uvicorn in a
child process with `--latency-ms` per request, then times:
  1. a full `make_plan` of matching files (lookups, runbook index, streams, task pages, teams),
  2. the same data read serially, page after page, as a simple client would,
and prints both, their ratio, and the request counts.

    python bench/plan_bench.py [--runbooks 50] [--tasks 200] [--latency-ms 20]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

import httpx
from served import filled_database, served_sandbox

from runform.collector import pace_for_bulk_work
from runform.providers.cutover.api import CutoverClient
from runform.providers.cutover.engine import make_plan
from runform.providers.cutover.plan.options import PlanOptions
from runform.providers.cutover.sandbox import SANDBOX_TOKEN, create_app
from runform.providers.cutover.state.shapes import RunbookState, RunbookTree, StreamState, TaskState

HEADERS = {
    "Authorization": f"Bearer {SANDBOX_TOKEN}",
    "Api-Version": "2022-02-22",
    "Accept": "application/vnd.api+json",
}


def trees(runbooks: int, tasks: int) -> list[RunbookTree]:
    """Files that match what `fill` puts in Cutover (so the plan reads everything, changes none)."""
    return [
        RunbookTree(
            runbook=RunbookState(name=f"Bench runbook {r}", workspace="default"),
            streams=(StreamState(name="Work"),),
            tasks=tuple(
                TaskState(
                    name=f"Task {t}",
                    stream="Work",
                    duration=60,
                    predecessors=(f"Task {t - 1}",) if t else (),
                )
                for t in range(tasks)
            ),
        )
        for r in range(runbooks)
    ]


async def fill(db_path: str, runbooks: int, tasks: int) -> None:
    """Create the runbooks through the API, in-process."""
    app = create_app(db_path=db_path)
    transport = httpx.ASGITransport(app=app)
    async with CutoverClient("http://sandbox.local", SANDBOX_TOKEN, transport) as client:

        async def one(index: int) -> None:
            workspace = {"workspace": {"type": "workspace", "id": "1"}}
            runbook = await client.create(
                "/core/runbooks", "runbook", {"name": f"Bench runbook {index}"}, workspace
            )
            base = f"/core/runbooks/{runbook.id}"
            stream = await client.create(f"{base}/streams", "stream", {"name": "Work"})
            previous = None
            for t in range(tasks):
                relationships = {
                    "stream": {"type": "stream", "id": stream.id},
                    "predecessors": [{"type": "task", "id": previous}] if previous else [],
                }
                made = await client.create(
                    f"{base}/tasks", "task", {"name": f"Task {t}", "duration": 60}, relationships
                )
                previous = made.id

        await asyncio.gather(*(one(i) for i in range(runbooks)))


async def serial_read(base_url: str, runbooks: int) -> int:
    """One request at a time, following links.next: directory, then each runbook's data."""
    count = 0
    async with httpx.AsyncClient(base_url=base_url, headers=HEADERS) as http:

        async def pages(path: str, params: dict[str, str] | None = None) -> list[dict]:
            nonlocal count
            rows: list[dict] = []
            link: str | None = path
            query = {**(params or {}), "page[size]": "100"}
            while link:
                response = await http.get(link, params=query)
                count += 1
                response.raise_for_status()
                document = response.json()
                rows += document["data"]
                link, query = (document.get("links") or {}).get("next"), None
            return rows

        for path in (
            "/core/workspaces",
            "/core/runbook_types",
            "/core/task_types",
            "/core/teams",
            "/core/users",
            "/core/custom_fields",
            "/core/workspaces/1/folders",
        ):
            await pages(path)
        for r in range(runbooks):
            found = await pages(
                "/core/runbooks", {"workspace_id": "1", "query": f"Bench runbook {r}"}
            )
            runbook_id = next(
                x["id"] for x in found if x["attributes"]["name"] == f"Bench runbook {r}"
            )
            for part in ("streams", "tasks", "runbook_teams"):
                await pages(f"/core/runbooks/{runbook_id}/{part}")
    return count


async def timed_plan(
    base_url: str, runbooks: int, tasks: int, forecast: bool = False
) -> tuple[float, int, int]:
    desired = trees(runbooks, tasks)
    async with CutoverClient(base_url, SANDBOX_TOKEN) as client:
        start = time.perf_counter()
        plan, _ = await make_plan(client, desired, PlanOptions(forecast=forecast))
        elapsed = time.perf_counter() - start
        changes = len(plan.changes())
        seen = sum(runbook.unchanged.get("task", 0) for runbook in plan.roots)
        if changes or seen != runbooks * tasks:
            raise SystemExit(f"the plan saw {seen} unchanged tasks and {changes} changes")
        return elapsed, client.stats.total_requests, changes


def main() -> None:
    pace_for_bulk_work()  # as `runform` does for its whole process
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runbooks", type=int, default=50)
    parser.add_argument("--tasks", type=int, default=200)
    parser.add_argument("--latency-ms", type=float, default=20.0)
    parser.add_argument("--fill-only", metavar="DB", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fill_only:
        asyncio.run(fill(args.fill_only, args.runbooks, args.tasks))
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = filled_database(__file__, str(Path(tmp) / "bench.db"), args.runbooks, args.tasks)
        with served_sandbox(db, args.latency_ms) as base_url:
            elapsed, requests, changes = asyncio.run(
                timed_plan(base_url, args.runbooks, args.tasks)
            )
            again, _, _ = asyncio.run(timed_plan(base_url, args.runbooks, args.tasks))
            forecast, forecast_requests, _ = asyncio.run(
                timed_plan(base_url, args.runbooks, args.tasks, forecast=True)
            )
            start = time.perf_counter()
            serial_requests = asyncio.run(serial_read(base_url, args.runbooks))
            serial = time.perf_counter() - start
    print(f"latency {args.latency_ms:g} ms per request")
    print(f"plan:   {elapsed:.2f} s wall, {requests} requests, {changes} changes (target <= 1.5 s)")
    print(f"plan again (server warm): {again:.2f} s wall")
    print(f"plan --forecast: {forecast:.2f} s wall, {forecast_requests} requests")
    print(f"serial: {serial:.2f} s wall, {serial_requests} requests, one at a time")
    print(f"ratio:  serial / plan = {serial / elapsed:.1f}x")


if __name__ == "__main__":
    main()
