"""`runform plan` keeps each unchanged runbook's plan in `.runform/cache/plans/` and says so
with `--stats`; the next plan after a change in Cutover or in the files shows that change."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from runform.cli.main import cli

RUNBOOK_FILE = """\
runbook:
  name: Weekly patching
  workspace: default
streams:
  - name: Main
tasks:
  - name: Patch hosts
    stream: Main
    duration: 30m
  - name: Reboot
    stream: Main
    duration: 10m
    after: [Patch hosts]
"""


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("CUTOVER_API_URL", "CUTOVER_API_TOKEN", "CUTOVER_API_TOKEN_FILE", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)

    def invoke(*args: str):
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)

    return invoke


def kept_line(stderr: str) -> str:
    return next(line for line in stderr.splitlines() if "runbook plans kept" in line)


def test_second_plan_takes_the_kept_plan_and_a_change_is_seen(run, tmp_path):
    Path("weekly.yaml").write_text(RUNBOOK_FILE)
    assert run("apply", "--auto-approve", "weekly.yaml").exit_code == 0
    first = run("plan", "--detailed-exitcode", "--stats", "weekly.yaml")
    assert first.exit_code == 0, first.output
    assert kept_line(first.stderr).startswith("0 of 1 ")
    second = run("plan", "--detailed-exitcode", "--stats", "weekly.yaml")
    assert second.exit_code == 0
    assert kept_line(second.stderr).startswith("1 of 1 ")
    assert second.stdout == first.stdout
    entries = list((tmp_path / ".runform" / "cache" / "plans").glob("*.json"))
    assert len(entries) == 1
    assert "Bearer" not in entries[0].read_text()

    Path("weekly.yaml").write_text(RUNBOOK_FILE.replace("duration: 10m", "duration: 15m"))
    changed = run("plan", "--detailed-exitcode", "--stats", "weekly.yaml")
    assert changed.exit_code == 2
    assert kept_line(changed.stderr).startswith("0 of 1 ")
    assert "duration" in changed.stdout and "10m" in changed.stdout


def test_a_file_with_variables_leaves_no_plan_on_disk(run, tmp_path):
    Path("weekly.yaml").write_text(
        RUNBOOK_FILE.replace("workspace: default", "workspace: default\n  description: ${var.n}")
    )
    for _ in range(2):
        result = run("plan", "--var", "n=kept-nowhere-7731", "weekly.yaml")
        assert result.exit_code == 0, result.output
    cache = tmp_path / ".runform" / "cache"
    assert not (cache / "plans").exists()
    for path in cache.rglob("*"):
        if path.is_file():
            assert "kept-nowhere-7731" not in path.read_text(errors="replace")
