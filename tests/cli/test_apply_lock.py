"""One apply at a time per project: a second waits (-lock-timeout) or refuses, never doubles."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from runform.core.lock import apply_lock

FILE = """\
runbook:
  name: Locked release
  workspace: default
streams:
  - name: Main
tasks:
  - name: Step 1
    stream: Main
    duration: 5m
"""


def apply(folder: Path, *args: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CUTOVER_", "CI"))}
    return subprocess.Popen(
        [sys.executable, "-m", "runform", "apply", "--auto-approve", *args, "r.yaml"],
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "r.yaml").write_text(FILE)
    return tmp_path


def test_an_apply_refuses_while_another_holds_the_lock(project: Path) -> None:
    with apply_lock(project / ".runform"):
        held = apply(project)
        output, _ = held.communicate(timeout=120)
    assert held.returncode == 1, output
    assert "another apply holds the lock" in output and "-lock-timeout" in output
    assert "Apply complete" not in output


def test_with_a_lock_timeout_it_waits_for_the_other_to_finish(project: Path) -> None:
    released = threading.Event()

    def hold() -> None:
        with apply_lock(project / ".runform"):
            time.sleep(1.5)
        released.set()

    holder = threading.Thread(target=hold)
    holder.start()
    time.sleep(0.3)
    waiting = apply(project, "-lock-timeout", "60s")
    output, _ = waiting.communicate(timeout=120)
    holder.join()
    assert released.is_set()
    assert waiting.returncode == 0, output
    assert "Apply complete: 3 created" in output


def test_two_applies_started_together_make_one_runbook(project: Path) -> None:
    first, second = apply(project, "-lock-timeout", "120s"), apply(project, "-lock-timeout", "120s")
    outputs = [p.communicate(timeout=180)[0] for p in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], outputs
    created = sorted("Apply complete: 3 created" in out for out in outputs)
    assert created == [False, True], outputs  # the second planned after the first, and found it
    again = subprocess.run(
        [sys.executable, "-m", "runform", "plan", "--detailed-exitcode", "r.yaml"],
        cwd=project,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if not k.startswith(("CUTOVER_", "CI"))},
        timeout=120,
    )
    assert again.returncode == 0, again.stdout + again.stderr
    assert "No changes" in again.stdout


def test_a_bad_lock_timeout_is_a_usage_error(project: Path) -> None:
    done = apply(project, "-lock-timeout", "soon")
    output, _ = done.communicate(timeout=60)
    assert done.returncode == 1 and "-lock-timeout" in output
