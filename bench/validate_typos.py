"""Benchmark: `runform validate` of a file whose every `after:` reference is misspelt.

Each unknown reference gets a did-you-mean. Matching every typo against every task name cost
time quadratic in the count (2,000 typos: over two minutes); the suggestions now come from an
index built once. Times the whole process, as a user runs it, for each count.

Run: python bench/validate_typos.py [--counts 500 1000 2000] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def write_file(path: Path, count: int) -> None:
    """`count` tasks, each after a misspelling of the one before it (a swapped letter pair)."""
    lines = ["runbook:", "  name: Typos", "streams:", "  - name: Main", "tasks:"]
    for index in range(count):
        lines += [f"  - name: Migrate shard {index:05} of the ledger", "    stream: Main"]
        if index:
            lines.append(f"    after: [Migrate sahrd {index - 1:05} of the ledger]")
    path.write_text("\n".join(lines) + "\n")


def run_once(path: Path) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "runform", "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 1 or "did you mean" not in done.stderr or "Traceback" in done.stderr:
        raise SystemExit(f"unexpected validate result: {done.returncode}\n{done.stderr[-2000:]}")
    return elapsed, done.stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[500, 1000, 2000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for count in args.counts:
            path = Path(folder) / f"typos-{count}.yaml"
            write_file(path, count)
            times = []
            output = ""
            for _ in range(args.runs):
                elapsed, output = run_once(path)
                times.append(elapsed)
            size = path.stat().st_size
            print(
                f"{count} misspelt references ({size / 1024:.0f} kB): "
                f"median {statistics.median(times):.2f} s, min {min(times):.2f} s "
                f"over {args.runs} runs; output {len(output.encode()):,} bytes"
            )


if __name__ == "__main__":
    main()
