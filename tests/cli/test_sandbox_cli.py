"""`runform sandbox serve` as a user runs it: a real process, its URL line, a restart."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from click.testing import CliRunner

from runform.cli.main import cli
from runform.sandbox import SANDBOX_TOKEN

HEADERS = {"Authorization": f"Bearer {SANDBOX_TOKEN}", "Api-Version": "2022-02-22"}


@contextmanager
def served(*args: str) -> Iterator[str]:
    """Start `runform sandbox serve` and yield the URL it prints; stop it afterwards."""
    with subprocess.Popen(
        [sys.executable, "-m", "runform", "sandbox", "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:  # closes the pipes on the way out
        try:
            assert process.stdout is not None
            line = process.stdout.readline().strip()
            assert line.startswith("runform sandbox listening on http://127.0.0.1:"), line
            yield line.rsplit(" ", 1)[1]
        finally:
            process.terminate()
            process.wait(10)


def test_serve_prints_its_url_and_survives_a_restart(tmp_path: Path):
    db = str(tmp_path / "nested" / "sandbox.db")
    body = {
        "data": {
            "type": "runbook",
            "attributes": {"name": "Survivor"},
            "relationships": {"workspace": {"data": {"type": "workspace", "id": "default"}}},
        }
    }
    with served("--db", db) as url:
        created = httpx.post(f"{url}/core/runbooks", json=body, headers=HEADERS)
        assert created.status_code == 201
    with served("--db", db) as url:
        listed = httpx.get(f"{url}/core/runbooks", headers=HEADERS).json()
    assert [r["attributes"]["name"] for r in listed["data"]] == ["Standard release", "Survivor"]


def test_serve_with_custom_tokens_and_faults(tmp_path: Path):
    token = "ab" * 24
    with served(
        "--db",
        ":memory:",
        "--token",
        token,
        "--read-only-token",
        "cd" * 24,
        "--throttle-rate",
        "1",
        "--seed",
        "7",
    ) as url:
        old = httpx.get(f"{url}/core/workspaces", headers=HEADERS)
        throttled = httpx.get(
            f"{url}/core/workspaces", headers={"Authorization": f"Bearer {token}"}
        )
        read_only = httpx.post(
            f"{url}/core/runbooks", json={}, headers={"Authorization": f"Bearer {'cd' * 24}"}
        )
    assert old.status_code == 401
    assert throttled.status_code == 429
    assert throttled.headers["Retry-After"] == "1"
    assert read_only.status_code == 403


def test_serve_rejects_rates_out_of_range():
    result = CliRunner().invoke(cli, ["sandbox", "serve", "--error-rate", "1.5"])
    assert result.exit_code == 1
    assert "--error-rate" in result.output
