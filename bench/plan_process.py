"""`runform plan` as a user runs it: a whole process, side by side with Cutover's own reading.

Fills a sandbox with R runbooks x T tasks, writes the R matching runbook files into a project
directory, serves the sandbox in a child process with `--latency-ms` per request, then times
(medians of --runs, each run a fresh process):

  1. `runform plan DIR --detailed-exitcode`, the whole process: start-up, imports, loading
     the files, reading Cutover, diffing, rendering (must exit 0: no changes); once with what
     the run before kept in `.runform/cache/` (the files' parses, the runbooks' plans and the
     list of reads it made, read ahead: as on a laptop), once with that cache removed first
     (as in CI on a clean clone);
  2. Cutover's own client's reading pattern, written here as a plain httpx loop: the runbook
     index, then per runbook its streams, its tasks in forecast mode (one response) and its
     runbook teams, one runbook after another;
  3. the same reader, ten runbooks at a time;
  4. not the default, for comparison: `runform plan --parallelism 20` (kept cache) beside the
     same reader twenty runbooks at a time;

and prints the ratios, with the peak memory of the plan process. Also `runform plan --help`
and the CPU the imports of a plan cost. Child processes run with bytecode written and read,
as an installed runform runs (`--no-bytecode` keeps PYTHONDONTWRITEBYTECODE from the
environment instead), after one untimed plan.

    python bench/plan_process.py [--runbooks 50] [--tasks 200] [--latency-ms 20] [--runs 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from served import filled_database, served_sandbox

from runform.providers.cutover.sandbox import SANDBOX_TOKEN

HEADERS = {
    "Authorization": f"Bearer {SANDBOX_TOKEN}",
    "Api-Version": "2022-02-22",
    "Accept": "application/vnd.api+json",
}
FILL = str(Path(__file__).with_name("plan_bench.py"))  # its --fill-only makes the data


def write_files(project: Path, runbooks: int, tasks: int) -> None:
    """The files `plan_bench.py --fill-only` matches: one runbook a file, tasks chained."""
    (project / "runform.yaml").write_text("workspace: default\n")
    folder = project / "runbooks"
    folder.mkdir()
    for r in range(runbooks):
        lines = [f"runbook:\n  name: Bench runbook {r}\nstreams:\n  - name: Work\ntasks:\n"]
        for t in range(tasks):
            after = f"\n    after: [Task {t - 1}]" if t else ""
            lines.append(f"  - name: Task {t}\n    stream: Work\n    duration: 1m{after}\n")
        (folder / f"runbook-{r}.yaml").write_text("".join(lines))


def run_process(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, int, int]:
    """Wall seconds, exit code and peak RSS (KiB) of one child process."""
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - started, child.returncode, usage.ru_maxrss


async def cutover_reader(base_url: str, runbooks: int, at_once: int) -> int:
    """Read what Cutover's client reads per runbook; `at_once` runbooks in flight."""
    count = 0
    limits = httpx.Limits(max_connections=at_once * 3, max_keepalive_connections=at_once * 3)
    async with httpx.AsyncClient(base_url=base_url, headers=HEADERS, limits=limits) as http:

        async def get(path: str, params: dict[str, str] | None = None) -> dict:
            nonlocal count
            response = await http.get(path, params=params)
            count += 1
            response.raise_for_status()
            return response.json()

        index: list[dict] = []
        link: str | None = "/core/runbooks"
        query: dict[str, str] | None = {"workspace_id": "1", "page[size]": "100"}
        while link:
            page = await get(link, query)
            index += page["data"]
            link, query = (page.get("links") or {}).get("next"), None
        ids = [row["id"] for row in index][:runbooks]
        gate = asyncio.Semaphore(at_once)

        async def one(runbook_id: str) -> None:
            async with gate:
                base = f"/core/runbooks/{runbook_id}"
                await get(f"{base}/streams")
                await get(f"{base}/tasks", {"forecast": "true"})
                await get(f"{base}/runbook_teams")

        await asyncio.gather(*(one(i) for i in ids))
    return count


