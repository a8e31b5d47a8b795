"""Drift against a base: the files at a git revision say who moved each field."""

from __future__ import annotations

import json
import subprocess

import pytest
from click.testing import CliRunner
from tests.cli.test_review import edit_live, run

from runform.cli.main import cli

RUNBOOK = """\
runbook:
  name: Ledger migration
  workspace: payments
streams:
  - name: Main
tasks:
  - name: Freeze
    stream: Main
    duration: 10m
  - name: Migrate ledger
    stream: Main
    duration: 10m
  - name: Verify balances
    stream: Main
    duration: 10m
"""


def git(*args: str) -> str:
    done = subprocess.run(["git", *args], capture_output=True, text=True, check=True)
    return done.stdout


def new_repository() -> None:
    """A git repository here, on `main`, with a committer."""
    git("init", "-q", "-b", "main")
    git("config", "user.email", "ci@example.com")
    git("config", "user.name", "CI")


def clean_environment(monkeypatch) -> None:
    """No Cutover, no CI base from the environment running the tests."""
    for name in ("CUTOVER_API_URL", "CUTOVER_API_TOKEN", "CUTOVER_API_TOKEN_FILE", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    for name in ("GITHUB_BASE_REF", "CI_MERGE_REQUEST_DIFF_BASE_SHA"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A git repository whose committed runbook is applied to the local sandbox."""
    clean_environment(monkeypatch)
    monkeypatch.chdir(tmp_path)
    new_repository()
    (tmp_path / ".gitignore").write_text(".runform/\n")
    (tmp_path / "ledger.yaml").write_text(RUNBOOK)
    git("add", ".")
    git("commit", "-q", "-m", "ledger migration")
    assert run("apply", "--auto-approve", "ledger.yaml").exit_code == 0
    return tmp_path


def sources(result) -> dict[str, dict[str, str | None]]:
    plan = json.loads(result.stdout)
    return {
        change["name"]: {f["field"]: f["source"] for f in change["fields"]}
        for root in plan["roots"]
        for change in root["changes"]
    }


def test_each_field_change_is_the_files_cutovers_or_both(repo) -> None:
    edited = RUNBOOK.replace("duration: 10m", "duration: 20m", 1)  # Freeze: the files
    edited = edited.replace(
        "  - name: Verify balances\n    stream: Main\n    duration: 10m",
        "  - name: Verify balances\n    stream: Main\n    duration: 30m",
    )  # Verify balances: the files, and Cutover below
    (repo / "ledger.yaml").write_text(edited)
    edit_live({"Migrate ledger": {"duration": 900}, "Verify balances": {"duration": 1500}})

    based = run("plan", "-json", "-base", "HEAD", "ledger.yaml")
    assert based.exit_code == 0, based.output
    assert sources(based) == {
        "Freeze": {"duration": "files"},
        "Migrate ledger": {"duration": "cutover"},
        "Verify balances": {"duration": "both"},
    }
    text = run("plan", "-base", "HEAD", "ledger.yaml").stdout
    assert (
        '!! conflict: task "Verify balances": both the files and Cutover changed duration' in text
    )
    assert '! changed outside the files: task "Migrate ledger": Cutover changed duration' in text
    markdown = run("plan", "--format", "markdown", "-base", "HEAD", "ledger.yaml").stdout
    assert "**1 conflict**" in markdown and "Changed outside the files:" in markdown

    unbased = run("plan", "-json", "ledger.yaml")
    assert {s for fields in sources(unbased).values() for s in fields.values()} == {None}
    assert not any(c["drift"] for r in json.loads(unbased.stdout)["roots"] for c in r["changes"])


def test_the_base_comes_from_runform_yaml_and_a_bad_revision_is_a_clear_error(repo) -> None:
    edit_live({"Migrate ledger": {"duration": 900}})
    (repo / "runform.yaml").write_text("base: main\n")
    assert sources(run("plan", "-json", "ledger.yaml")) == {
        "Migrate ledger": {"duration": "cutover"}
    }
    bad = CliRunner().invoke(cli, ["plan", "-base", "no-such-branch", "ledger.yaml"])
    assert bad.exit_code == 1 and "--base no-such-branch: not a revision" in bad.output
    assert "Traceback" not in bad.output


def test_in_ci_the_base_is_the_changes_merge_base(repo, monkeypatch) -> None:
    git("checkout", "-q", "-b", "change")
    edited = RUNBOOK.replace("duration: 10m", "duration: 20m", 1)
    (repo / "ledger.yaml").write_text(edited)
    git("commit", "-q", "-am", "longer freeze")
    edit_live({"Migrate ledger": {"duration": 900}})
    monkeypatch.setenv("GITHUB_BASE_REF", "main")
    assert sources(run("plan", "-json", "ledger.yaml")) == {
        "Freeze": {"duration": "files"},
        "Migrate ledger": {"duration": "cutover"},
    }


def test_export_update_takes_cutovers_values_and_then_the_plan_is_empty(repo) -> None:
    commented = RUNBOOK.replace("streams:\n", "# The one stream of this runbook.\nstreams:\n")
    (repo / "ledger.yaml").write_text(commented)
    git("commit", "-q", "-am", "a comment")
    # The description is not managed by the file: not a change, not taken.
    edit_live({"Migrate ledger": {"duration": 900, "description": "Run it twice"}})
    updated = run("export", "--update", "ledger.yaml", "--base", "HEAD")
    assert updated.exit_code == 0, updated.output
    assert "Took 1 value(s) from Cutover into the files." in updated.output
    text = (repo / "ledger.yaml").read_text()
    assert "# The one stream of this runbook." in text  # comments are kept
    assert "  - name: Migrate ledger\n    stream: Main\n    duration: 15m\n" in text
    assert "Run it twice" not in text
    again = run("plan", "-detailed-exitcode", "ledger.yaml")
    assert again.exit_code == 0, again.output


def test_export_update_needs_a_base(repo) -> None:
    result = CliRunner().invoke(cli, ["export", "--update", "ledger.yaml"])
    assert result.exit_code == 1 and "needs a base" in result.output


def test_a_project_in_a_subdirectory_with_a_name_git_quotes_finds_its_base(
    tmp_path, monkeypatch
) -> None:
    """git lists paths from where it runs and quotes unusual names; the base is read from
    the repository's top, names unquoted, so a project below the top still has its base."""
    clean_environment(monkeypatch)
    monkeypatch.chdir(tmp_path)
    new_repository()
    project = tmp_path / "ops" / "cutover"
    (project / "runbooks").mkdir(parents=True)
    (project / "runform.yaml").write_text("workspace: payments\n")
    runbook = project / "runbooks" / "ledger café.yaml"
    runbook.write_text(RUNBOOK)
    git("add", ".")
    git("commit", "-q", "-m", "ledger migration")
    monkeypatch.chdir(project)
    assert run("apply", "--auto-approve").exit_code == 0
    runbook.write_text(RUNBOOK.replace("duration: 10m", "duration: 20m", 1))
    edit_live({"Migrate ledger": {"duration": 900}})
    assert sources(run("plan", "-json", "-base", "HEAD")) == {
        "Freeze": {"duration": "files"},
        "Migrate ledger": {"duration": "cutover"},
    }
