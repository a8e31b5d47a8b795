"""Export against the sandbox: round trips (plan shows no changes), stable bytes, odd cases."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from tests.export.support import client_for, export_to, make_runbook, plan_dir, snapshot

from runform.errors import DefinitionError, RunformError
from runform.providers.cutover.definitions import load_definitions

pytestmark = pytest.mark.anyio


async def test_seeded_template_round_trips_in_process(sandbox, tmp_path: Path) -> None:
    async with client_for(sandbox) as client:
        report = await export_to(client, tmp_path / "a", runbooks=["Standard release"])
        assert [f.path.name for f in report.files] == ["standard-release.yaml"]
        data = yaml.safe_load(report.files[0].path.read_text())
        assert data["runbook"]["is_template"] is True
        assert len(data["tasks"]) == 12
        deploy = next(t for t in data["tasks"] if t["name"] == "Deploy application")
        assert deploy["after"] == ["run-schema-migrations", "stop-application-services"]
        assert deploy["assignees"] == [{"team": "Release managers"}]
        assert "type" not in deploy  # the default task type is left out
        plan = await plan_dir(client, tmp_path / "a")
        assert not plan.has_changes
        assert plan.roots[0].unchanged == {"runbook": 1, "stream": 4, "task": 12}
        await export_to(client, tmp_path / "b", runbooks=["Standard release"])
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")


async def test_seeded_template_round_trips_over_http(sandbox_server, tmp_path: Path) -> None:
    async with client_for(sandbox_server) as client:
        await export_to(client, tmp_path / "a", templates=True)
        plan = await plan_dir(client, tmp_path / "a")
        assert not plan.has_changes
        await export_to(client, tmp_path / "b", templates=True)
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")


ODD = ['Say "hi"', "it's: #1", "  padded  ", "Überprüfung 日本", "yes", "a # b", "- dash"]


async def test_odd_characters_in_names_round_trip(sandbox, tmp_path: Path) -> None:
    async with client_for(sandbox) as client:
        await make_runbook(
            client,
            "Release: 'Q4' #2 ",
            streams=[(ODD[0], None), (ODD[1], ODD[0])],
            tasks=[(name, ODD[i % 2], [i - 1] if i else []) for i, name in enumerate(ODD)],
        )
        report = await export_to(client, tmp_path, runbooks=["Release: 'Q4' #2 "])
        data = yaml.safe_load(report.files[0].path.read_text())
        assert data["runbook"]["name"] == "Release: 'Q4' #2 "
        assert [t["name"] for t in data["tasks"]] == ODD
        assert report.files[0].path.name == "release-q4-2.yaml"
        assert not (await plan_dir(client, tmp_path)).has_changes


async def test_repeated_task_names_export_with_a_note_that_validate_refuses(
    sandbox, tmp_path: Path
) -> None:
    async with client_for(sandbox) as client:
        await make_runbook(
            client,
            "Twice",
            streams=[("Main", None)],
            tasks=[("Check", "Main", []), ("Check", "Main", [0]), ("Done", "Main", [1])],
        )
        report = await export_to(client, tmp_path, runbooks=["Twice"])
    [exported] = report.files
    assert "several tasks share a name ('Check')" in exported.warnings[0]
    text = exported.path.read_text()
    assert "# NOTE: several tasks share a name in Cutover: 'Check'." in text
    data = yaml.safe_load(text)
    assert [t["key"] for t in data["tasks"]] == ["check", "check-2", "done"]
    with pytest.raises(DefinitionError, match="Check"):
        load_definitions([str(tmp_path)])


async def test_empty_runbook_round_trips(sandbox, tmp_path: Path) -> None:
    async with client_for(sandbox) as client:
        await make_runbook(client, "Nothing yet")
        report = await export_to(client, tmp_path, runbooks=["Nothing yet"])
        assert yaml.safe_load(report.files[0].path.read_text()) == {
            # A runbook made without a folder is in its workspace's Default folder.
            "runbook": {
                "name": "Nothing yet",
                "workspace": "Default",
                "folder": "Default",
                "timezone": "UTC",
            },
            # The primary stream every runbook has (named by the sandbox, read, not assumed).
            "streams": [{"name": "Default stream", "color": "#3b82f6"}],
        }
        assert report.files[0].task_count == 0
        assert not (await plan_dir(client, tmp_path)).has_changes


async def test_archived_runbooks_are_skipped_unless_asked_for(sandbox, tmp_path: Path) -> None:
    async with client_for(sandbox) as client:
        kept = await make_runbook(client, "Current")
        gone = await make_runbook(client, "Old")
        await client.delete(f"/core/runbooks/{gone}")
        report = await export_to(client, tmp_path / "a", everything=True)
        assert sorted(f.runbook for f in report.files) == ["Current", "Standard release"]
        assert report.skipped == []  # archived runbooks are not even listed without the flag
        named = await export_to(client, tmp_path / "n", runbooks=[gone])
        assert named.files == [] and named.skipped == [f"Old (id {gone}): archived"]
        report = await export_to(client, tmp_path / "b", everything=True, include_archived=True)
        assert sorted(f.runbook for f in report.files) == ["Current", "Old", "Standard release"]
        old = next(f for f in report.files if f.runbook == "Old")
        assert "archived in Cutover" in old.warnings[0]
        assert "# NOTE: this runbook is archived in Cutover, and `archived: true`" in (
            old.path.read_text()
        )
        # The file says the runbook is archived: planning it changes nothing.
        assert not (await plan_dir(client, tmp_path / "b")).has_changes
        assert kept != gone


async def test_runbooks_sharing_a_name_are_pinned_by_id(sandbox, tmp_path: Path) -> None:
    async with client_for(sandbox) as client:
        first = await make_runbook(client, "Same")
        second = await make_runbook(client, "Same")
        with pytest.raises(RunformError, match="give the id instead"):
            await export_to(client, tmp_path, runbooks=["Same"])
        report = await export_to(client, tmp_path, runbooks=[first, second])
        ids = [yaml.safe_load(f.path.read_text())["runbook"]["id"] for f in report.files]
        assert ids == [first, second]
        assert [f.path.name for f in report.files] == ["same.yaml", "same-2.yaml"]
        for exported in report.files:  # one project refuses two runbooks of one name
            assert not (await plan_dir(client, exported.path)).has_changes


async def test_folder_and_workspace_narrow_the_export(sandbox, tmp_path: Path) -> None:
    async with client_for(sandbox) as client:
        await make_runbook(client, "In payments", workspace="2")
        report = await export_to(client, tmp_path / "p", workspace="payments", everything=True)
        assert [f.runbook for f in report.files] == ["In payments"]
        report = await export_to(
            client, tmp_path / "t", workspace="default", folder="Templates", everything=True
        )
        assert [f.runbook for f in report.files] == ["Standard release"]
        report = await export_to(client, tmp_path / "all", everything=True)
        assert sorted(str(f.path.relative_to(tmp_path / "all")) for f in report.files) == [
            "default/standard-release.yaml",
            "payments/in-payments.yaml",
        ]


async def test_nothing_selected_is_a_clear_error(sandbox, tmp_path: Path) -> None:
    async with client_for(sandbox) as client:
        with pytest.raises(RunformError, match=re.escape("--runbook NAME|ID, --templates")):
            await export_to(client, tmp_path)
        with pytest.raises(RunformError, match="no runbook named or numbered 'Nope'"):
            await export_to(client, tmp_path, runbooks=["Nope"])
