"""Client speed: reading a long list page by page, and riding out throttling.

Runs the sandbox in-process (ASGI) with injected latency standing in for the network, so the
figures measure the client's scheduling rather than the machine's TCP stack. Prints:

- list: a runbook of N tasks read with pages fetched concurrently vs one after another;
- throttle: M concurrent reads with a share of 429s (Retry-After honoured), how long they
  took, how often the client was throttled and how far AIMD lowered its concurrency;
- overhead: time per request with no latency, in-process and over loopback HTTP.

    python bench/api_client.py [--tasks 2000] [--latency-ms 20] [--reads 200]
        [--throttle-rate 0.2] [--retry-after 1]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

import httpx

from runform.core.sandbox_kit.server import BackgroundServer
from runform.providers.cutover.api import CutoverClient, Ref, RetryPolicy
from runform.providers.cutover.sandbox import SANDBOX_TOKEN, create_app


def client_for(app, **options) -> CutoverClient:
    return CutoverClient(
        "http://sandbox.local", SANDBOX_TOKEN, httpx.ASGITransport(app=app), **options
    )


async def make_runbook(app, tasks: int) -> str:
    async with client_for(app, max_concurrency=20) as client:
        runbook = await client.create(
            "/core/runbooks",
            "runbook",
            {"name": "Bench list"},
            {"workspace": Ref(id="1", type="workspace")},
        )
        path = f"/core/runbooks/{runbook.id}"
        stream = await client.create(f"{path}/streams", "stream", {"name": "Main"})
        stream_ref = Ref(id=stream.id, type="stream")

        async def one(n: int) -> None:
            await client.create(
                f"{path}/tasks", "task", {"name": f"Task {n}", "duration": 60},
                {"stream": stream_ref, "predecessors": []},
            )  # fmt: skip

        await asyncio.gather(*(one(n) for n in range(tasks)))
        return runbook.id


async def time_list(app, runbook_id: str, concurrent: bool) -> tuple[float, int, int]:
    async with client_for(app) as client:
        started = time.perf_counter()
        tasks = await client.list(f"/core/runbooks/{runbook_id}/tasks", concurrent=concurrent)
        elapsed = time.perf_counter() - started
        return elapsed, len(tasks), client.stats.total_requests


async def throttled_reads(app, reads: int) -> tuple[float, CutoverClient]:
    client = client_for(
        app, max_concurrency=10, retry=RetryPolicy(max_attempts=20, max_total_wait=600)
    )
    async with client:
        started = time.perf_counter()
        await asyncio.gather(*(client.get("/core/workspaces/1") for _ in range(reads)))
        return time.perf_counter() - started, client


async def overhead(app, requests: int, base_url: str | None = None) -> list[float]:
    times = []
    client = client_for(app) if base_url is None else CutoverClient(base_url, SANDBOX_TOKEN)
    async with client:
        for _ in range(requests):
            started = time.perf_counter()
            await client.get("/core/workspaces/1")
            times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--latency-ms", type=float, default=20)
    parser.add_argument("--reads", type=int, default=200)
    parser.add_argument("--throttle-rate", type=float, default=0.2)
    parser.add_argument("--retry-after", type=int, default=1)
    args = parser.parse_args()

    app = create_app(":memory:")
    runbook_id = asyncio.run(make_runbook(app, args.tasks))
    app.state.faults.latency_ms = args.latency_ms
    pages = -(-args.tasks // 100)
    for concurrent in (True, False):
        elapsed, count, requests = asyncio.run(time_list(app, runbook_id, concurrent))
        mode = "concurrent pages" if concurrent else "one page at a time"
        print(
            f"list {count} tasks ({pages} pages of 100, {args.latency_ms:.0f} ms latency), "
            f"{mode}: {elapsed:.2f} s, {requests} requests"
        )

    app.state.faults.throttle_rate = args.throttle_rate
    app.state.faults.retry_after = args.retry_after
    app.state.faults.seed = 42
    elapsed, client = asyncio.run(throttled_reads(app, args.reads))
    stats = client.stats
    print(
        f"throttle {args.reads} reads at {args.throttle_rate:.0%} 429s "
        f"(Retry-After {args.retry_after}s, {args.latency_ms:.0f} ms latency): {elapsed:.2f} s, "
        f"{stats.throttled} throttled, {stats.retries} retries, "
        f"concurrency 10 -> lowest {client.limiter.lowest_limit:.1f}, "
        f"ends at {client.limiter.current}"
    )

    app.state.faults.throttle_rate = 0
    app.state.faults.latency_ms = 0
    times = sorted(asyncio.run(overhead(app, 500)))
    print(
        f"overhead per GET in-process (client + sandbox), 500 requests: "
        f"median {statistics.median(times):.2f} ms, p95 {times[int(len(times) * 0.95)]:.2f} ms"
    )
    with BackgroundServer(app) as server:
        times = sorted(asyncio.run(overhead(app, 100, server.base_url)))
    print(
        f"per GET over loopback HTTP (uvicorn on a thread), 100 requests: "
        f"median {statistics.median(times):.2f} ms, p95 {times[int(len(times) * 0.95)]:.2f} ms"
    )


if __name__ == "__main__":
    main()
