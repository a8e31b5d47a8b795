"""The nearest runform.yaml marks the project: its `.runform/`, its `paths:`, what is skipped."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.apply.support import DATA

from runform.cli.main import cli

MKDOCS = "site_name: Payments runbooks\nnav:\n  - Home: index.md\ntheme:\n  name: material\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project: runform.yaml at the root, plain.yaml under runbooks/, a docs/ folder."""
    for name in ("CUTOVER_API_URL", "CUTOVER_API_TOKEN", "CUTOVER_API_TOKEN_FILE", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    root = tmp_path / "project"
    (root / "runbooks").mkdir(parents=True)
    (root / "docs").mkdir()
    (root / "runform.yaml").write_text("workspace: payments\n")
    (root / "runbooks" / "plain.yaml").write_text((DATA / "plain.yaml").read_text())
    monkeypatch.chdir(root)
    return root


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_plan_from_a_subdirectory_uses_the_projects_state_and_files(project, monkeypatch):
    applied = run("apply", "--auto-approve")
    assert applied.exit_code == 0, applied.output
    assert "Apply complete: 8 created" in applied.output
    assert (project / ".runform" / "sandbox.db").exists()
    assert len(list((project / ".runform" / "journal").glob("*.jsonl"))) == 1

    monkeypatch.chdir(project / "docs")
    planned = run("plan", "--detailed-exitcode")
    assert planned.exit_code == 0, planned.output
    assert "No changes" in planned.stdout
    assert planned.stderr.startswith(
        f"Using the local sandbox in {os.path.join('..', '.runform', 'sandbox.db')}"
    )
    assert not (project / "docs" / ".runform").exists()


def test_a_plan_saved_at_the_root_applies_from_a_subdirectory(project, monkeypatch):
    saved = run("plan", "-out", "release.plan.json")
    assert saved.exit_code == 0, saved.output
    assert "Target: the local sandbox at .runform/sandbox.db" in saved.stdout
    monkeypatch.chdir(project / "docs")
    applied = run("apply", os.path.join("..", "release.plan.json"))
    assert applied.exit_code == 0, applied.output  # the same target, named from the root
    assert "Apply complete: 8 created" in applied.output


def test_a_subprocess_in_a_subdirectory_finds_the_project(project):
    assert run("apply", "--auto-approve").exit_code == 0
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("CUTOVER_API_URL", "CUTOVER_API_TOKEN", "CUTOVER_API_TOKEN_FILE")
    }
    env["PYTHONPATH"] = str(Path(__file__).parents[2] / "src")
    result = subprocess.run(
        [sys.executable, "-m", "runform", "plan", "--detailed-exitcode"],
        cwd=project / "runbooks",
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes" in result.stdout
    assert not (project / "runbooks" / ".runform").exists()


def test_the_project_root_is_the_default_without_a_runbooks_directory(project):
    (project / "runbooks" / "plain.yaml").rename(project / "plain.yaml")
    (project / "runbooks").rmdir()
    (project / "mkdocs.yml").write_text(MKDOCS)
    result = run("validate")
    assert result.exit_code == 0, result.output
    assert "skipped mkdocs.yml: not a runbook file" in result.stderr
    assert result.stdout.strip() == "1 runbook with 4 tasks in 1 file: valid."


def test_an_mkdocs_file_beside_the_runbooks_is_skipped_with_a_notice(project):
    (project / "runbooks" / "mkdocs.yml").write_text(MKDOCS)
    (project / "runbooks" / "variables.yaml").write_text("release: 2026.12\n")
    result = run("plan")
    assert result.exit_code == 0, result.output
    notices = [line for line in result.stderr.splitlines() if line.startswith("skipped ")]
    assert notices == [
        f"skipped {os.path.join('runbooks', 'mkdocs.yml')}: not a runbook file "
        "(no `runbook:` or `runbooks:` key)",
        f"skipped {os.path.join('runbooks', 'variables.yaml')}: not a runbook file "
        "(no `runbook:` or `runbooks:` key)",
    ]
    assert "Plan: 8 to create" in result.stdout


def test_a_named_file_that_is_not_a_runbook_file_is_an_error(project):
    (project / "mkdocs.yml").write_text(MKDOCS)
    result = run("validate", "mkdocs.yml")
    assert result.exit_code == 1
    assert "mkdocs.yml:1:1: expected a mapping with `runbook:`" in result.stderr
    assert "skipped" not in result.stderr


def test_real_runbook_file_errors_stay_errors_inside_the_project_paths(project):
    (project / "runbooks" / "typo.yaml").write_text("runboks:\n  name: Release\n")
    (project / "runbooks" / "broken.yaml").write_text("runbook: [unclosed\n")
    (project / "runbooks" / "list.yaml").write_text("- runbook: R\n")
    result = run("validate")
    assert result.exit_code == 1
    assert "unknown key 'runboks'; did you mean 'runbooks'?" in result.stderr
    assert os.path.join("runbooks", "broken.yaml") + ":" in result.stderr
    assert "expected a mapping with `runbook:`" in result.stderr  # list.yaml
    assert "skipped" not in result.stderr


def test_paths_in_runform_yaml_are_read_relative_to_the_root(project, monkeypatch):
    (project / "cutover").mkdir()
    (project / "runbooks" / "plain.yaml").rename(project / "cutover" / "plain.yaml")
    (project / "runbooks" / "broken.yaml").write_text("runbook: [unclosed\n")
    (project / "runform.yaml").write_text("workspace: payments\npaths: [cutover]\n")
    assert run("validate").stdout.strip() == "1 runbook with 4 tasks in 1 file: valid."
    monkeypatch.chdir(project / "docs")
    result = run("plan")
    assert result.exit_code == 0, result.output
    assert "Plan: 8 to create" in result.stdout
    assert "broken.yaml" not in result.output
    # PATHS on the command line are read as given, not the project's.
    named = run("validate", str(project / "runbooks"))
    assert named.exit_code == 1 and "broken.yaml" in named.stderr


def test_the_token_file_is_relative_to_runform_yaml_from_a_subdirectory(project, monkeypatch):
    from runform.providers.cutover.definitions import load_project

    (project / "runform.yaml").write_text("api_token_file: secrets/token\n")
    monkeypatch.chdir(project / "docs")
    assert load_project().api_token_file == str((project / "secrets" / "token").resolve())


def test_outside_a_project_the_working_directory_holds_the_state(tmp_path, monkeypatch):
    for name in ("CUTOVER_API_URL", "CUTOVER_API_TOKEN", "CUTOVER_API_TOKEN_FILE"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / ".git").mkdir()  # stops the search for runform.yaml here
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plain.yaml").write_text((DATA / "plain.yaml").read_text())
    result = run("plan")
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("Using the local sandbox in .runform/sandbox.db")
    assert (tmp_path / ".runform" / "sandbox.db").exists()


def test_fmt_reads_the_projects_paths_and_skips_what_is_not_a_runbook(project):
    (project / "runbooks" / "mkdocs.yml").write_text(MKDOCS)
    (project / "runbooks" / "plain.yaml").write_text(
        (DATA / "plain.yaml").read_text().replace("runbook:\n", "runbook:\n\n\n", 1)
    )
    checked = run("fmt", "--check")
    assert checked.exit_code == 1  # the runbook file would change
    assert "would reformat runbooks/plain.yaml" in checked.stdout
    assert "mkdocs.yml" not in checked.stdout
    assert "skipped runbooks/mkdocs.yml: not a runbook file" in checked.stderr
    assert (project / "runbooks" / "mkdocs.yml").read_text() == MKDOCS
