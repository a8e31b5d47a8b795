"""apply refuses what it cannot do safely: another Cutover's plan, and Ctrl-C before or at the
prompt stops with nothing made and exit code 130."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.apply.support import DATA

from runform.cli.main import cli

CUTOVER_ENV = ("CUTOVER_API_URL", "CUTOVER_API_TOKEN", "CUTOVER_API_TOKEN_FILE")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in CUTOVER_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plain.yaml").write_text((DATA / "plain.yaml").read_text())
    return tmp_path


def test_a_plan_made_against_another_cutover_is_refused(project, sandbox_server, monkeypatch):
    made = CliRunner().invoke(cli, ["plan", "--out", "local.plan.json", "plain.yaml"])
    assert made.exit_code == 0, made.output
    monkeypatch.setenv("CUTOVER_API_URL", sandbox_server.base_url)
    monkeypatch.setenv("CUTOVER_API_TOKEN", sandbox_server.token)
    result = CliRunner().invoke(cli, ["apply", "local.plan.json"])
    assert result.exit_code == 1
    expected = (
        f"made against the local sandbox at .runform/sandbox.db, not {sandbox_server.base_url}"
    )
    assert expected in result.output
    assert "Apply complete" not in result.output


def _environment(server) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if k not in CUTOVER_ENV},
        "CUTOVER_API_URL": server.base_url,
        "CUTOVER_API_TOKEN": server.token,
        "PYTHONPATH": os.pathsep.join(sys.path),
    }


def _read_until(fd: int, marker: bytes, seconds: float) -> bytes:
    seen, deadline = b"", time.monotonic() + seconds
    while marker not in seen and time.monotonic() < deadline:
        if select.select([fd], [], [], 0.1)[0]:
            try:
                seen += os.read(fd, 4096)
            except OSError:
                break
    return seen


def _wait_until_reading_the_terminal(pid: int) -> None:
    """Until the process sits in read() on stdin, as a person's Ctrl-C finds it.

    input() writes its prompt, then reads; a signal landing between the two is only seen at
    the next keypress (CPython checks for signals when read() is interrupted, not before it).
    """
    deadline = time.monotonic() + 30
    syscall = Path(f"/proc/{pid}/syscall")
    while time.monotonic() < deadline:
        if syscall.exists() and syscall.read_text().startswith("0 0x0 "):  # read(0, ...)
            return
        time.sleep(0.02)


def test_ctrl_c_at_the_prompt_cancels_with_nothing_made(project, sandbox_server):
    primary, secondary = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "runform", "apply", "plain.yaml"],
        cwd=project,
        env=_environment(sandbox_server),
        stdin=secondary,
        stdout=secondary,
        stderr=secondary,
    )
    os.close(secondary)
    try:
        shown = _read_until(primary, b"Enter a value", 120)
        assert b"Enter a value" in shown, shown.decode(errors="replace")
        # The prompt names where the changes would be made.
        assert f"make these changes in {sandbox_server.base_url}?".encode() in shown
        _wait_until_reading_the_terminal(process.pid)
        process.send_signal(signal.SIGINT)
        rest = _read_until(primary, b"Apply cancelled.", 60)
        assert process.wait(60) == 130, (shown + rest).decode(errors="replace")
    finally:
        process.kill()  # a no-op once it has exited; never leave it waiting on the terminal
        process.wait()
        os.close(primary)
    assert b"Apply cancelled." in rest
    assert b"Traceback" not in shown + rest
    assert not (project / ".runform" / "journal").exists()  # not one call was made
    again = CliRunner().invoke(cli, ["plan", "--detailed-exitcode", "plain.yaml"], env={
        "CUTOVER_API_URL": sandbox_server.base_url, "CUTOVER_API_TOKEN": sandbox_server.token
    })  # fmt: skip
    assert again.exit_code == 2 and "8 to create" in again.output


def test_ctrl_c_while_planning_exits_130(project, sandbox_server):
    sandbox_server.faults.latency_ms = 5000  # every read takes five seconds
    with subprocess.Popen(
        [sys.executable, "-m", "runform", "apply", "--auto-approve", "plain.yaml"],
        cwd=project,
        env=_environment(sandbox_server),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ) as process:
        time.sleep(3)  # well after start-up, while the first reads are still out
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=60)
    assert process.returncode == 130, output
    assert "Traceback" not in output
