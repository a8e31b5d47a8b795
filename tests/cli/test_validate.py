"""`runform validate` over real files: exit codes, the problem list, variables."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from runform.cli.validate import command

EXAMPLES = Path(__file__).parents[2] / "examples"


def test_examples_are_valid(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(command, [str(EXAMPLES)])
    assert result.exit_code == 0, result.output
    assert "4 runbooks with" in result.output and "in 4 files: valid." in result.output


def test_problems_listed_and_exit_1(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_text("runbook:\n  name: A\n  status: blue\n")
    (tmp_path / "b.yaml").write_text("tasks: []\n")
    result = CliRunner().invoke(command, ["a.yaml", "b.yaml"])
    assert result.exit_code == 1
    assert "2 problems in runbook files:" in result.output
    assert "a.yaml:3:3: runbook.status: 'blue' is not allowed" in result.output
    assert "b.yaml:1:1: expected a mapping with `runbook:`" in result.output
    assert "Traceback" not in result.output


def test_variables_from_options_and_project(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "runform.yaml").write_text("variables:\n  release: '2026.11'\n")
    (tmp_path / "vars.yaml").write_text("wait: 15m\n")
    (tmp_path / "r.yaml").write_text(
        "runbook:\n  name: R ${var.release}\ntasks:\n  - name: t\n    duration: ${var.wait}\n"
    )
    assert CliRunner().invoke(command, ["r.yaml"]).exit_code == 1
    result = CliRunner().invoke(command, ["r.yaml", "--var-file", "vars.yaml", "--var", "x=1"])
    assert result.exit_code == 0, result.output
    bad = CliRunner().invoke(command, ["r.yaml", "--var", "novalue"])
    assert bad.exit_code != 0


def test_no_files(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(command, [])
    assert result.exit_code == 1
    assert ".:1:1: no runbook files" in result.output
    (tmp_path / "empty").mkdir()
    named = CliRunner().invoke(command, ["empty"])
    assert named.exit_code == 1
    assert "empty:1:1: no runbook files" in named.output  # the folder the user named


def test_binary_file_is_one_clear_error(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.yaml").write_bytes(b"\x00\x01\x02binary")
    result = CliRunner().invoke(command, ["x.yaml"])
    assert result.exit_code == 1
    assert "x.yaml:1:1: file is binary, not YAML text" in result.output


def test_online_reports_unknown_names_with_choices(tmp_path: Path, monkeypatch) -> None:
    """Against the local sandbox (in-process, seeded): examples pass, typos are named."""
    monkeypatch.chdir(tmp_path)
    for name in ("CUTOVER_API_URL", "CUTOVER_API_TOKEN", "CUTOVER_API_TOKEN_FILE"):
        monkeypatch.delenv(name, raising=False)
    good = CliRunner().invoke(command, ["--online", str(EXAMPLES)])
    assert good.exit_code == 0, good.output
    (tmp_path / "r.yaml").write_text(
        """
runbook:
  name: Typo release
  workspace: paymnts
  template: {name: Standard release}
tasks:
  - name: New step
    stream: Deploymnt
    after: [Smoke tset]
    assignees: [team: Network teem]
"""
    )
    result = CliRunner().invoke(command, ["--online", "r.yaml"])
    assert result.exit_code == 1
    assert 'unknown workspace "paymnts"' in result.output
    assert "Payments" in result.output  # the choices are listed
    assert 'unknown team "Network teem"' in result.output
    (tmp_path / "r.yaml").write_text(
        """
runbook:
  name: Typo release
  workspace: default
  template: {name: Standard release}
tasks:
  - name: New step
    stream: Deploymnt
    after: [Smoke tset]
"""
    )
    result = CliRunner().invoke(command, ["--online", "r.yaml"])
    assert result.exit_code == 1
    assert 'unknown stream "Deploymnt"; did you mean "Deployment"?' in result.output
    # Each name the template lacks is reported at its task's own line and column.
    assert 'r.yaml:7:5: runbook "Typo release": task "New step" stream:' in result.output
    assert '"Smoke tset" is neither a task key' in result.output
    assert 'did you mean "Smoke test"?' in result.output


CYCLE = """\
runbook:
  name: Cycle release
  workspace: default
  template: {name: Standard release}
tasks:
  - name: Announce change freeze
    after: [Brief]
  - name: Brief
    stream: Preparation
    after: [Confirm go/no-go]
"""


def test_a_cycle_through_template_tasks_is_refused_online_and_by_the_plan(
    tmp_path: Path, monkeypatch
) -> None:
    """The template has "Confirm go/no-go" after "Announce change freeze"; the file loops."""
    from runform.cli.main import cli

    monkeypatch.chdir(tmp_path)
    for name in ("CUTOVER_API_URL", "CUTOVER_API_TOKEN", "CUTOVER_API_TOKEN_FILE"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "r.yaml").write_text(CYCLE)
    assert CliRunner().invoke(command, ["r.yaml"]).exit_code == 0  # offline it cannot know
    shown = '"Announce change freeze" → "Brief" → "Confirm go/no-go" → "Announce change freeze"'
    online = CliRunner().invoke(command, ["--online", "r.yaml"])
    assert online.exit_code == 1
    assert f'r.yaml:6:5: runbook "Cycle release": predecessor cycle: {shown}' in online.output
    plan = CliRunner().invoke(cli, ["plan", "r.yaml"])
    assert plan.exit_code == 1 and "Traceback" not in plan.output
    assert f"r.yaml:6:5: predecessor cycle: {shown}" in plan.output
