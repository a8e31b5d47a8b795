"""Terraform's spellings work: single-dash flags, -no-color, and a log level from the
environment (RUNFORM_LOG) as well as --debug."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from runform.cli.connection import NO_COLOR, make_console
from runform.cli.main import cli

FILE = """\
runbook:
  name: Habits ${var.release}
  workspace: default
streams:
  - name: Main
tasks:
  - name: Only step
    stream: Main
    duration: ${var.minutes}m
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("CUTOVER_API_URL", "CUTOVER_API_TOKEN", "CUTOVER_API_TOKEN_FILE", "RUNFORM_LOG"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "habits.yaml").write_text(FILE)
    (tmp_path / "vars.yaml").write_text("minutes: 5\n")
    return tmp_path


def invoke(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def test_single_dash_flags_as_terraform_spells_them(project: Path) -> None:
    common = ["-var", "release=1", "-var-file", "vars.yaml", "-no-color"]
    planned = invoke("plan", *common, "-detailed-exitcode", "-out", "p.json", "habits.yaml")
    assert planned.exit_code == 2, planned.output
    assert "\x1b[" not in planned.output
    saved = json.loads(Path("p.json").read_text())
    assert [r["name"] for r in saved["roots"]] == ["Habits 1"]
    targeted = invoke("plan", *common, "-target", 'runbook["Habits 1"]', "-exclude",
                      'runbook["Habits 1"].task["Only step"]', "habits.yaml")  # fmt: skip
    assert targeted.exit_code == 0, targeted.output
    assert 'task "Only step"' not in targeted.output
    applied = invoke("apply", *common, "-auto-approve", "-parallelism", "2", "habits.yaml")
    assert applied.exit_code == 0 and "Apply complete: 3 created" in applied.output
    assert invoke("-no-color", "plan", *common, "habits.yaml").exit_code == 0
    as_json = invoke("plan", "-json", *common, "habits.yaml")
    assert json.loads(as_json.stdout)["roots"][0]["name"] == "Habits 1"


def test_runform_log_sets_the_log_level_like_debug(project: Path) -> None:
    def validate(**extra: str) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CUTOVER_", "RUNFORM_"))}
        command = [sys.executable, "-m", "runform", "validate", "--online", "-var", "release=1"]
        return subprocess.run(
            [*command, "-var-file", "vars.yaml", "habits.yaml"],
            capture_output=True,
            text=True,
            env={**env, **extra},
            timeout=120,
        )

    assert "DEBUG runform.providers.cutover.api: GET /core/workspaces" not in validate().stderr
    loud = validate(RUNFORM_LOG="debug")
    assert loud.returncode == 0, loud.stderr
    assert "DEBUG runform.providers.cutover.api: GET /core/workspaces" in loud.stderr


def test_no_color_gives_a_console_without_colour() -> None:
    with click.Context(click.Command("plan")) as context:
        assert not make_console().no_color
        context.meta[NO_COLOR] = True
        assert make_console().no_color
