"""`runform export` end to end: the local sandbox file, and a served sandbox over HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from runform.cli.main import cli


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project directory as the working directory, with no Cutover configured."""
    for name in ("CUTOVER_API_URL", "CUTOVER_API_TOKEN", "CUTOVER_API_TOKEN_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_export_all_then_plan_shows_no_changes(project: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["export", "--all", "-o", "runbooks", "--stats"])
    assert result.exit_code == 0, result.output
    assert "[1/1] Standard release" in result.output
    assert "Exported 1 runbook(s), 12 task(s), to runbooks." in result.output
    assert "GET    /core/runbooks/{id}/tasks" in result.output
    written = (project / "runbooks" / "standard-release.yaml").read_text()
    assert written.startswith("# yaml-language-server: $schema=../schemas/runbook.schema.json\n")
    assert yaml.safe_load(written)["runbook"]["name"] == "Standard release"
    assert runner.invoke(cli, ["fmt", "--check", "runbooks"]).exit_code == 0
    plan = runner.invoke(cli, ["plan", "runbooks"])
    assert plan.exit_code == 0, plan.output
    assert "No changes" in plan.output


def test_export_without_a_selection_is_a_clear_error(project: Path) -> None:
    result = CliRunner().invoke(cli, ["export"])
    assert result.exit_code == 1
    assert "say what to export" in result.output
    assert "Traceback" not in result.output


def test_export_of_an_unknown_workspace_lists_the_choices(project: Path) -> None:
    result = CliRunner().invoke(cli, ["export", "--all", "--workspace", "nowhere"])
    assert result.exit_code == 1
    assert 'unknown workspace "nowhere"' in result.output
    assert "Payments" in result.output


def test_export_over_http_is_byte_identical_twice(
    sandbox_server, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CUTOVER_API_URL", sandbox_server.base_url)
    monkeypatch.setenv("CUTOVER_API_TOKEN", sandbox_server.token)
    runner = CliRunner()
    first = runner.invoke(cli, ["export", "--runbook", "Standard release", "-o", "a"])
    second = runner.invoke(cli, ["export", "--runbook", "1", "-o", "b"])
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert sandbox_server.token not in first.output
    assert (project / "a/standard-release.yaml").read_bytes() == (
        project / "b/standard-release.yaml"
    ).read_bytes()
