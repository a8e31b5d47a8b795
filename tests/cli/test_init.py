"""`runform init`: the scaffold, and never overwriting without --force."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from runform.cli.main import cli


def test_init_scaffolds_a_project(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "proj"), "--workspace", "payments"])
    assert result.exit_code == 0, result.output
    root = tmp_path / "proj"
    config = yaml.safe_load((root / "runform.yaml").read_text())
    assert config["workspace"] == "payments"
    assert config["api_version"] == "2022-02-22"
    assert (root / "runbooks").is_dir()
    workflow = yaml.safe_load((root / ".github/workflows/runform-plan.yml").read_text())
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the key `on` as true
    steps = "\n".join(str(step.get("run", "")) for step in workflow["jobs"]["plan"]["steps"])
    assert "runform plan -no-color -detailed-exitcode -out runform.plan -format markdown" in steps
    assert (root / ".github/workflows/runform-apply.yml").exists()
    hooks = yaml.safe_load((root / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"]
    assert [hook["entry"] for hook in hooks] == [
        "runform fmt --check runbooks",
        "runform validate runbooks",
    ]
    assert ".runform/" in (root / ".gitignore").read_text()


def test_init_keeps_existing_files_unless_forced(tmp_path: Path) -> None:
    (tmp_path / "runform.yaml").write_text("workspace: mine\n")
    result = CliRunner().invoke(cli, ["init", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "kept" in result.output
    assert (tmp_path / "runform.yaml").read_text() == "workspace: mine\n"
    assert (tmp_path / ".pre-commit-config.yaml").exists()
    forced = CliRunner().invoke(cli, ["init", str(tmp_path), "--force"])
    assert forced.exit_code == 0, forced.output
    assert yaml.safe_load((tmp_path / "runform.yaml").read_text())["workspace"] == "default"


def test_init_quotes_an_odd_workspace_name(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["init", str(tmp_path), "--workspace", "Ops: #1 'EU'"])
    assert result.exit_code == 0, result.output
    assert yaml.safe_load((tmp_path / "runform.yaml").read_text())["workspace"] == "Ops: #1 'EU'"


def test_init_into_a_file_is_a_clear_error(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    result = CliRunner().invoke(cli, ["init", str(target)])
    assert result.exit_code != 0
    assert "Traceback" not in result.output


def test_init_from_template_writes_a_copy_that_plan_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("CUTOVER_API_URL", "CUTOVER_API_TOKEN", "CUTOVER_API_TOKEN_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    args = ["init", "--from-template", "Standard release", "--name", "Release 2026.12"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    path = tmp_path / "runbooks" / "release-2026-12.yaml"
    text = path.read_text()
    assert yaml.safe_load(text)["runbook"] == {
        "name": "Release 2026.12",
        "workspace": "Default",
        "template": {"name": "Standard release"},
    }
    assert "#     4. Back up databases  (Database; 45m;" in text
    again = runner.invoke(cli, args)
    assert again.exit_code == 1 and "already exists" in again.output
    plan = runner.invoke(cli, ["plan", str(path)])
    assert plan.exit_code == 0, plan.output
    assert 'task "Back up databases" (from template)' in plan.output


def test_init_from_an_unknown_template_names_the_templates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CUTOVER_API_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["init", "--from-template", "Nope"])
    assert result.exit_code == 1
    assert "Standard release" in result.output
    assert "Traceback" not in result.output
