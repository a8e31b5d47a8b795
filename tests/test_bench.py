"""The scripts in bench/ still run, on inputs small enough for the suite.

Only that they run and check what they check (a converged apply, a plan that saw every task,
byte-identical exports): their timings are read by people, never asserted here.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"

SMALL_RUNS = {
    "api_client.py": (
        ["--tasks", "200", "--latency-ms", "0", "--reads", "20", "--retry-after", "0"],
        "per GET over loopback HTTP",
    ),
    "apply_bench.py": (
        ["--tasks", "40", "--depth", "4", "--latency-ms", "1", "--runs", "2"],
        "2 runs: min",
    ),
    "export_bench.py": (
        ["--runbooks", "3", "--tasks", "10"],
        "paged and forecast exports byte-identical: True",
    ),
    "load_definitions.py": (["--files", "2", "--tasks", "100", "--runs", "1"], "peak RSS"),
    "validate_typos.py": (["--counts", "20", "--runs", "1"], "20 misspelt references"),
    "task_page.py": ([], "fields[task]=name,duration,stream,predecessors:"),
    "policies.py": (
        ["--tasks", "200", "--changed", "10", "--runs", "1"],
        "target: under 0.500 s added to a plan",
    ),
    "rate_limit.py": (
        ["--tasks", "10", "--rate", "50", "--latency-ms", "1"],
        "most 429s met by one request",
    ),
    "plan_process.py": (
        ["--runbooks", "2", "--tasks", "5", "--latency-ms", "1", "--runs", "1"],
        "ratio serial / plan",
    ),
    "sandbox_serving.py": (
        ["--runbooks", "3", "--tasks", "10", "--latency-ms", "1", "--passes", "1"],
        "server resident memory",
    ),
    "plan_ab.py": (
        ["--runbooks", "2", "--tasks", "5", "--latency-ms", "1", "--runs", "1", "--cold"],
        "this tree (after)",
    ),
    "render_text.py": (
        ["--runbooks", "2", "--tasks", "5", "--runs", "2"],
        "printed together",
    ),
    "plan_bench.py": (
        ["--runbooks", "3", "--tasks", "20", "--latency-ms", "1"],
        "serial / plan",
    ),
}


@pytest.mark.parametrize("script", sorted(SMALL_RUNS))
def test_the_bench_script_runs_to_its_figures(script: str) -> None:
    arguments, last_figure = SMALL_RUNS[script]
    done = subprocess.run(
        [sys.executable, str(BENCH / script), *arguments],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=BENCH,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert last_figure in done.stdout
    assert "Traceback" not in done.stderr