def import_cpu(env: dict[str, str]) -> float:
    """CPU seconds a fresh interpreter spends importing what `runform plan` imports.

    Started as the command line starts (httpx's own command line kept out, aiohttp's unused
    default SSL contexts made without the CA file, the garbage collector paced for bulk
    work), then every module a Cutover plan imports, with the installed providers the run
    loads to recognise its files."""
    probe = (
        "import time; t = time.process_time(); "
        "import runform.cli.main as m; m.skip_httpx_command_line(); "
        "from runform.core.http.aiohttp_import import ask_for_light_import; "
        "ask_for_light_import(); "
        "from runform.collector import pace_for_bulk_work; pace_for_bulk_work(); "
        "import runform.cli.plan, runform.cli.common, runform.cli.dispatch, "
        "runform.providers.cutover.definitions, runform.providers.cutover.api, "
        "runform.providers.cutover.engine, runform.providers.cutover.policy.check, "
        "runform.render; "
        "from runform.providers.registry import installed; installed(); "
        "print(time.process_time() - t)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=env
    )
    return float(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runbooks", type=int, default=50)
    parser.add_argument("--tasks", type=int, default=200)
    parser.add_argument("--latency-ms", type=float, default=20.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--no-bytecode",
        action="store_true",
        help="Keep PYTHONDONTWRITEBYTECODE from the environment (every process then compiles "
        "runform from source); by default it is cleared, as an installed runform runs.",
    )
    args = parser.parse_args()
    runform = [sys.executable, "-m", "runform"]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CUTOVER_", "CI"))}
    if not args.no_bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "project"
        project.mkdir()
        write_files(project, args.runbooks, args.tasks)
        db = filled_database(FILL, str(Path(tmp) / "bench.db"), args.runbooks, args.tasks)
        helps = [run_process([*runform, "plan", "--help"], project, env)[0] for _ in range(5)]
        cpu = statistics.median(import_cpu(env) for _ in range(5))
        with served_sandbox(db, args.latency_ms) as base_url:
            env.update(CUTOVER_API_URL=base_url, CUTOVER_API_TOKEN=SANDBOX_TOKEN)
            plans, peaks, colds = [], [], []
            serial, ten, wide, wide_reader = [], [], [], []
            plan_command = [*runform, "plan", "runbooks", "--detailed-exitcode"]
            # One untimed run first: the bytecode of every module a plan imports is then
            # written, as it is for an installed runform after its first run.
            run_process(plan_command, project, env)
            for _ in range(args.runs):  # interleaved, so a slow spell hits all alike
                wall, code, peak = run_process(plan_command, project, env)
                if code != 0:
                    raise SystemExit(f"the plan exited {code}; it must find no changes")
                plans.append(wall)
                peaks.append(peak)
                shutil.rmtree(project / ".runform" / "cache", ignore_errors=True)
                colds.append(run_process(plan_command, project, env)[0])
                wide.append(run_process([*plan_command, "--parallelism", "20"], project, env)[0])
                for at_once, walls in ((1, serial), (10, ten), (20, wide_reader)):
                    started = time.perf_counter()
                    requests = asyncio.run(cutover_reader(base_url, args.runbooks, at_once))
                    walls.append(time.perf_counter() - started)
    plan, one, many = (statistics.median(x) for x in (plans, serial, ten))
    print(f"{args.runbooks} runbooks x {args.tasks} tasks, {args.latency_ms:g} ms per request")
    print(f"runform plan (whole process): median {plan:.2f} s of {_runs(plans)}")
    print(f"  peak memory {max(peaks) / 1024:.0f} MB")
    cold = statistics.median(colds)
    print(f"  without .runform/cache (no kept parses or plans): median {cold:.2f} s of "
          f"{_runs(colds)}")  # fmt: skip
    print(f"Cutover's reading, serial:     median {one:.2f} s of {_runs(serial)}, "
          f"{requests} requests")  # fmt: skip
    print(f"Cutover's reading, 10 at once: median {many:.2f} s of {_runs(ten)}")
    print(f"ratio serial / plan = {one / plan:.2f}x (target >= 5), 10-at-once / plan = "
          f"{many / plan:.2f}x (target >= 1.5)")  # fmt: skip
    twenty, twenty_reader = statistics.median(wide), statistics.median(wide_reader)
    print(f"not the default: runform plan --parallelism 20: median {twenty:.2f} s of "
          f"{_runs(wide)}; the reader 20 at once: median {twenty_reader:.2f} s of "
          f"{_runs(wide_reader)}; serial / plan = {one / twenty:.2f}x, "
          f"20-at-once / plan = {twenty_reader / twenty:.2f}x")  # fmt: skip
    print(f"runform plan --help: median {statistics.median(helps):.3f} s (target <= 0.15 s)")
    print(f"imports of a plan: median {cpu:.3f} s CPU (target <= 0.2 s)")


def _runs(walls: list[float]) -> str:
    return ", ".join(f"{w:.2f}" for w in walls)


if __name__ == "__main__":
    main()
