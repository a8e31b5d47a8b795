"""Benchmark: load and validate 10,000 tasks across 50 files; print wall time and peak memory.

Run: python bench/load_definitions.py [--files 50] [--tasks 10000] [--directory DIR] [--paced-gc]
`--directory` measures existing runbook files instead of generated ones (such as the plan
rig's 50 files of 200 tasks); `--paced-gc` collects garbage as the `runform` command does.
Each measurement runs in a fresh interpreter so imports and peak memory are honest.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

STREAMS = ["Preparation", "Network", "Storage", "Databases", "Applications", "Validation"]

MEASURE = """
import json, resource, sys, time, tracemalloc
from runform.providers.cutover.definitions import load_definitions
from runform.providers.cutover.definitions.project import ProjectConfig
trace = sys.argv[2] == "trace"
if sys.argv[3] == "paced":
    from runform.collector import pace_for_bulk_work

    pace_for_bulk_work()
if trace:
    tracemalloc.start()
start = time.perf_counter()
cpu_start = time.process_time()
definitions = load_definitions([sys.argv[1]], project=ProjectConfig())
elapsed = time.perf_counter() - start
cpu = time.process_time() - cpu_start
peak = tracemalloc.get_traced_memory()[1] if trace else 0
print(json.dumps({
    "seconds": elapsed,
    "cpu_seconds": cpu,
    "tasks": sum(len(tree.tasks) for tree in definitions.trees),
    "runbooks": len(definitions.trees),
    "traced_peak_mb": peak / 1048576,
    "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


def write_files(directory: Path, files: int, tasks: int) -> None:
    """Runbook files with streams, a substream, durations, assignees and dependency chains."""
    per_file = tasks // files
    for number in range(files):
        lines = [
            "runbook:",
            f"  name: Benchmark runbook {number}",
            "  workspace: infrastructure",
            "  timezone: Europe/London",
            "  start_scheduled: 2027-03-06T18:00:00",
            "streams:",
        ]
        lines += [f"  - name: {stream}" for stream in STREAMS]
        lines += ["    streams:", "      - name: Wave 1", "tasks:"]
        for index in range(per_file):
            lines += [
                f"  - key: t{index}",
                f"    name: Task {index} of runbook {number}",
                f"    stream: {STREAMS[index % len(STREAMS)]}",
                f"    duration: {5 + index % 40}m",
            ]
            if index:
                after = [f"t{index - 1}"] + ([f"t{index // 2}"] if index > 2 else [])
                lines.append(f"    after: [{', '.join(after)}]")
            lines.append("    assignees: [user: ghopper]")
            lines.append(f"    description: Step {index} of the benchmark plan")
        (directory / f"runbook-{number:02}.yaml").write_text("\n".join(lines) + "\n")


def measure(directory: Path, mode: str, collection: str) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, "-c", MEASURE, str(directory), mode, collection],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=50)
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--directory", type=Path, help="existing runbook files to load")
    parser.add_argument(
        "--paced-gc",
        action="store_true",
        help="pace garbage collection as the runform command does (pace_for_bulk_work)",
    )
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        directory = options.directory or Path(folder)
        if options.directory is None:
            write_files(directory, options.files, options.tasks)
        files = sorted(directory.glob("*.y*ml"))
        size = sum(path.stat().st_size for path in files)
        collection = "paced" if options.paced_gc else "default"
        timings = [measure(directory, "plain", collection) for _ in range(options.runs)]
        traced = measure(directory, "trace", collection)
    best = min(timings, key=lambda run: run["seconds"])
    print(f"files: {len(files)}, tasks: {best['tasks']}, bytes: {size:,}")
    each = ", ".join(f"{run['seconds']:.3f}" for run in timings)
    print(f"load+validate wall time: best {best['seconds']:.3f} s of {options.runs} runs ({each})")
    cpu = sorted(run["cpu_seconds"] for run in timings)
    print(
        f"CPU time: median {statistics.median(cpu):.3f} s (range {cpu[0]:.3f}-{cpu[-1]:.3f}); "
        f"load average now: {os.getloadavg()[0]:.2f} (other work on the machine inflates wall time)"
    )
    print(f"peak RSS (whole process, untraced run): {best['max_rss_mb']:.1f} MB")
    print(f"peak traced Python allocations during load: {traced['traced_peak_mb']:.1f} MB")


if __name__ == "__main__":
    main()
