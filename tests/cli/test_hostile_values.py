"""Untrusted values in files and in Cutover's answers: never a raw control character printed,
never a traceback, one clear message at the right place."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from tests.api.support import Recorder

from runform.cli.main import cli
from runform.core.sandbox_kit.server import BackgroundServer
from runform.core.sandbox_kit.transport import InProcessTransport

# C0 controls other than newline and tab, DEL, and C1: none of them may reach a terminal raw.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")

# YAML's double-quoted "\e" is ESC and "\a" is BEL.
FILE = """\
runbook:
  name: "Esc \\e[31mRED\\e[0m"
  workspace: default
  description: "hidden \\e[2K\\e[1A line"
streams:
  - name: "Main \\e]0;title\\a"
tasks:
  - name: "Esc \\e[31mRED\\e[0m task"
    stream: "Main \\e]0;title\\a"
    duration: 5m
    description: "bell \\a and \\x9b31m C1"
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("CUTOVER_API_URL", "CUTOVER_API_TOKEN", "CUTOVER_API_TOKEN_FILE", "CI"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "hostile.yaml").write_text(FILE)
    return tmp_path


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def assert_safe(output: str) -> None:
    assert not RAW_CONTROL.search(output), repr(RAW_CONTROL.search(output))
    assert "Traceback" not in output


def assert_plans_show_escaped(expected: str) -> None:
    """The text and the Markdown plan both show `expected` (an escaped value), nothing raw."""
    for fmt in ("text", "markdown"):
        planned = invoke("plan", "--format", fmt, "hostile.yaml")
        assert planned.exit_code == 0, planned.output
        assert_safe(planned.output)
        assert expected in planned.output


def test_names_with_escape_sequences_from_a_file_are_shown_escaped(project: Path) -> None:
    assert_plans_show_escaped("\\x1b[31mRED")
    applied = invoke("apply", "--auto-approve", "hostile.yaml")
    assert applied.exit_code == 0, applied.output
    assert_safe(applied.output)
    again = invoke("plan", "hostile.yaml")
    assert "No changes" in again.output and again.exit_code == 0


def test_names_with_escape_sequences_from_live_data_are_shown_escaped(project: Path) -> None:
    assert invoke("apply", "--auto-approve", "hostile.yaml").exit_code == 0
    # Someone edits the task in Cutover: its new description arrives in the plan from live data.
    db = project / ".runform" / "sandbox.db"
    from runform.providers.cutover.api.connect import open_sandbox

    app = open_sandbox(str(db))
    headers = {"Authorization": f"Bearer {app.state.token}", "Api-Version": "2022-02-22"}

    async def change_description() -> None:
        transport = InProcessTransport(app=app)
        async with httpx.AsyncClient(
            base_url="http://sandbox.local", transport=transport, headers=headers
        ) as http:
            runbooks = (await http.get("/core/runbooks")).json()["data"]
            mine = next(r for r in runbooks if r["attributes"]["name"].startswith("Esc"))
            tasks = (await http.get(f"/core/runbooks/{mine['id']}/tasks")).json()["data"]
            task = next(t for t in tasks if t["attributes"]["name"].endswith(" task"))
            body = {
                "data": {
                    "type": "task",
                    "id": task["id"],
                    "attributes": {"description": "live \x1b[2K\x1b[1A\x07 edit"},
                }
            }
            path = f"/core/runbooks/{mine['id']}/tasks/{task['id']}"
            answer = await http.patch(path, json=body)
            assert answer.status_code == 200, answer.text

    asyncio.run(change_description())
    assert_plans_show_escaped("live \\x1b[2K\\x1b[1A\\x07 edit")
    applied = invoke("apply", "--auto-approve", "hostile.yaml")
    assert applied.exit_code == 0 and "1 updated" in applied.output, applied.output
    assert_safe(applied.output)


def test_a_malformed_next_link_from_the_server_is_a_clear_error(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from runform.providers.cutover.sandbox import SANDBOX_TOKEN, create_app

    def broken(document: dict) -> dict:
        if isinstance(document.get("data"), list):
            document["links"] = {"next": "http://[::1/core/tasks?page[number]=2"}
            document["meta"] = {}
        return document

    with BackgroundServer(Recorder(create_app(":memory:"), reshape=broken)) as server:
        monkeypatch.setenv("CUTOVER_API_URL", server.base_url)
        monkeypatch.setenv("CUTOVER_API_TOKEN", SANDBOX_TOKEN)
        for command in (["plan", "hostile.yaml"], ["export", "--all", "-o", "out"]):
            result = invoke(*command)
            assert result.exit_code == 1, result.output
            assert "links.next is not a valid URL" in result.output
            assert re.search(r"GET /core/\w+", result.output), result.output
            assert_safe(result.output)


def test_validate_escapes_control_characters_in_messages(project: Path) -> None:
    (project / "bad.yaml").write_text(
        'runbook:\n  name: x\ntasks:\n  - name: "a\\e[2Kb"\n    stream: "no\\e[31m such"\n'
        "    duration: 5m\n"
    )
    result = invoke("validate", "bad.yaml")
    assert result.exit_code == 1
    assert_safe(result.output)
    assert "bad.yaml:5:" in result.output and "\\x1b[31m" in result.output


@pytest.mark.parametrize("value", [["a", "list"], 5, {"a": "map"}, None])
def test_live_data_of_the_wrong_type_is_a_clear_error(
    project: Path, monkeypatch: pytest.MonkeyPatch, value: object
) -> None:
    from runform.providers.cutover.sandbox import SANDBOX_TOKEN, create_app

    def odd_names(document: dict) -> dict:
        for row in document.get("data") if isinstance(document.get("data"), list) else ():
            if isinstance(row, dict) and row.get("type") in ("task", "stream", "runbook"):
                row.setdefault("attributes", {})["name"] = value
        return document

    with BackgroundServer(Recorder(create_app(":memory:"), reshape=odd_names)) as server:
        monkeypatch.setenv("CUTOVER_API_URL", server.base_url)
        monkeypatch.setenv("CUTOVER_API_TOKEN", SANDBOX_TOKEN)
        for example in sorted((Path(__file__).parents[2] / "examples").glob("*.yaml")):
            result = invoke("plan", str(example))
            assert result.exit_code in (0, 1), result.output
            assert_safe(result.output)
