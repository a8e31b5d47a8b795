"""What the served sandbox spends per read as the database grows (`runform sandbox serve`).

Fills a sandbox with R runbooks x T tasks (as `plan_bench.py --fill-only` does), serves it in
a child process with `--latency-ms`, and reads it with Cutover's own client's pattern, ten
runbooks at a time (`plan_process.cutover_reader`: the runbook index, then per runbook its
streams, its tasks in forecast mode and its runbook teams). Prints for each of --passes
passes the wall time, the CPU the server process spent (from /proc, so Linux only) per
request, and the reader's own CPU: the first pass meets every runbook for the first time,
the next ones read what is unchanged, and a last pass follows one write (a task renamed).
Ends with the server's resident memory.

    python bench/sandbox_serving.py [--runbooks 200] [--tasks 200] [--latency-ms 20] [--passes 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from pathlib import Path

import httpx
from plan_process import FILL, HEADERS, cutover_reader
from served import filled_database, served_process


def cpu_seconds(pid: int) -> float:
    """User and system CPU of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def resident_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def one_pass(label: str, base_url: str, pid: int, runbooks: int) -> None:
    server, reader = cpu_seconds(pid), time.process_time()
    started = time.perf_counter()
    requests = asyncio.run(cutover_reader(base_url, runbooks, 10))
    wall = time.perf_counter() - started
    spent = cpu_seconds(pid) - server
    print(f"{label}: {wall:.2f} s for {requests} requests, server CPU {spent:.2f} s "
          f"({1000 * spent / requests:.2f} ms a request), reader CPU "
          f"{time.process_time() - reader:.2f} s")  # fmt: skip


def rename_a_task(base_url: str) -> None:
    """One write: the first task of the first runbook listed gets a new name."""
    with httpx.Client(base_url=base_url, headers=HEADERS) as http:
        index = http.get("/core/runbooks", params={"page[size]": "1"}).raise_for_status()
        runbook_id = index.json()["data"][0]["id"]
        tasks = http.get(f"/core/runbooks/{runbook_id}/tasks", params={"page[size]": "1"})
        task_id = tasks.raise_for_status().json()["data"][0]["id"]
        body = {"data": {"type": "task", "attributes": {"name": "Renamed by the bench"}}}
        path = f"/core/runbooks/{runbook_id}/tasks/{task_id}"
        http.patch(path, json=body).raise_for_status()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runbooks", type=int, default=200)
    parser.add_argument("--tasks", type=int, default=200)
    parser.add_argument("--latency-ms", type=float, default=20.0)
    parser.add_argument("--passes", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = filled_database(FILL, str(Path(tmp) / "bench.db"), args.runbooks, args.tasks)
        with served_process(db, args.latency_ms) as (base_url, pid):
            print(f"{args.runbooks} runbooks x {args.tasks} tasks, {args.latency_ms:g} ms per "
                  "request, ten runbooks at a time")  # fmt: skip
            for number in range(args.passes):
                one_pass("first pass" if number == 0 else "unchanged", base_url, pid, args.runbooks)
            rename_a_task(base_url)
            one_pass("after a write", base_url, pid, args.runbooks)
            print(f"server resident memory {resident_mb(pid):.0f} MB")


if __name__ == "__main__":
    main()
