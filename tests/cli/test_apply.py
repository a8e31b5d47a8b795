"""`runform apply` end to end: prompts, saved plans, stale plans, kills and interrupts."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.apply.support import DATA, big_runbook_yaml, client_for, live_task_names, read_runbook

from runform.cli.main import cli
from runform.providers.cutover.api import ApiSettings, open_client


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project folder holding plain.yaml, targeting the local sandbox in .runform/."""
    for name in ("CUTOVER_API_URL", "CUTOVER_API_TOKEN", "CUTOVER_API_TOKEN_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plain.yaml").write_text((DATA / "plain.yaml").read_text())
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_apply_refuses_to_prompt_without_a_terminal(project):
    result = run("apply", "plain.yaml")
    assert result.exit_code == 1
    assert "not a TTY" in result.output and "--auto-approve" in result.output
    assert not (project / ".runform" / "journal").exists()


def test_auto_approve_applies_then_a_rerun_has_nothing_to_do(project):
    first = run("apply", "--auto-approve", "--stats", "plain.yaml")
    assert first.exit_code == 0, first.output
    assert "Apply complete: 8 created, 0 updated, 0 deleted." in first.output
    assert "POST   /core/runbooks/{id}/tasks" in first.output  # --stats
    second = run("apply", "--auto-approve", "plain.yaml")
    assert second.exit_code == 0
    assert "No changes" in second.output
    assert "Apply complete: 0 created, 0 updated, 0 deleted." in second.output
    assert len(list((project / ".runform" / "journal").glob("*.jsonl"))) == 1  # no empty one


def test_a_saved_plan_applies_without_asking(project):
    assert run("plan", "--out", "release.plan.json", "plain.yaml").exit_code == 0
    result = run("apply", "release.plan.json")
    assert result.exit_code == 0, result.output
    assert "Apply complete: 8 created" in result.output
    assert run("apply", "--auto-approve", "plain.yaml").output.count("No changes") == 1


def test_a_stale_saved_plan_is_refused_naming_what_changed(project):
    assert run("apply", "--auto-approve", "plain.yaml").exit_code == 0
    text = (project / "plain.yaml").read_text().replace("duration: 45m", "duration: 50m")
    (project / "plain.yaml").write_text(text)
    assert run("plan", "--out", "update.json", "plain.yaml").exit_code == 0

    async def edit_live():
        settings = ApiSettings.from_env(env={}, sandbox_db=".runform/sandbox.db")
        async with open_client(settings) as client:
            live = await read_runbook(client, "Ledger migration", "payments")
            task = next(t for t in live.tasks if t.state.name == "Migrate ledger")
            path = f"/core/runbooks/{live.id}/tasks/{task.id}"
            await client.update(path, "task", {"description": "edited by hand"})

    asyncio.run(edit_live())
    result = run("apply", "update.json")
    assert result.exit_code == 1
    assert "the live state changed since the plan was made" in result.output
    assert 'task "Migrate ledger"' in result.output
    assert "Apply complete" not in result.output


def _apply_process(folder: Path, server, *args: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "CUTOVER_API_URL": server.base_url,
        "CUTOVER_API_TOKEN": server.token,
        "PYTHONPATH": os.pathsep.join(sys.path),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "runform", "apply", "--auto-approve", *args, "big.yaml"],
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _wait_for_journal_lines(folder: Path, count: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        journals = list((folder / ".runform" / "journal").glob("*.jsonl"))
        if journals and len(journals[0].read_bytes().splitlines()) >= count:
            return
        time.sleep(0.005)
    raise AssertionError(f"the apply never journaled {count} calls: {process.poll()}")


async def _names(server) -> list[str]:
    async with client_for(server) as client:
        live = await read_runbook(client, "Big release")
        return await live_task_names(client, live.id)


TASKS = 150


@pytest.mark.parametrize("kill_after", [1, 60, 120])
def test_sigkill_at_any_point_then_a_rerun_converges(sandbox_server, tmp_path, kill_after):
    (tmp_path / "big.yaml").write_text(big_runbook_yaml("Big release", TASKS))
    sandbox_server.app.state.faults.latency_ms = 5
    process = _apply_process(tmp_path, sandbox_server)
    _wait_for_journal_lines(tmp_path, kill_after, process)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=10)  # reaps it and closes its pipe
    assert process.returncode == -signal.SIGKILL
    rerun = _apply_process(tmp_path, sandbox_server)
    output, _ = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, output
    assert "Apply complete" in output
    names = asyncio.run(_names(sandbox_server))
    assert sorted(names) == sorted(f"Task {i}" for i in range(TASKS))  # none twice, none missing


def test_sigint_finishes_calls_in_flight_exits_130_and_a_rerun_converges(sandbox_server, tmp_path):
    (tmp_path / "big.yaml").write_text(big_runbook_yaml("Big release", TASKS))
    sandbox_server.app.state.faults.latency_ms = 5
    process = _apply_process(tmp_path, sandbox_server)
    _wait_for_journal_lines(tmp_path, 30, process)
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=60)
    assert process.returncode == 130, output
    assert "Apply interrupted" in output and "not attempted" in output
    summary = (tmp_path / ".runform" / "last-apply.json").read_text()
    assert '"status": "interrupted"' in summary
    rerun = _apply_process(tmp_path, sandbox_server)
    output, _ = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, output
    names = asyncio.run(_names(sandbox_server))
    assert sorted(names) == sorted(f"Task {i}" for i in range(TASKS))


def _wide_runbook(name: str, count: int) -> str:
    """`count` independent tasks: all can be created at once."""
    lines = ["runbook:", f"  name: {name}", "  workspace: default", "streams:", "  - name: Work"]
    lines += ["tasks:"] + [f"  - {{name: Task {i}, stream: Work}}" for i in range(count)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("parallelism", [2, 16])
def test_parallelism_bounds_the_calls_in_flight(sandbox_server, tmp_path, monkeypatch, parallelism):
    """--parallelism is the number of calls in flight, above the client's default of 10 too."""
    sandbox_server.faults.latency_ms = 20  # calls overlap only when they take a while
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CUTOVER_API_URL", sandbox_server.base_url)
    monkeypatch.setenv("CUTOVER_API_TOKEN", sandbox_server.token)
    (tmp_path / "wide.yaml").write_text(_wide_runbook(f"Wide {parallelism}", 40))
    args = ["apply", "--auto-approve", "--stats", "--parallelism", str(parallelism), "wide.yaml"]
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert "Apply complete: 42 created" in result.output
    peak = int(result.output.split("at most ")[1].split(" requests in flight")[0])
    assert 1 < peak <= parallelism
    if parallelism > 10:
        assert peak > 10
