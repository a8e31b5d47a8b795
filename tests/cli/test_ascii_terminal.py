"""A terminal that can only show ASCII: plan and apply run to the end, with ASCII marks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).parents[2] / "examples" / "monthly-release.yaml"


def run(folder: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CUTOVER_", "CI"))}
    env["PYTHONIOENCODING"] = "ascii"
    return subprocess.run(
        [sys.executable, "-m", "runform", *args],
        capture_output=True,
        cwd=folder,
        env=env,
        timeout=120,
    )


@pytest.mark.parametrize("output_format", ["text", "markdown"])
def test_plan_on_an_ascii_terminal_uses_ascii_marks(tmp_path: Path, output_format: str) -> None:
    done = run(tmp_path, "plan", "--format", output_format, str(EXAMPLE))
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    text = done.stdout.decode("ascii")  # raises if anything but ASCII was written
    assert b"Traceback" not in done.stderr
    assert '>> runbook "Payments release 2026.12"' in text  # the copy mark, as ASCII


def test_apply_on_an_ascii_terminal_runs_to_its_summary(tmp_path: Path) -> None:
    done = run(tmp_path, "apply", "--auto-approve", str(EXAMPLE))
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    (done.stdout + done.stderr).decode("ascii")
    assert b"Apply complete:" in done.stdout + done.stderr
