"""`runform sandbox serve` as a user runs it: a real process, its URL line, a restart."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from click.testing import CliRunner

from runform.cli.main import cli
from runform.providers.cutover.sandbox import SANDBOX_READ_ONLY_TOKEN, SANDBOX_TOKEN

HEADERS = {"Authorization": f"Bearer {SANDBOX_TOKEN}", "Api-Version": "2022-02-22"}


@contextmanager
def served(*args: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """Start `runform sandbox serve` and yield the URL it prints; stop it afterwards."""
    with subprocess.Popen(
        [sys.executable, "-m", "runform", "sandbox", "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
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


def _serve(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "runform", "sandbox", "serve", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


def test_a_port_in_use_is_a_clear_error(tmp_path: Path) -> None:
    with served("--db", str(tmp_path / "first.db")) as url:
        port = url.rsplit(":", 1)[1]
        second = _serve("--port", port, "--db", str(tmp_path / "second.db"))
    assert second.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in second.stderr
    assert "Traceback" not in second.stderr


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_text("not sqlite at all\n" * 100)
    result = _serve("--port", "0", "--db", str(junk))
    assert result.returncode == 1
    assert f"the sandbox database {junk} cannot be opened" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_empty_token_and_a_port_out_of_range_are_refused() -> None:
    empty = CliRunner().invoke(cli, ["sandbox", "serve", "--token", "", "--db", ":memory:"])
    assert empty.exit_code == 1 and "--token must not be empty" in empty.output
    beyond = CliRunner().invoke(cli, ["sandbox", "serve", "--port", "70000"])
    assert beyond.exit_code == 1 and "--port" in beyond.output


def _status(url: str, token: str) -> int:
    headers = {"Authorization": f"Bearer {token}", "Api-Version": "2022-02-22"}
    return httpx.get(f"{url}/core/workspaces", headers=headers).status_code


def test_a_token_of_one_s_own_is_the_only_key_and_may_come_from_the_environment():
    secret = "cd" * 24
    with served("--db", ":memory:", env={"RUNFORM_SANDBOX_TOKEN": secret}) as url:
        assert _status(url, secret) == 200
        assert _status(url, SANDBOX_READ_ONLY_TOKEN) == 401
        assert _status(url, SANDBOX_TOKEN) == 401


def test_a_read_only_token_given_beside_one_s_own_token_reads():
    with served(
        "--db", ":memory:", "--read-only-token", "ro" * 20, env={"RUNFORM_SANDBOX_TOKEN": "ef" * 24}
    ) as url:
        assert _status(url, "ro" * 20) == 200
        assert _status(url, SANDBOX_READ_ONLY_TOKEN) == 401


def test_the_well_known_tokens_open_a_sandbox_started_without_one():
    with served("--db", ":memory:", env={"RUNFORM_SANDBOX_TOKEN": ""}) as url:
        assert _status(url, SANDBOX_TOKEN) == 200
        assert _status(url, SANDBOX_READ_ONLY_TOKEN) == 200


def test_help_names_the_token_s_environment_variable():
    shown = CliRunner().invoke(cli, ["sandbox", "serve", "--help"]).output
    assert "RUNFORM_SANDBOX_TOKEN" in shown and "process list" in shown


def test_serve_with_an_index_delay_hides_new_runbooks_from_query_only():
    # Round 2, Runbooks: `query`'s indexing delay is unknown; `--index-delay-requests` plays one.
    body = {
        "data": {
            "type": "runbook",
            "attributes": {"name": "Just made"},
            "relationships": {"workspace": {"data": {"type": "workspace", "id": "default"}}},
        }
    }
    with served("--db", ":memory:", "--index-delay-requests", "1000") as url:
        assert httpx.post(f"{url}/core/runbooks", json=body, headers=HEADERS).status_code == 201
        searched = httpx.get(f"{url}/core/runbooks", params={"query": "Just made"}, headers=HEADERS)
        listed = httpx.get(f"{url}/core/runbooks", params={"workspace_id": "1"}, headers=HEADERS)
    assert searched.json()["data"] == []
    assert "Just made" in [r["attributes"]["name"] for r in listed.json()["data"]]


def test_serve_paging_flags_are_checked_before_listening():
    runner = CliRunner()
    bad_host = runner.invoke(cli, ["sandbox", "serve", "--port", "0", "--links-host", "a/b"])
    both = runner.invoke(
        cli,
        ["sandbox", "serve", "--port", "0", "--links-host", "a.example", "--relative-links"],
    )
    assert bad_host.exit_code == 1 and "host name" in bad_host.output
    assert both.exit_code == 1 and "not both" in both.output
    assert "Traceback" not in bad_host.output + both.output


def test_serve_relative_links_flag():
    # Round 2, Pagination: links.next may be relative without a leading slash.
    with served("--db", ":memory:", "--relative-links") as url:
        body = httpx.get(f"{url}/core/users", params={"page[size]": 1}, headers=HEADERS).json()
    assert body["links"]["next"].startswith("core/users?")
