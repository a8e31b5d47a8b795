"""Apply under an unannounced rate limit: N tasks against a sandbox that lets R requests a
second through (a token bucket answering 429 with no Retry-After), served in a child process.
With `--error-rate`/`--drop-rate` (and `--rate 0`), the same apply under server errors and
answers lost after commit, which make it recover.

Runs `runform apply --stats` as a user does and prints its wall time beside the bound N / R
(the requests the apply must make, at the ceiling), their ratio (target <= 1.25), how many
429s were answered and the most any one request met (target <= 2).

    python bench/rate_limit.py [--tasks 1000] [--rate 5] [--latency-ms 20]
    python bench/rate_limit.py --tasks 300 --rate 0 --error-rate 0.2 [--drop-rate 0.05]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from runform.providers.cutover.sandbox import SANDBOX_TOKEN

READY = "runform sandbox listening on "


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=5.0)
    parser.add_argument("--latency-ms", type=float, default=20.0)
    parser.add_argument("--error-rate", type=float, default=0.0)
    parser.add_argument("--drop-rate", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        lines = ["runbook:\n  name: Rate bench\n  workspace: default\nstreams:\n  - name: Main\n"]
        lines.append("tasks:\n")
        lines += [
            f"  - name: Step {n}\n    stream: Main\n    duration: 5m\n" for n in range(args.tasks)
        ]
        (folder / "r.yaml").write_text("".join(lines))
        command = [sys.executable, "-m", "runform", "sandbox", "serve", "--host", "127.0.0.1",
                   "--port", "0", "--db", str(folder / "bench.db"), "--latency-ms",
                   str(args.latency_ms), "--rate-limit", str(args.rate), "--error-rate",
                   str(args.error_rate), "--drop-rate", str(args.drop_rate), "--seed",
                   str(args.seed)]  # fmt: skip
        server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        try:
            line = server.stdout.readline() if server.stdout else ""
            if not line.startswith(READY):
                raise SystemExit(f"the sandbox did not start: {line!r}")
            url = line[len(READY) :].strip()
            env = {k: v for k, v in os.environ.items() if not k.startswith(("CUTOVER_", "CI"))}
            env.update(CUTOVER_API_URL=url, CUTOVER_API_TOKEN=SANDBOX_TOKEN)
            time.sleep(1.5)  # the bucket full, as for a client arriving after a quiet spell
            started = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-m", "runform", "apply", "-auto-approve", "--stats", "r.yaml"],
                cwd=folder, env=env, capture_output=True, text=True,
            )  # fmt: skip
            wall = time.perf_counter() - started
        finally:
            server.terminate()
            server.wait(10)
    if done.returncode != 0:
        raise SystemExit(f"the apply failed:\n{done.stdout}\n{done.stderr}")
    total = re.search(r"^(\d+) requests, (\d+) throttled", done.stderr, re.MULTILINE)
    most = re.search(r"at most (\d+) 429s for one request", done.stderr)
    requests = int(total.group(1)) if total else 0
    throttled = int(total.group(2)) if total else 0
    accepted = requests - throttled
    print(f"{args.tasks} tasks, {args.latency_ms:g} ms latency, rate limit {args.rate:g}/s, "
          f"errors {args.error_rate:g}, drops {args.drop_rate:g}")  # fmt: skip
    print(f"apply: {wall:.1f} s wall, {requests} requests, {throttled} refused (429)")
    summary = re.search(r"^\d+ requests, .*$", done.stderr, re.MULTILINE)
    print(f"  {summary.group(0) if summary else ''}")
    # Each doubtful write is noted "re-reading the runbook"; those noticed together share one
    # re-read. A whole re-read reads the streams too, one after task writes alone only the
    # task list. Requests per endpoint include retries.
    print(f"  doubtful writes: {done.stderr.count('re-reading the runbook')}")
    print(f"  re-reads made: {done.stderr.count('changes left after re-reading')}")
    for name in ("/core/runbooks/{id}/tasks", "/core/runbooks/{id}/streams", "/core/teams",
                 "/core/users", "/core/workspaces"):  # fmt: skip
        found = re.search(rf"^\s*(\d+)\s+GET\s+{re.escape(name)}$", done.stderr, re.MULTILINE)
        print(f"  GET {name}: {found.group(1) if found else 0}")
    if args.rate:
        bound = accepted / args.rate
        ratio = wall / bound
        print(
            f"bound: {bound:.1f} s ({accepted} / {args.rate:g}); ratio {ratio:.2f} (target <= 1.25)"
        )
        print(f"most 429s met by one request: {most.group(1) if most else 0} (target <= 2)")


if __name__ == "__main__":
    main()
