"""`validate --format json|github`: the same problems, for tools and for pull-request lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from runform.cli.main import cli
from runform.cli.reports import Report, _github

BAD = """\
runbook:
  name: R
  workspace: default
streams:
  - name: S
tasks:
  - name: A
    stream: S
    duration: nope
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("CUTOVER_API_URL", "CUTOVER_API_TOKEN", "CUTOVER_API_TOKEN_FILE"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_json_lists_each_problem_with_its_position(project: Path) -> None:
    Path("bad.yaml").write_text(BAD)
    result = invoke("validate", "--format", "json", "bad.yaml")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["valid"] is False
    [problem] = document["problems"]
    assert (problem["file"], problem["line"], problem["column"]) == ("bad.yaml", 9, 5)
    assert (
        problem["path"] == "tasks[0].duration" and "'nope' is not a duration" in problem["message"]
    )


def test_json_of_valid_files_counts_them(project: Path) -> None:
    Path("good.yaml").write_text(BAD.replace("nope", "5m"))
    result = invoke("validate", "--format", "json", "good.yaml")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"valid": True, "problems": [], "runbooks": 1, "tasks": 1}


def test_github_annotates_the_line(project: Path) -> None:
    Path("bad.yaml").write_text(BAD)
    result = invoke("validate", "-format", "github", "bad.yaml")
    assert result.exit_code == 1
    assert result.stdout.startswith("::error file=bad.yaml,line=9,col=5::tasks[0].duration: ")


def test_github_online_problems_carry_the_task_s_position(project: Path) -> None:
    Path("team.yaml").write_text(BAD.replace("nope", "5m") + "    assignees: [team: Nobody]\n")
    result = invoke("validate", "--online", "--format", "github", "team.yaml")
    assert result.exit_code == 1
    assert '::error file=team.yaml,line=7,col=5::task "A": unknown team "Nobody"' in result.stdout


def test_github_escapes_what_would_break_its_command() -> None:
    line = _github(Report("50% done\nnext", "a:b,c.yaml", 3, 4, None))
    assert line == "::error file=a%3Ab%2Cc.yaml,line=3,col=4::50%25 done%0Anext"
