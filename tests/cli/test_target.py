"""The target is always named, and the local sandbox is never chosen by accident."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from runform.cli.main import cli

RUNBOOK = """\
runbook:
  name: Target check
  workspace: default
tasks:
  - name: Only task
    duration: 5m
"""


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("CUTOVER_API_URL", "CUTOVER_API_TOKEN", "CUTOVER_API_TOKEN_FILE"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "target.yaml").write_text(RUNBOOK)

    def invoke(*args: str, env: dict[str, str] | None = None, input: str | None = None):
        return CliRunner().invoke(cli, list(args), env=env, input=input, catch_exceptions=False)

    return invoke


def test_an_empty_url_in_ci_is_an_error_naming_the_variable(run) -> None:
    result = run("plan", "target.yaml", env={"CUTOVER_API_URL": "", "CI": "true"})
    assert result.exit_code == 1
    assert "CUTOVER_API_URL is set but empty" in result.output
    assert "Plan:" not in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"CI": "true"}, "CI is set and no Cutover is configured"),
        ({"CUTOVER_API_TOKEN": "secret-token-value"}, "a Cutover API token is set but no URL"),
    ],
)
def test_ci_or_a_token_without_a_url_is_an_error(run, env, message) -> None:
    result = run("plan", "target.yaml", env=env)
    assert result.exit_code == 1 and message in result.output
    assert "--sandbox" in result.output and "secret-token-value" not in result.output


def test_sandbox_flag_chooses_the_local_sandbox_even_in_ci(run) -> None:
    result = run("plan", "-sandbox", "target.yaml", env={"CI": "true"})
    assert result.exit_code == 0, result.output
    assert "Using the local sandbox in .runform/sandbox.db (--sandbox)." in result.stderr


def test_text_and_markdown_plans_and_the_apply_name_the_target(run) -> None:
    text = run("plan", "target.yaml")
    assert text.stdout.splitlines()[0] == "Target: the local sandbox at .runform/sandbox.db"
    markdown = run("plan", "--format", "markdown", "target.yaml")
    assert "Target: `the local sandbox at .runform/sandbox.db`" in markdown.stdout
    applied = run("apply", "-auto-approve", "target.yaml")
    assert "Apply complete: 2 created" in applied.output  # the runbook and its task
    assert "Target: the local sandbox at .runform/sandbox.db." in applied.output
