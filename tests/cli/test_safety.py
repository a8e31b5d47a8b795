"""Plan and apply safety from the command line: delete limits, running runbooks, --debug."""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.apply.support import DATA, read_runbook

from runform.cli.main import cli
from runform.providers.cutover.api import ApiSettings, open_client

# plain.yaml's last task; nothing follows it, so the file stays valid without it.
LAST_TASK = "  - name: Verify balances\n"


@pytest.fixture
def project(tmp_path, monkeypatch):
    """plain.yaml applied to the local sandbox in .runform/ (4 tasks live)."""
    for name in ("CUTOVER_API_URL", "CUTOVER_API_TOKEN", "CUTOVER_API_TOKEN_FILE", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    text = (DATA / "plain.yaml").read_text()
    assert text.count(LAST_TASK) == 1
    (tmp_path / "plain.yaml").write_text(text)
    assert run("apply", "--auto-approve", "plain.yaml").exit_code == 0
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def journal_lines(folder: Path) -> int:
    return sum(len(p.read_text().splitlines()) for p in (folder / ".runform/journal").glob("*"))


def drop_last_task(folder: Path) -> None:
    text = (folder / "plain.yaml").read_text()
    (folder / "plain.yaml").write_text(text[: text.index(LAST_TASK)])


def test_delete_limits_come_from_runform_yaml_and_allow_deletes_lifts_them(project):
    drop_last_task(project)  # 1 of 4 tasks: within the defaults (10, and 25%)
    within = run("plan", "--detailed-exitcode", "plain.yaml")
    assert within.exit_code == 2, within.output
    assert '- task "Verify balances"' in within.stdout
    assert "Warning: this plan deletes 1 object." in within.stdout
    assert within.stdout.rstrip().endswith("Plan: 0 to create, 0 to update, 1 to delete.")

    for setting, limit in (
        ("delete_limit_count: 0", "(limit 0)"),
        ("delete_limit_percent: 20", "1 of its 4 tasks (25%, limit 20%)"),
    ):
        (project / "runform.yaml").write_text(f"{setting}\n")
        refused = run("plan", "--detailed-exitcode", "plain.yaml")
        assert refused.exit_code == 3, refused.output  # blocked: its own code
        assert "Error: the plan is blocked: needs `--allow-deletes`" in refused.stderr
        assert limit in refused.stderr
        assert '- task "Verify balances"' in refused.stdout  # still shown in full
        assert "Blocked: needs `--allow-deletes`" in refused.stdout
        assert "Traceback" not in refused.output
        markdown = run("plan", "--format", "markdown", "plain.yaml")
        assert markdown.exit_code == 3 and "> **Blocked: needs `--allow-deletes`" in markdown.stdout
        assert '- task "Verify balances"' in markdown.stdout
        applied = run("apply", "--auto-approve", "plain.yaml")
        assert applied.exit_code == 3 and "Apply complete" not in applied.output
        assert "nothing was applied" in applied.output
    assert journal_lines(project) == 8  # only the first apply wrote anything

    markdown = run("plan", "--allow-deletes", "--format", "markdown", "plain.yaml").stdout
    assert "> [!WARNING]" in markdown and "deletes 1 object" in markdown
    assert (
        markdown.index("[!WARNING]") < markdown.index("### Deletions") < markdown.index("<details>")
    )
    assert '- task "Verify balances"' in markdown
    applied = run("apply", "--auto-approve", "--allow-deletes", "plain.yaml")
    assert applied.exit_code == 0, applied.output
    assert "Apply complete: 0 created, 0 updated, 1 deleted." in applied.output
    # Not a terminal: plain progress lines, one per completed change.
    assert 'runbook["Ledger migration"].task["Verify balances"]: deleted (id ' in applied.output
    assert run("plan", "--detailed-exitcode", "plain.yaml").exit_code == 0


def test_markdown_without_deletes_has_no_banner(project):
    text = (project / "plain.yaml").read_text().replace("duration: 45m", "duration: 50m")
    (project / "plain.yaml").write_text(text)
    markdown = run("plan", "--format", "markdown", "plain.yaml").stdout
    assert "**Plan: 0 to create, 1 to update, 0 to delete.**" in markdown
    assert "[!WARNING]" not in markdown and "duration: 45m → 50m" in markdown


def test_a_running_runbook_is_shown_but_not_applied(project):
    async def start() -> None:
        settings = ApiSettings.from_env(env={}, sandbox_db=".runform/sandbox.db")
        async with open_client(settings) as client:
            live = await read_runbook(client, "Ledger migration", "payments")
            await client.action(
                f"/core/runbooks/{live.id}/start", {"run_type": "live", "comms": "off"}
            )

    asyncio.run(start())
    text = (project / "plain.yaml").read_text().replace("duration: 45m", "duration: 50m")
    (project / "plain.yaml").write_text(text)
    planned = run("plan", "--detailed-exitcode", "--out", "running.json", "plain.yaml")
    assert planned.exit_code == 2, planned.output
    assert "duration: 45m → 50m" in planned.stdout
    assert "✗ not appliable: the runbook is active" in planned.stdout
    assert "not dynamic" in planned.stdout
    for args in (("--auto-approve", "plain.yaml"), ("running.json",)):
        refused = run("apply", *args)
        assert refused.exit_code == 1, refused.output
        assert "not dynamic" in refused.output and "Apply complete" not in refused.output
    assert journal_lines(project) == 8


def test_debug_output_never_holds_the_token(tmp_path, sandbox_server):
    (tmp_path / "plain.yaml").write_text((DATA / "plain.yaml").read_text())
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("CUTOVER_")},
        "CUTOVER_API_URL": sandbox_server.base_url,
        "CUTOVER_API_TOKEN": sandbox_server.token,
        "PYTHONPATH": os.pathsep.join(sys.path),
    }
    outputs = []
    for args in (
        ("--debug", "plan", "--out", "p.json", "plain.yaml"),
        ("--debug", "apply", "--stats", "p.json"),
        ("--debug", "plan", "--detailed-exitcode", "plain.yaml"),
    ):
        done = subprocess.run(
            [sys.executable, "-m", "runform", *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        outputs.append(done.stdout + done.stderr)
    assert all("DEBUG runform" in output for output in outputs)  # debug logging is on
    assert "POST /core/runbooks" in outputs[1]
    written = [p.read_text() for p in tmp_path.rglob("*") if p.is_file()]
    assert len(written) >= 4  # plain.yaml, the plan, a journal, last-apply.json
    for text in outputs + written:
        assert sandbox_server.token not in text
        assert "Bearer" not in text


RISKY = """\
runbook:
  name: Risky change
  workspace: payments
  custom_fields:
    Risk: Extreme
streams:
  - name: Main
tasks:
  - name: Only step
    stream: Main
"""


def test_a_failed_apply_says_what_was_done_and_points_at_the_journal(tmp_path, monkeypatch):
    for name in ("CUTOVER_API_URL", "CUTOVER_API_TOKEN", "CUTOVER_API_TOKEN_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plain.yaml").write_text((DATA / "plain.yaml").read_text())
    (tmp_path / "risky.yaml").write_text(RISKY)
    failed = run("apply", "--auto-approve", "--parallelism", "1", ".")
    assert failed.exit_code == 1, failed.output
    assert "Apply failed:" in failed.output and "Apply complete" not in failed.output
    assert 'failed: runbook["Risky change"]: ' in failed.output
    assert "(allowed: Low, Medium, High) (code inclusion)" in failed.output
    summary = json.loads((tmp_path / ".runform/last-apply.json").read_text())
    assert summary["status"] == "failed"
    assert [f["address"] for f in summary["failed"]] == ['runbook["Risky change"]']
    assert 'runbook["Risky change"].task["Only step"]' in summary["not_attempted"]
    journal = tmp_path / summary["journal"]
    entries = [json.loads(line) for line in journal.read_text().splitlines()]
    done = [e for e in entries if "id" in e]
    assert {e["address"] for e in done} == {s["address"] for s in summary["succeeded"]}
    assert all(e["time"] and e["action"] and e["id"] for e in done)
    assert f"{len(done)} changes were made; see the journal {summary['journal']}" in failed.output
    (tmp_path / "risky.yaml").write_text(RISKY.replace("Extreme", "High"))
    rerun = run("apply", "--auto-approve", ".")
    assert rerun.exit_code == 0, rerun.output
    assert re.search(
        r"Apply complete: \d+ created, 0 updated, 0 deleted\. \([\d.]+s, \d+ requests\)",
        rerun.output,
    )
    assert f"{8 - len(done) + 3} created" in rerun.output
    assert run("plan", "--detailed-exitcode", ".").exit_code == 0


def test_a_stale_plan_names_objects_added_deleted_and_runbooks_that_now_exist(project):
    text = (project / "plain.yaml").read_text()
    (project / "plain.yaml").write_text(text.replace("duration: 45m", "duration: 50m"))
    assert run("plan", "--out", "update.json", "plain.yaml").exit_code == 0
    (project / "new.yaml").write_text(RISKY.replace("Extreme", "Low"))
    assert run("plan", "--out", "create.json", "new.yaml").exit_code == 0
    assert run("apply", "--auto-approve", "new.yaml").exit_code == 0

    async def edit() -> None:
        settings = ApiSettings.from_env(env={}, sandbox_db=".runform/sandbox.db")
        async with open_client(settings) as client:
            live = await read_runbook(client, "Ledger migration", "payments")
            task = next(t for t in live.tasks if t.state.name == "Verify balances")
            await client.delete(f"/core/runbooks/{live.id}/tasks/{task.id}")
            await client.create(f"/core/runbooks/{live.id}/streams", "stream", {"name": "Extra"})

    asyncio.run(edit())
    stale = run("apply", "update.json")
    assert stale.exit_code == 1
    assert "the live state changed since the plan was made" in stale.output
    assert 'stream "Extra" was added' in stale.output
    assert 'task "Verify balances" was deleted' in stale.output  # unchanged, named all the same
    exists = run("apply", "create.json")
    assert exists.exit_code == 1
    assert 'runbook "Risky change" in workspace Payments now exists' in exists.output
    assert journal_lines(project) == 8 + 3  # the two stale plans wrote nothing
