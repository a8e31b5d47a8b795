"""How the CLI reaches Cutover: URL, token, Core-Url and Api-Version from the environment and
runform.yaml, seen from the server's side of a real socket; plain http refused."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from runform import __version__
from runform.cli.main import cli
from runform.core.sandbox_kit.server import BackgroundServer
from runform.providers.cutover.sandbox import SANDBOX_TOKEN, create_app

EXAMPLE = Path(__file__).parents[2] / "examples" / "monthly-release.yaml"
ENV = ("CUTOVER_API_URL", "CUTOVER_API_TOKEN", "CUTOVER_API_TOKEN_FILE", "CUTOVER_CORE_URL")


class Recorder:
    """An ASGI wrapper keeping each request's headers: what the server really received."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.headers: list[dict[str, str]] = []
        self.paths: list[str] = []

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            self.headers.append({k.decode().lower(): v.decode() for k, v in scope["headers"]})
            self.paths.append(scope["path"])
        await self.app(scope, receive, send)


@pytest.fixture
def recorded() -> Iterator[tuple[str, Recorder]]:
    """The sandbox on a free loopback port, behind a recorder of the requests' headers."""
    recorder = Recorder(create_app(":memory:"))
    with BackgroundServer(recorder) as server:  # type: ignore[arg-type]
        yield server.base_url, recorder


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in (*ENV, "CUTOVER_API_INSECURE"):
        monkeypatch.delenv(name, raising=False)
    shutil.copy(EXAMPLE, tmp_path / EXAMPLE.name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_plan_sends_core_url_version_and_agent_from_env_and_project(
    recorded, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, recorder = recorded
    (project / "runform.yaml").write_text("api_version: 2022-01-10\n")
    token_file = project / "token"
    token_file.write_text(SANDBOX_TOKEN + "\n")
    monkeypatch.setenv("CUTOVER_API_URL", url)
    monkeypatch.setenv("CUTOVER_API_TOKEN_FILE", str(token_file))
    monkeypatch.setenv("CUTOVER_CORE_URL", "https://acme.cutover.com")
    result = CliRunner().invoke(cli, ["--debug", "plan", EXAMPLE.name])
    assert result.exit_code == 0, result.output
    assert recorder.headers, "no request reached the server"
    for headers in recorder.headers:
        assert headers["core-url"] == "https://acme.cutover.com"
        assert headers["api-version"] == "2022-01-10"
        assert headers["user-agent"] == f"runform/{__version__}"
        assert headers["authorization"] == f"Bearer {SANDBOX_TOKEN}"
    assert SANDBOX_TOKEN not in result.output


def test_without_core_url_no_header_is_sent(recorded, project: Path, monkeypatch) -> None:
    url, recorder = recorded
    monkeypatch.setenv("CUTOVER_API_URL", url)
    monkeypatch.setenv("CUTOVER_API_TOKEN", SANDBOX_TOKEN)
    result = CliRunner().invoke(cli, ["plan", EXAMPLE.name])
    assert result.exit_code == 0, result.output
    assert recorder.headers and all("core-url" not in h for h in recorder.headers)
    assert {h["api-version"] for h in recorder.headers} == {"2022-02-22"}


def test_plain_http_to_a_remote_host_is_refused(project: Path, monkeypatch) -> None:
    monkeypatch.setenv("CUTOVER_API_URL", "http://cutover.example.com")
    monkeypatch.setenv("CUTOVER_API_TOKEN", SANDBOX_TOKEN)
    result = CliRunner().invoke(cli, ["plan", EXAMPLE.name])
    assert result.exit_code == 1
    assert "refusing plain http://" in result.output and "--insecure" in result.output
    assert "Traceback" not in result.output
    assert SANDBOX_TOKEN not in result.output


def test_api_url_from_runform_yaml(recorded, project: Path, monkeypatch) -> None:
    url, recorder = recorded
    (project / "runform.yaml").write_text(f"api_url: {url}\n")
    monkeypatch.setenv("CUTOVER_API_TOKEN", SANDBOX_TOKEN)
    result = CliRunner().invoke(cli, ["plan", EXAMPLE.name])
    assert result.exit_code == 0, result.output
    assert "local sandbox" not in result.output
    assert any(path.startswith("/core/runbooks") for path in recorder.paths)


def _outward_address() -> str:
    """This machine's address on its default route (not loopback; no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("192.0.2.1", 9))
        return probe.getsockname()[0]


def test_insecure_allows_plain_http_to_a_non_loopback_host(project: Path, monkeypatch) -> None:
    address = _outward_address()
    recorder = Recorder(create_app(":memory:"))
    with BackgroundServer(recorder, host=address) as server:  # type: ignore[arg-type]
        monkeypatch.setenv("CUTOVER_API_URL", server.base_url)
        monkeypatch.setenv("CUTOVER_API_TOKEN", SANDBOX_TOKEN)
        refused = CliRunner().invoke(cli, ["plan", EXAMPLE.name])
        allowed = CliRunner().invoke(cli, ["--insecure", "plan", EXAMPLE.name])
        after = CliRunner().invoke(cli, ["plan", "--insecure", EXAMPLE.name])
    assert refused.exit_code == 1 and "refusing plain http://" in refused.output
    assert allowed.exit_code == 0, allowed.output
    assert after.exit_code == 0, after.output
    assert recorder.headers, "the insecure run reached the server"


@pytest.mark.parametrize("arguments", [["--debug", "plan"], ["plan", "--debug"]])
def test_debug_logs_each_request_and_never_the_token(project: Path, arguments) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "runform", *arguments, EXAMPLE.name],
        capture_output=True,
        text=True,
        cwd=project,
        env={k: v for k, v in os.environ.items() if not k.startswith("CUTOVER_")},
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "DEBUG runform.providers.cutover.api: GET /core/runbooks" in run.stderr
    assert SANDBOX_TOKEN not in run.stderr + run.stdout


def test_the_token_file_named_in_runform_yaml(recorded, project: Path, monkeypatch) -> None:
    url, recorder = recorded
    (project / "secrets").mkdir()
    (project / "secrets" / "cutover-token").write_text(SANDBOX_TOKEN + "\n")
    (project / "runform.yaml").write_text(
        f"api_url: {url}\napi_token_file: secrets/cutover-token\n"
    )
    (project / "sub").mkdir()
    monkeypatch.chdir(project / "sub")  # relative to runform.yaml, not to where runform runs
    result = CliRunner().invoke(cli, ["plan", str(project / EXAMPLE.name)])
    assert result.exit_code == 0, result.output
    assert {h["authorization"] for h in recorder.headers} == {f"Bearer {SANDBOX_TOKEN}"}
    assert SANDBOX_TOKEN not in result.output
    monkeypatch.setenv("CUTOVER_API_TOKEN", "from-the-environment")
    overridden = CliRunner().invoke(cli, ["plan", str(project / EXAMPLE.name)])
    assert overridden.exit_code == 1 and "token was refused" in overridden.output


def _plan_against_nothing(project: Path) -> subprocess.CompletedProcess[str]:
    """`runform plan` as a process against port 9 of loopback, where nothing listens."""
    env = {k: v for k, v in os.environ.items() if k not in ENV and not k.startswith("CI")}
    env.update(CUTOVER_API_URL="http://127.0.0.1:9", CUTOVER_API_TOKEN=SANDBOX_TOKEN)
    env["PYTHONPATH"] = os.pathsep.join(sys.path)
    return subprocess.run(
        [sys.executable, "-m", "runform", "plan", EXAMPLE.name],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_refused_connection_names_the_address_and_the_variable(project: Path) -> None:
    """Nothing listens on port 9 (discard): the plan fails, naming it and what to check."""
    done = _plan_against_nothing(project)
    assert done.returncode == 1
    assert "could not connect to 127.0.0.1:9" in done.stderr
    assert "connection was refused" in done.stderr and "check CUTOVER_API_URL" in done.stderr
    assert "Traceback" not in done.stderr and SANDBOX_TOKEN not in done.stderr


def test_broken_files_are_reported_before_an_unreachable_cutover(project: Path) -> None:
    """The files' problems come first: no connection is tried for files that do not load."""
    (project / EXAMPLE.name).write_text("runbook:\n  name: Broken\ntasks:\n  - nme: Typo\n")
    done = _plan_against_nothing(project)
    assert done.returncode == 1
    assert f"{EXAMPLE.name}:4:" in done.stderr and "nme" in done.stderr
    assert "could not connect" not in done.stderr and "Traceback" not in done.stderr


def test_a_plan_against_a_url_reads_the_directory_once(recorded, project: Path) -> None:
    base_url, recorder = recorded
    env = {"CUTOVER_API_URL": base_url, "CUTOVER_API_TOKEN": SANDBOX_TOKEN}
    result = CliRunner().invoke(cli, ["plan", EXAMPLE.name], env=env)
    assert result.exit_code == 0, result.output
    assert "Plan: " in result.output
    for path in ("/core/workspaces", "/core/teams", "/core/users", "/core/task_types"):
        assert recorder.paths.count(path) == 1, (path, recorder.paths)


def _mounted_under_api() -> Any:
    """The sandbox served under /api: the server root answers 404 to every path."""
    from starlette.applications import Starlette
    from starlette.routing import Mount

    return Starlette(routes=[Mount("/api", app=create_app(":memory:"))])


@pytest.mark.parametrize(
    ("command", "suffix"),
    [
        (["plan", EXAMPLE.name], ""),
        (["apply", "-auto-approve", EXAMPLE.name], ""),
        (["export"], ""),
        (["plan", EXAMPLE.name], "/api/core"),
    ],
    ids=["plan-root", "apply-root", "export-root", "plan-path-too-long"],
)
def test_a_404_on_the_first_read_says_the_base_url_is_wrong(
    project: Path, monkeypatch, command, suffix
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(project / "cache"))
    with BackgroundServer(_mounted_under_api()) as server:
        url = server.base_url + suffix
        monkeypatch.setenv("CUTOVER_API_URL", url)
        monkeypatch.setenv("CUTOVER_API_TOKEN", SANDBOX_TOKEN)
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 1, result.output
        assert f"GET /core/workspaces answered 404 at {url}" in result.output
        assert "the base URL is probably wrong" in result.output
        assert "where Cutover's API starts" in result.output
        assert "never existed" not in result.output and "archived" not in result.output
        assert "Traceback" not in result.output
        # The right base URL is the mount point: with it, the same command reads the directory.
        monkeypatch.setenv("CUTOVER_API_URL", server.base_url + "/api")
        fixed = CliRunner().invoke(cli, ["plan", EXAMPLE.name])
        assert fixed.exit_code == 0, fixed.output
