"""What a reviewer reads in `runform plan`: drift one line per object, schedule impact."""

from __future__ import annotations

import asyncio

import pytest
from click.testing import CliRunner
from tests.apply.support import DATA, read_runbook

from runform.cli.main import cli
from runform.providers.cutover.api import ApiSettings, open_client

START = "  timezone: Europe/London\n  start_scheduled: 2026-12-12T22:00:00\n"


@pytest.fixture
def project(tmp_path, monkeypatch):
    """plain.yaml (with a start time) applied to the local sandbox in .runform/."""
    for name in ("CUTOVER_API_URL", "CUTOVER_API_TOKEN", "CUTOVER_API_TOKEN_FILE", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    text = (DATA / "plain.yaml").read_text().replace("  timezone: Europe/London\n", START)
    (tmp_path / "plain.yaml").write_text(text)
    assert run("apply", "--auto-approve", "plain.yaml").exit_code == 0
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def edit_live(edits: dict[str, dict[str, object]]) -> None:
    """Change tasks in Cutover by hand (task name -> attributes)."""

    async def patch() -> None:
        settings = ApiSettings.from_env(env={}, sandbox_db=".runform/sandbox.db")
        async with open_client(settings) as client:
            live = await read_runbook(client, "Ledger migration", "payments")
            for task in live.tasks:
                if task.state.name in edits:
                    path = f"/core/runbooks/{live.id}/tasks/{task.id}"
                    await client.update(path, "task", edits[task.state.name])

    asyncio.run(patch())


def test_without_a_base_no_update_is_called_drift(project):
    edit_live(
        {
            "Migrate ledger": {"duration": 5400, "description": "changed by hand"},
            "Back up ledger database": {"duration": 3000},
            "Announce change freeze": {"level": "level_1"},  # not managed by the file
        }
    )
    result = run("plan", "--detailed-exitcode", "plain.yaml")
    assert result.exit_code == 2, result.output
    assert "drift" not in result.stdout and "outside the files" not in result.stdout
    assert "duration: 1h30m → 1h" in result.stdout
    assert "Plan: 0 to create, 2 to update, 0 to delete." in result.stdout
    markdown = run("plan", "--format", "markdown", "plain.yaml").stdout
    assert "outside the files" not in markdown and "Conflict" not in markdown


def test_schedule_impact_shows_critical_path_and_planned_end_before_and_after(project):
    unchanged = run("plan", "plain.yaml").stdout
    assert "critical path 2h (unchanged), planned end 2026-12-13 00:00 UTC" in unchanged
    text = (project / "plain.yaml").read_text().replace("duration: 1h\n", "duration: 1h30m\n")
    (project / "plain.yaml").write_text(text)
    result = run("plan", "plain.yaml")
    assert (
        "Schedule: 4 tasks, critical path 2h → 2h30m (+30m), "
        "planned end 2026-12-13 00:00 UTC → 2026-12-13 00:30 UTC"
    ) in result.stdout
    markdown = run("plan", "--format", "markdown", "plain.yaml").stdout
    row = next(line for line in markdown.splitlines() if line.startswith("| Ledger migration |"))
    assert "2h → 2h30m" in row and "00:30" in row
