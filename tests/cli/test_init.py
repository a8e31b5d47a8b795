"""`runform init`: the scaffold, and never overwriting without --force."""

from __future__ import annotations

from pathlib import Path

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
    assert "runform plan --format markdown" in steps
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
