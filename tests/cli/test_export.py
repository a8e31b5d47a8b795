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


def test_a_workspace_alone_exports_all_of_it(project: Path) -> None:
    runner = CliRunner()
    default = runner.invoke(cli, ["export", "--workspace", "default", "-o", "default"])
    payments = runner.invoke(cli, ["export", "--workspace", "payments", "-o", "payments"])
    assert default.exit_code == 0 and payments.exit_code == 0, default.output + payments.output
    assert "Exported 1 runbook(s), 12 task(s), to default." in default.output
    assert (project / "default" / "standard-release.yaml").is_file()
    assert "Exported 0 runbook(s)" in payments.output  # the template lives in Default


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


def test_export_selection_flags(project: Path) -> None:
    import asyncio

    from runform.providers.cutover.api import ApiSettings, open_client

    runner = CliRunner()
    files = project / "src"
    files.mkdir()
    for name, workspace, folder in (
        ("Ledger migration", "payments", "Migrations"),
        ("Card switch", "payments", "Releases"),
        ("Old runbook", "payments", "Migrations"),
    ):
        (files / f"{name}.yaml").write_text(
            f"runbook:\n  name: {name}\n  workspace: {workspace}\n  folder: {folder}\n"
            "streams:\n  - name: Main\n"
            "tasks:\n  - name: Only step\n    stream: Main\n    duration: 5m\n"
        )
    applied = runner.invoke(cli, ["apply", "--auto-approve", "src"])
    assert applied.exit_code == 0, applied.output

    async def archive() -> str:
        settings = ApiSettings.from_env(env={}, sandbox_db=".runform/sandbox.db")
        async with open_client(settings) as client:
            # Found by exact name in a listing: `query` is fuzzy and may match more.
            named = {r.attributes["name"]: r.id for r in await client.list("/core/runbooks")}
            await client.delete(f"/core/runbooks/{named['Old runbook']}")
            return named["Card switch"]

    card_id = asyncio.run(archive())

    def export(*args: str) -> list[str]:
        result = runner.invoke(cli, ["export", *args])
        assert result.exit_code == 0, result.output
        return sorted(p.name for p in (project / args[-1]).rglob("*.yaml"))

    assert export("--templates", "-o", "t") == ["standard-release.yaml"]
    folder = ["--workspace", "payments", "--folder", "Migrations"]
    assert export(*folder, "-o", "f") == ["ledger-migration.yaml"]
    assert export(*folder, "--all", "-o", "fa") == ["ledger-migration.yaml"]
    assert export(*folder, "--include-archived", "-o", "fi") == [
        "ledger-migration.yaml",
        "old-runbook.yaml",
    ]
    assert export("--workspace", "payments", "--all", "--output-dir", "w") == [
        "card-switch.yaml",
        "ledger-migration.yaml",
    ]
    named = ["--runbook", "Ledger migration", "--runbook", card_id]
    assert export("--workspace", "payments", *named, "-o", "n") == [
        "card-switch.yaml",
        "ledger-migration.yaml",
    ]
    skipped = runner.invoke(cli, ["export", "--workspace", "payments", "--runbook", "Old runbook"])
    assert skipped.exit_code == 0 and "Skipped Old runbook" in skipped.output
    assert "--include-archived" in skipped.output
    plan = runner.invoke(cli, ["plan", "--detailed-exitcode", "w", "n"])
    assert plan.exit_code == 1 and "duplicate runbook" in plan.output  # the same runbooks twice
    plan = runner.invoke(cli, ["plan", "--detailed-exitcode", "w"])
    assert plan.exit_code == 0, plan.output
