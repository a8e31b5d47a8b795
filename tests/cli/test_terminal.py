"""`runform apply` on a real terminal (a pseudo-terminal): the `yes` prompt and progress bars."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.apply.support import DATA

from runform.cli.main import cli

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\r")
PROMPT = "Enter a value"


class Terminal:
    """`python -m runform ARGS` with stdin, stdout and stderr on a pseudo-terminal."""

    def __init__(self, folder: Path, *args: str) -> None:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("CUTOVER_") and key != "NO_COLOR"
        }
        env.update(TERM="xterm", COLUMNS="120", LINES="40", PYTHONPATH=os.pathsep.join(sys.path))
        self.master, replica = pty.openpty()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "runform", *args],
            cwd=folder,
            env=env,
            stdin=replica,
            stdout=replica,
            stderr=replica,
            close_fds=True,
        )
        os.close(replica)
        self.raw = b""

    @property
    def text(self) -> str:
        """What the terminal showed so far, without escape sequences."""
        return ANSI.sub("", self.raw.decode("utf-8", "replace"))

    def read_until(self, needle: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.text:
            if time.monotonic() > deadline or not self._read(deadline - time.monotonic()):
                raise AssertionError(f"{needle!r} never appeared:\n{self.text}")

    def type(self, line: str) -> None:
        os.write(self.master, line.encode() + b"\r")

    def finish(self, timeout: float = 60) -> int:
        """Read everything until the program exits; its exit code."""
        deadline = time.monotonic() + timeout
        while self._read(max(deadline - time.monotonic(), 0.01)):
            pass
        code = self.process.wait(timeout=max(deadline - time.monotonic(), 1))
        os.close(self.master)
        return code

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], max(timeout, 0))
        if not ready:
            return False
        try:
            chunk = os.read(self.master, 65536)
        except OSError:  # EIO: every writer has closed the terminal
            return False
        self.raw += chunk
        return bool(chunk)


@pytest.fixture
def project(tmp_path, monkeypatch):
    """plain.yaml in a fresh folder; runform targets the local sandbox in .runform/."""
    for name in ("CUTOVER_API_URL", "CUTOVER_API_TOKEN", "CUTOVER_API_TOKEN_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plain.yaml").write_text((DATA / "plain.yaml").read_text())
    return tmp_path


def _pending_changes() -> int:
    """`runform plan --detailed-exitcode` on the same local sandbox: 0 none, 2 some."""
    return CliRunner().invoke(cli, ["plan", "--detailed-exitcode", "plain.yaml"]).exit_code


def test_yes_on_the_terminal_applies_with_progress_bars(project):
    terminal = Terminal(project, "apply", "plain.yaml")
    terminal.read_until(PROMPT)
    shown = terminal.text
    assert "Plan: 8 to create, 0 to update, 0 to delete." in shown
    assert "Only `yes` is accepted" in shown
    assert not (project / ".runform" / "journal").exists()  # nothing happens before the answer
    terminal.type("yes")
    assert terminal.finish() == 0, terminal.text
    after = terminal.text.split(PROMPT, 1)[1]
    assert "Apply complete: 8 created, 0 updated, 0 deleted." in after
    # A rich bar per runbook (name, bar, done/total), not the plain log lines of a pipe.
    assert re.search(r"Ledger migration\s+━+\s+8/8", after), after
    assert "created (id" not in after
    assert len(list((project / ".runform" / "journal").glob("*.jsonl"))) == 1
    assert _pending_changes() == 0


@pytest.mark.parametrize("answer", ["no", "YES", ""])
def test_any_other_answer_cancels_with_no_changes(project, answer):
    terminal = Terminal(project, "apply", "plain.yaml")
    terminal.read_until(PROMPT)
    terminal.type(answer)
    assert terminal.finish() == 1, terminal.text
    assert "Apply cancelled." in terminal.text
    assert "Apply complete" not in terminal.text
    assert not (project / ".runform" / "journal").exists()
    assert _pending_changes() == 2  # Cutover still lacks every change


def test_destroy_asks_for_yes_and_only_yes_archives(project):
    assert CliRunner().invoke(cli, ["apply", "--auto-approve", "plain.yaml"]).exit_code == 0
    declined = Terminal(project, "destroy", "plain.yaml")
    declined.read_until(PROMPT)
    assert "ARCHIVE: Cutover archives the runbook" in declined.text
    declined.type("no")
    assert declined.finish() == 1, declined.text
    assert "Apply cancelled." in declined.text
    assert _pending_changes() == 0  # still live, as the files say
    terminal = Terminal(project, "destroy", "plain.yaml")
    terminal.read_until(PROMPT)
    assert "Plan: 0 to create, 0 to update, 1 to delete (1 runbook archived)." in terminal.text
    terminal.type("yes")
    assert terminal.finish() == 0, terminal.text
    assert "0 created, 0 updated, 1 deleted." in terminal.text.split(PROMPT, 1)[1]
    assert _pending_changes() == 2  # archived: planning the files creates them again
