"""Apply speed: N new tasks in chains of a given depth, against the sandbox with latency.

Serves the sandbox with uvicorn in a child process (so the server does not share the
client's interpreter), plans a new runbook of N tasks whose predecessor chains are `depth`
long, and times only the apply. Prints the time, the bound max(depth, N/parallelism) x
latency, the ratio to it, the client's CPU per request (the server runs in its own process),
and the same apply made one call at a time.

    python bench/apply_bench.py [--tasks 1000] [--depth 20] [--latency-ms 20] [--parallelism 10]
                                [--runs 1] [--skip-serial]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from served import served_sandbox

from runform.collector import pace_for_bulk_work
from runform.providers.cutover.api import CutoverClient
from runform.providers.cutover.apply import Journal, apply_plan
from runform.providers.cutover.definitions import load_definitions
from runform.providers.cutover.engine import make_plan
from runform.providers.cutover.plan.options import PlanOptions
from runform.providers.cutover.sandbox import SANDBOX_TOKEN


def runbook_yaml(name: str, tasks: int, depth: int) -> str:
    """Tasks in `depth` levels; each task after one task of the level above."""
    width = -(-tasks // depth)
    lines = [
        "runbook:",
        f"  name: {name}",
        "  workspace: default",
        "streams:",
        "  - name: Work",
        "tasks:",
    ]
    for index in range(tasks):
        level, column = divmod(index, width)
        lines += [f"  - name: Task {level}-{column}", "    stream: Work", "    duration: 60"]
        if level:
            lines.append(f"    after: [Task {level - 1}-{column % width}]")
    return "\n".join(lines) + "\n"


async def timed_apply(base_url: str, folder: Path, name: str, args, parallelism: int):
    path = folder / f"{name.replace(' ', '-')}.yaml"
    path.write_text(runbook_yaml(name, args.tasks, args.depth))
    async with CutoverClient(base_url, SANDBOX_TOKEN, max_concurrency=parallelism) as client:
        plan, lookups = await make_plan(client, load_definitions([path]), PlanOptions())
        journal = Journal(folder / ".runform").open()
        before = client.stats.total_requests
        started, cpu_started = time.perf_counter(), time.process_time()
        result = await apply_plan(client, plan, lookups, parallelism=parallelism, journal=journal)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        journal.close()
        if not result.ok:
            raise SystemExit(f"apply failed: {result.failed[:3]}")
        requests = client.stats.total_requests - before
        await check_created(client, path, args)
        return elapsed, requests, cpu * 1000 / requests


async def check_created(client: CutoverClient, path: Path, args) -> None:
    """Untimed: the live runbook has exactly the file's tasks and predecessors."""
    definitions = load_definitions([path])
    replan, _ = await make_plan(client, definitions, PlanOptions())
    runbook = replan.roots[0]
    if replan.changes() or runbook.unchanged.get("task") != args.tasks:
        raise SystemExit(f"apply did not converge: {len(replan.changes())} changes remain")
    tasks = await client.list(f"/core/runbooks/{runbook.live_id}/tasks")
    names = {task.id: task.attributes["name"] for task in tasks}
    wanted = {t.name: sorted(t.predecessors or ()) for t in definitions.trees[0].tasks}
    found = {names[t.id]: sorted(names[p] for p in t.rel_ids("predecessors")) for t in tasks}
    if len(tasks) != args.tasks or found != wanted:
        raise SystemExit(f"the runbook has {len(tasks)} tasks, not the {args.tasks} planned")


def main() -> None:
    pace_for_bulk_work()  # as `runform` does for its whole process
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--depth", type=int, default=20)
    parser.add_argument("--latency-ms", type=float, default=20.0)
    parser.add_argument("--parallelism", type=int, default=10)
    parser.add_argument("--skip-serial", action="store_true")
    parser.add_argument(
        "--runs", type=int, default=1, help="repeat on a fresh server each time; print the spread"
    )
    args = parser.parse_args()
    bound = max(args.depth, args.tasks / args.parallelism) * args.latency_ms / 1000
    print(f"tasks={args.tasks} depth={args.depth} latency={args.latency_ms:.0f}ms")
    times: list[float] = []
    for run in range(args.runs):
        last = run == args.runs - 1
        with (
            tempfile.TemporaryDirectory() as tmp,
            served_sandbox(str(Path(tmp) / "sandbox.db"), args.latency_ms) as base_url,
        ):
            folder = Path(tmp)
            elapsed, requests, cpu_ms = asyncio.run(
                timed_apply(base_url, folder, "Bench parallel", args, args.parallelism)
            )
            times.append(elapsed)
            print(
                f"parallelism {args.parallelism}: {elapsed:.2f}s, {requests} requests; "
                f"bound {bound:.2f}s, ratio {elapsed / bound:.2f} (target <= 1.30); "
                f"client CPU {cpu_ms:.2f} ms per request"
            )
            if last and not args.skip_serial:
                serial, requests, _ = asyncio.run(
                    timed_apply(base_url, folder, "Bench serial", args, 1)
                )
                print(
                    f"parallelism 1: {serial:.2f}s, {requests} requests; "
                    f"speed-up {serial / statistics.median(times):.1f}x"
                )
    if args.runs > 1:
        within = sum(1 for t in times if t / bound <= 1.30)
        print(
            f"{args.runs} runs: min {min(times):.2f}s, median {statistics.median(times):.2f}s, "
            f"max {max(times):.2f}s; ratio median {statistics.median(times) / bound:.2f}; "
            f"{within} of {args.runs} within the target"
        )


if __name__ == "__main__":
    main()
