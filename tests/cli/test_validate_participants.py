"""`validate --online` refuses the user assignees the plan refuses, with the plan's message."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from tests.cli.test_participants import COPIED  # the same file, checked online

from runform.cli.main import cli

PLAIN = """\
runbook:
  name: Certificate rotation
  workspace: default
tasks:
  - name: Switch listeners
    duration: 5m
    assignees: [user: kjohnson]
"""


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("CUTOVER_API_URL", "CUTOVER_API_TOKEN", "CUTOVER_API_TOKEN_FILE", "CI"):
        monkeypatch.delenv(name, raising=False)
    runner = CliRunner()
    return lambda *args: runner.invoke(cli, list(args), catch_exceptions=False)


def _problem_line(output: str) -> str:
    [line] = [line.strip() for line in output.splitlines() if "is not a participant" in line]
    return line


@pytest.mark.parametrize(
    ("text", "line"),
    [(COPIED.format(users="false"), 8), (PLAIN, 5)],
    ids=["copy-without-users", "new-runbook"],
)
def test_a_non_participant_is_an_error_at_the_tasks_line_as_in_the_plan(
    run, tmp_path, text, line
) -> None:
    (tmp_path / "r.yaml").write_text(text)
    validated = run("validate", "--online", "r.yaml")
    assert validated.exit_code == 1, validated.output
    assert "Traceback" not in validated.output
    problem = _problem_line(validated.output)
    assert problem.startswith(f"r.yaml:{line}:5: task ")
    planned = run("plan", "r.yaml")
    assert planned.exit_code == 1
    assert _problem_line(planned.output) == problem  # the same words, at the same place
    report = json.loads(run("validate", "--online", "--format", "json", "r.yaml").stdout)
    [found] = report["problems"]
    assert (found["file"], found["line"], found["column"]) == ("r.yaml", line, 5)


def test_a_user_the_template_brings_passes(run, tmp_path) -> None:
    (tmp_path / "r.yaml").write_text(COPIED.format(users="true"))
    validated = run("validate", "--online", "r.yaml")
    assert validated.exit_code == 0, validated.output


def test_an_existing_runbook_is_judged_by_its_own_participants(run, tmp_path) -> None:
    # Copied with its users once; the file's template block no longer matters, as in the plan.
    (tmp_path / "r.yaml").write_text(COPIED.format(users="true"))
    assert run("apply", "-auto-approve", "r.yaml").exit_code == 0
    (tmp_path / "r.yaml").write_text(COPIED.format(users="false"))
    assert run("plan", "-detailed-exitcode", "r.yaml").exit_code == 0
    validated = run("validate", "--online", "r.yaml")
    assert validated.exit_code == 0, validated.output
