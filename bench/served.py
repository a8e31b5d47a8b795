"""The sandbox in a child process, started exactly as `runform sandbox serve` starts it."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

READY = "runform sandbox listening on "


@contextmanager
def served_sandbox(db: str, latency_ms: float) -> Iterator[str]:
    """Serve `db` on a free loopback port with injected latency; yields the base URL."""
    command = [sys.executable, "-m", "runform", "sandbox", "serve", "--host", "127.0.0.1",
               "--port", "0", "--db", db, "--latency-ms", str(latency_ms)]  # fmt: skip
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        line = server.stdout.readline() if server.stdout else ""
        if not line.startswith(READY):
            raise SystemExit(f"the sandbox server did not start: {line!r}")
        yield line[len(READY) :].strip()
    finally:
        server.terminate()
        server.wait(10)
