"""Export speed: R runbooks x T tasks in the sandbox, served over loopback, `export --all`.

Fills a sandbox database through the API (in-process), serves it with uvicorn in a child
process with `--latency-ms` per request, then times `export_runbooks` for the whole workspace
(concurrent runbooks, tasks 100 a page), the same with `--forecast` (all tasks in one
request), and one runbook at a time; prints wall time, request counts and requests per runbook.

    python bench/export_bench.py [--runbooks 100] [--tasks 100] [--latency-ms 0]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

import httpx
from served import filled_database, served_sandbox

from runform.providers.cutover.api import CutoverClient
from runform.providers.cutover.export.run import export_runbooks
from runform.providers.cutover.export.select import selection_for
from runform.providers.cutover.live.lookups import Lookups
from runform.providers.cutover.sandbox import SANDBOX_TOKEN, create_app

HEADERS = {"Authorization": f"Bearer {SANDBOX_TOKEN}", "Api-Version": "2022-02-22"}


async def fill(db_path: str, runbooks: int, tasks: int) -> None:
    """Runbooks of two streams; each task after the previous one, every tenth after two."""
    app = create_app(db_path=db_path)
    transport = httpx.ASGITransport(app=app)
    async with CutoverClient("http://sandbox.local", SANDBOX_TOKEN, transport) as client:

        async def one(index: int) -> None:
            workspace = {"workspace": {"type": "workspace", "id": "1"}}
            runbook = await client.create(
                "/core/runbooks", "runbook", {"name": f"Export bench {index:03d}"}, workspace
            )
            base = f"/core/runbooks/{runbook.id}"
            streams = [
                (await client.create(f"{base}/streams", "stream", {"name": name})).id
                for name in ("Prepare", "Execute")
            ]
            made: list[str] = []
            for t in range(tasks):
                preds = made[-1:] + (made[-10:-9] if t % 10 == 0 else [])
                relationships = {
                    "stream": {"type": "stream", "id": streams[t % 2]},
                    "predecessors": [{"type": "task", "id": p} for p in preds],
                }
                attributes = {"name": f"Task {t}", "duration": 60 * (1 + t % 5)}
                made.append(
                    (await client.create(f"{base}/tasks", "task", attributes, relationships)).id
                )

        await asyncio.gather(*(one(i) for i in range(runbooks)))


async def timed_export(
    base_url: str, out_dir: Path, *, concurrency: int = 10, forecast: bool = False
) -> tuple[float, int, int, int]:
    async with CutoverClient(base_url, SANDBOX_TOKEN, max_concurrency=concurrency) as client:
        start = time.perf_counter()
        lookups = await Lookups.fetch(client)
        selection = selection_for(lookups, workspace="default", everything=True)
        report = await export_runbooks(
            client, lookups, selection, out_dir, concurrency=concurrency, forecast=forecast
        )
        elapsed = time.perf_counter() - start
        tasks = sum(f.task_count for f in report.files)
        task_reads = client.stats.count("GET", "/core/runbooks/{id}/tasks")
        return elapsed, client.stats.total_requests, task_reads, tasks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runbooks", type=int, default=100)
    parser.add_argument("--tasks", type=int, default=100)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--fill-only", metavar="DB", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fill_only:
        asyncio.run(fill(args.fill_only, args.runbooks, args.tasks))
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = filled_database(__file__, str(Path(tmp) / "bench.db"), args.runbooks, args.tasks)
        with served_sandbox(db, args.latency_ms) as base_url:
            runs = {
                "export --all": asyncio.run(timed_export(base_url, Path(tmp) / "a")),
                "export --all --forecast": asyncio.run(
                    timed_export(base_url, Path(tmp) / "b", forecast=True)
                ),
                "one runbook at a time": asyncio.run(
                    timed_export(base_url, Path(tmp) / "c", concurrency=1)
                ),
            }
            same = sorted((Path(tmp) / "a").iterdir()) and all(
                path.read_bytes() == (Path(tmp) / "b" / path.name).read_bytes()
                for path in (Path(tmp) / "a").iterdir()
            )
    print(f"latency {args.latency_ms:g} ms per request")
    for label, (elapsed, requests, task_reads, tasks) in runs.items():
        print(
            f"{label:24s} {elapsed:6.2f} s wall, {requests} requests "
            f"({task_reads} task-list reads for {args.runbooks} runbooks), {tasks} tasks written"
        )
    print(f"paged and forecast exports byte-identical: {bool(same)}")


if __name__ == "__main__":
    main()
