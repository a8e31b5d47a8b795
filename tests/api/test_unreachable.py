"""A failed connect names its cause, and only what a retry could change is retried."""

from __future__ import annotations

import socket
import ssl
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from runform.core.http.unreachable import REFUSED_BUDGET, connect_failure

EXAMPLE = Path(__file__).parents[2] / "examples" / "monthly-release.yaml"


def chained(*causes: BaseException) -> httpx.ConnectError:
    """An httpx.ConnectError raised from a chain of causes, as the transports raise them."""
    error: BaseException | None = None
    for cause in reversed(causes):
        cause.__cause__ = error
        error = cause
    top = httpx.ConnectError("connect failed")
    top.__cause__ = error
    return top


@pytest.mark.parametrize(
    ("cause", "words", "lasting", "budget"),
    [
        (socket.gaierror(-2, "unknown"), "host name could not be resolved", True, None),
        (ConnectionRefusedError(111, "refused"), "connection was refused", False, REFUSED_BUDGET),
        (ssl.SSLCertVerificationError("bad"), "TLS certificate was refused", True, None),
        (TimeoutError(), "timed out", False, None),
        (OSError("something else"), "could not connect", False, None),
    ],
)
def test_each_cause_is_named_with_what_retrying_can_do(cause, words, lasting, budget) -> None:
    found = connect_failure(chained(RuntimeError("wrapper"), cause))
    assert words in found.cause
    assert found.lasting is lasting and found.budget == budget


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again when the block ends: nothing listens


def test_a_wrong_port_names_the_host_the_cause_and_what_to_check(tmp_path: Path) -> None:
    port = _closed_port()
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "CUTOVER_API_URL": f"http://127.0.0.1:{port}",
        "CUTOVER_API_TOKEN": "t" * 48,
    }
    run = subprocess.run(
        [sys.executable, "-m", "runform", "plan", str(EXAMPLE)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
    )
    assert run.returncode == 1
    assert f"could not connect to 127.0.0.1:{port}: the connection was refused" in run.stderr
    assert "check CUTOVER_API_URL" in run.stderr and "Traceback" not in run.stderr


def test_a_wrong_base_path_says_the_base_url_is_probably_wrong(
    sandbox_server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from runform.cli.main import cli

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CUTOVER_API_URL", f"{sandbox_server.base_url}/not-the-api")
    monkeypatch.setenv("CUTOVER_API_TOKEN", sandbox_server.token)
    result = CliRunner().invoke(cli, ["plan", str(EXAMPLE)])
    assert result.exit_code == 1
    assert "GET /core/workspaces answered 404" in result.output
    assert "base URL is probably wrong" in result.output and "CUTOVER_API_URL" in result.output
