"""Recovery reads what it needs: after lost answers, one runbook again, the directory once."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

FILE_HEAD = """\
runbook:
  name: Recovered release
  workspace: default
streams:
  - name: Main
tasks:
"""


def test_lost_answers_re_read_the_runbook_not_the_directory(tmp_path: Path, sandbox_server) -> None:
    tasks = "".join(f"  - name: Step {n}\n    stream: Main\n    duration: 5m\n" for n in range(30))
    (tmp_path / "r.yaml").write_text(FILE_HEAD + tasks)
    sandbox_server.faults.drop_next = 4  # the answers of the first four writes are lost
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CUTOVER_", "CI"))}
    env.update(CUTOVER_API_URL=sandbox_server.base_url, CUTOVER_API_TOKEN=sandbox_server.token)
    done = subprocess.run(
        [sys.executable, "-m", "runform", "apply", "-auto-approve", "--stats", "r.yaml"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Apply complete: 32 created" in done.stdout
    counts = {
        path: int(n)
        for n, path in re.findall(r"^\s*(\d+)\s+GET\s+(\S+)$", done.stderr, re.MULTILINE)
    }
    assert "re-reading" in done.stderr  # the lost answers did make it recover
    for directory in ("/core/teams", "/core/users", "/core/workspaces", "/core/task_types"):
        assert counts.get(directory, 0) <= 1, (directory, done.stderr)
    # The runbook itself (new: the plan read none of it): once per recovery, whose re-plan
    # uses that read instead of reading it again. The lost writes are the runbook's create,
    # its stream's and two tasks': the first two re-reads are whole (the first finds the lost
    # runbook by listing), the task ones read the task list alone.
    recoveries = done.stderr.count("changes left after re-reading")
    assert recoveries >= 3
    assert counts["/core/runbooks/{id}/tasks"] == recoveries, done.stderr
    assert counts["/core/runbooks/{id}/streams"] == 2, done.stderr
    assert counts["/core/runbooks/{id}/runbook_teams"] == 2, done.stderr
