"""`runform plan` of two versions of runform, alternated on one machine: before and after.

This machine's speed moves by a third within an hour (other work shares it), so a figure
measured before a change and one measured after it do not compare; runs alternated in one
batch do. Checks out REV (default HEAD) into a scratch git worktree, fills the sandbox with R
runbooks x T tasks and writes the matching files (as `plan_process.py` does), serves the
sandbox in a child process with `--latency-ms` per request, then runs `runform plan runbooks
--detailed-exitcode` --runs times for each version in turn: REV's `src` and this working tree's
`src`, each through PYTHONPATH, in the same project (kept entries from the run before; with
`--cold`, `.runform/cache` removed before each run). Prints each version's median wall time,
median CPU (user + system) and peak memory.

    python bench/plan_ab.py [--before REV] [--runs 8] [--cold] [--runbooks 50] [--tasks 200]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from plan_process import FILL, write_files
from served import filled_database, served_sandbox

from runform.providers.cutover.sandbox import SANDBOX_TOKEN

ROOT = Path(__file__).resolve().parent.parent


def timed_plan(src: Path, project: Path, env: dict[str, str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds and peak RSS (KiB) of one `runform plan` of `src`."""
    command = [sys.executable, "-m", "runform", "plan", "runbooks", "--detailed-exitcode"]
    started = time.perf_counter()
    child = subprocess.Popen(
        command, cwd=project, env={**env, "PYTHONPATH": str(src)}, stdout=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"the plan of {src} exited {status}; it must find no changes")
    return time.perf_counter() - started, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="HEAD", help="git revision to compare with")
    parser.add_argument("--runs", type=int, default=8)
    parser.add_argument("--cold", action="store_true", help="remove .runform/cache each run")
    parser.add_argument("--runbooks", type=int, default=50)
    parser.add_argument("--tasks", type=int, default=200)
    parser.add_argument("--latency-ms", type=float, default=20.0)
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CUTOVER_", "CI"))}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as an installed runform runs
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "before"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(tree), args.before],
            check=True,
        )
        try:
            versions = {f"{args.before} (before)": tree / "src", "this tree (after)": ROOT / "src"}
            figures = compare(versions, Path(tmp), args, env)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)])
    mode = "nothing kept" if args.cold else "kept entries from the run before"
    print(f"{args.runbooks} runbooks x {args.tasks} tasks, {args.latency_ms:g} ms per request, "
          f"{args.runs} plans each, alternated, {mode}")  # fmt: skip
    for name, runs in figures.items():
        walls, cpus, peaks = zip(*runs, strict=True)
        print(f"{name}: wall median {statistics.median(walls):.3f} s "
              f"({min(walls):.2f}-{max(walls):.2f}), CPU median {statistics.median(cpus):.3f} s, "
              f"peak memory {max(peaks) / 1024:.0f} MB")  # fmt: skip


def compare(
    versions: dict[str, Path], tmp: Path, args: argparse.Namespace, env: dict[str, str]
) -> dict[str, list[tuple[float, float, int]]]:
    project = tmp / "project"
    project.mkdir()
    write_files(project, args.runbooks, args.tasks)
    db = filled_database(FILL, str(tmp / "bench.db"), args.runbooks, args.tasks)
    figures: dict[str, list[tuple[float, float, int]]] = {name: [] for name in versions}
    with served_sandbox(db, args.latency_ms) as base_url:
        env = {**env, "CUTOVER_API_URL": base_url, "CUTOVER_API_TOKEN": SANDBOX_TOKEN}
        for src in versions.values():  # untimed: bytecode written, entries kept
            timed_plan(src, project, env)
        for _ in range(args.runs):
            for name, src in versions.items():
                if args.cold:
                    shutil.rmtree(project / ".runform" / "cache", ignore_errors=True)
                figures[name].append(timed_plan(src, project, env))
    return figures


if __name__ == "__main__":
    main()
