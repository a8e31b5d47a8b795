"""A file renames a stream (the primary one too) with `renamed_from`; apply keeps its id."""

from __future__ import annotations

import asyncio

import pytest
from click.testing import CliRunner
from tests.apply.support import read_runbook

from runform.cli.main import cli
from runform.providers.cutover.api import ApiSettings, open_client

ROTATION = """\
runbook:
  name: Certificate rotation
  workspace: default
{streams}
tasks:
  - name: Upload the certificate
    duration: 10m
  - name: Switch listeners
    duration: 5m
    after: [Upload the certificate]
"""
# The sandbox names a new runbook's primary stream "Default stream" (Cutover's name is unknown).
RENAMED = "streams:\n  - name: Operations\n    renamed_from: Default stream\n"


@pytest.fixture
def run(tmp_path, monkeypatch):
    for name in ("CUTOVER_API_URL", "CUTOVER_API_TOKEN", "CUTOVER_API_TOKEN_FILE", "CI"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    return lambda *args: runner.invoke(cli, list(args), catch_exceptions=False)


def streams(name: str, workspace: str = "default") -> list[tuple[str, str, bool]]:
    async def read() -> list[tuple[str, str, bool]]:
        settings = ApiSettings.from_env(env={}, sandbox_db=".runform/sandbox.db")
        async with open_client(settings) as client:
            live = await read_runbook(client, name, workspace)
            return sorted((s.id, s.state.name, s.is_primary) for s in live.streams)

    return asyncio.run(read())


def test_renaming_the_primary_stream_converges_and_keeps_the_stream(run, tmp_path) -> None:
    path = tmp_path / "rotation.yaml"
    path.write_text(ROTATION.format(streams=""))
    assert run("apply", "-auto-approve", "rotation.yaml").exit_code == 0
    [(primary_id, name, primary)] = streams("Certificate rotation")
    assert (name, primary) == ("Default stream", True)
    path.write_text(ROTATION.format(streams=RENAMED))
    planned = run("plan", "-detailed-exitcode", "rotation.yaml")
    assert planned.exit_code == 2, planned.output
    assert 'renamed from "Default stream"' in planned.output
    assert "Plan: 0 to create, 1 to update, 0 to delete." in planned.output
    applied = run("apply", "-auto-approve", "rotation.yaml")
    assert applied.exit_code == 0, applied.output
    assert streams("Certificate rotation") == [(primary_id, "Operations", True)]
    again = run("plan", "-detailed-exitcode", "rotation.yaml")
    assert again.exit_code == 0, again.output
    assert "No changes" in again.output
    # A file that leaves the renamed primary stream out never deletes it.
    path.write_text(ROTATION.format(streams="streams:\n  - name: Checks\n"))
    dropped = run("apply", "-auto-approve", "rotation.yaml")
    assert dropped.exit_code == 0, dropped.output
    assert "primary stream, which Cutover never deletes" in dropped.output
    assert (primary_id, "Operations", True) in streams("Certificate rotation")


def test_a_template_copy_renames_the_templates_primary_stream(run, tmp_path) -> None:
    (tmp_path / "release.yaml").write_text(
        "runbook:\n  name: December release\n  workspace: default\n"
        "  template:\n    name: Standard release\n"
        "streams:\n  - name: Getting ready\n    renamed_from: Preparation\n"
        "tasks:\n  - name: Confirm go/no-go\n    stream: Getting ready\n"
    )
    applied = run("apply", "-auto-approve", "release.yaml")
    assert applied.exit_code == 0, applied.output
    names = {name: primary for _, name, primary in streams("December release")}
    assert names.get("Getting ready") is True and "Preparation" not in names
    again = run("plan", "-detailed-exitcode", "release.yaml")
    assert again.exit_code == 0, again.output
