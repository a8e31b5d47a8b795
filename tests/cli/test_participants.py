"""Assignees Cutover would ignore are refused at plan time, at the task's file:line."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from runform.cli.main import cli

# Round 2, Assignees and participants: non-participants are silently ignored by the API, so
# a plan assigning one would show the same change after every apply.
PLAIN = """\
runbook:
  name: Certificate rotation
  workspace: default
tasks:
  - name: Upload the certificate
    duration: 10m
  - name: Switch listeners
    duration: 5m
    assignees: [user: kjohnson]
"""

COPIED = """\
runbook:
  name: December release
  workspace: default
  template:
    name: Standard release
    users: {users}
tasks:
  - name: Smoke test
    assignees: [user: ghopper]
"""


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CUTOVER_API_URL", raising=False)
    monkeypatch.delenv("CI", raising=False)
    runner = CliRunner()
    return lambda *args: runner.invoke(cli, list(args), catch_exceptions=False)


def test_a_user_who_is_not_a_participant_fails_at_the_tasks_line(run, tmp_path) -> None:
    (tmp_path / "rotation.yaml").write_text(PLAIN)
    result = run("plan", "rotation.yaml")
    assert result.exit_code == 1
    assert (
        'rotation.yaml:7:5: task "Switch listeners": user "katherine@example.com" is not a '
        "participant" in result.output
    )
    assert "assign a runbook team" in result.output and "Traceback" not in result.output


def test_a_user_the_template_brings_may_be_assigned_and_converges(run, tmp_path) -> None:
    (tmp_path / "release.yaml").write_text(COPIED.format(users="true"))
    assert run("apply", "-auto-approve", "release.yaml").exit_code == 0
    again = run("plan", "-detailed-exitcode", "release.yaml")
    assert again.exit_code == 0, again.output


def test_without_the_templates_users_the_same_assignee_is_refused(run, tmp_path) -> None:
    (tmp_path / "release.yaml").write_text(COPIED.format(users="false"))
    result = run("plan", "release.yaml")
    assert result.exit_code == 1 and "is not a participant" in result.output
