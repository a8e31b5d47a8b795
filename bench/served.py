"""The sandbox in a child process, started exactly as `runform sandbox serve` starts it."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

READY = "runform sandbox listening on "


@contextmanager
def served_sandbox(db: str, latency_ms: float) -> Iterator[str]:
    """Serve `db` on a free loopback port with injected latency; yields the base URL."""
    with served_process(db, latency_ms) as (base_url, _):
        yield base_url


@contextmanager
def served_process(db: str, latency_ms: float) -> Iterator[tuple[str, int]]:
    """`served_sandbox`, yielding the server's process id with its base URL."""
    command = [sys.executable, "-m", "runform", "sandbox", "serve", "--host", "127.0.0.1",
               "--port", "0", "--db", db, "--latency-ms", str(latency_ms)]  # fmt: skip
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline() if server.stdout else ""
        if not line.startswith(READY):
            raise SystemExit(f"the sandbox server did not start: {line!r}")
        yield line[len(READY) :].strip(), server.pid
    finally:
        server.terminate()
        server.wait(10)


def filled_database(script: str, db: str, runbooks: int, tasks: int) -> str:
    """Run `script --fill-only DB` in its own process, which exits, so the server opens a
    closed database; prints how long filling took and returns `db`."""
    started = time.perf_counter()
    command = [sys.executable, script, "--runbooks", str(runbooks), "--tasks", str(tasks),
               "--fill-only", db]  # fmt: skip
    subprocess.run(command, check=True)
    print(f"filled {runbooks} runbooks x {tasks} tasks in {time.perf_counter() - started:.1f} s")
    return db
