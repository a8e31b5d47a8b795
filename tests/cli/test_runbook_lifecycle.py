"""A runbook's life from the files: archived (`archived: true`, `runform destroy`) and renamed.

Cutover archives a runbook on `DELETE /core/runbooks/{id}` and has no un-archive; an archived
runbook answers 404 and is listed only with `archived=true`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import jsonschema
import pytest
from click.testing import CliRunner

from runform.cli.main import cli
from runform.core.lock import apply_lock

SCHEMA = Path(__file__).parents[2] / "schemas" / "plan.schema.json"

RELEASE = """\
runbook:
  name: {name}
{extra}  workspace: default
streams:
  - name: Checks
tasks:
  - name: Freeze changes
    stream: Checks
    duration: 5m
  - name: Smoke test
    stream: Checks
    duration: 10m
    after: [Freeze changes]
"""


def release(name: str = "Quarterly release", **keys: object) -> str:
    extra = "".join(f"  {key}: {json.dumps(value)}\n" for key, value in keys.items())
    return RELEASE.format(name=name, extra=extra)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("CUTOVER_API_URL", "CUTOVER_API_TOKEN", "CUTOVER_API_TOKEN_FILE", "CI"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def run(project: Path):
    runner = CliRunner()
    return lambda *args: runner.invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def served(sandbox_server, project: Path, monkeypatch: pytest.MonkeyPatch):
    """The CLI against a sandbox served over real HTTP, and a client to read it back."""
    monkeypatch.setenv("CUTOVER_API_URL", sandbox_server.base_url)
    monkeypatch.setenv("CUTOVER_API_TOKEN", sandbox_server.token)
    headers = {"Authorization": f"Bearer {sandbox_server.token}", "Api-Version": "2022-02-22"}
    with httpx.Client(base_url=sandbox_server.base_url, headers=headers) as http:
        yield http


def listed(http: httpx.Client, name: str, *, archived: bool) -> list[str]:
    """Ids of the runbooks of that name, archived or not."""
    params = {"archived": "true" if archived else "false", "page[size]": "100"}
    rows = http.get("/core/runbooks", params=params).json()["data"]
    return [r["id"] for r in rows if r["attributes"]["name"] == name]


def journal_lines(project: Path) -> list[dict[str, object]]:
    lines = []
    for path in sorted((project / ".runform" / "journal").glob("*.jsonl")):
        lines += [json.loads(line) for line in path.read_text().splitlines() if line]
    return lines


def test_archived_true_archives_the_runbook_then_plans_no_changes(served, run, project) -> None:
    path = project / "release.yaml"
    path.write_text(release())
    assert run("apply", "-auto-approve", "release.yaml").exit_code == 0
    [runbook_id] = listed(served, "Quarterly release", archived=False)

    path.write_text(release(archived=True))
    planned = run("plan", "-detailed-exitcode", "release.yaml")
    assert planned.exit_code == 2, planned.output
    assert '- runbook "Quarterly release"' in planned.output
    assert "ARCHIVE: Cutover archives the runbook with its 2 streams and 2 tasks" in planned.output
    assert "Warning: this plan deletes 1 object, archiving 1 runbook." in planned.output
    assert "Plan: 0 to create, 0 to update, 1 to delete (1 runbook archived)." in planned.output
    assert 'task "Smoke test"' not in planned.output  # archiving takes them: not planned

    markdown = run("plan", "-format", "markdown", "release.yaml").output
    deletions = markdown[markdown.index("### Deletions") :]
    assert '- runbook "Quarterly release" — ARCHIVE: Cutover archives' in deletions
    assert "archiving 1 runbook" in markdown

    document = json.loads(run("plan", "-format", "json", "release.yaml").stdout)
    jsonschema.validate(document, json.loads(SCHEMA.read_text()))
    [root] = document["roots"]
    assert root["archive"] == {"streams": 2, "tasks": 2}
    assert [(c["kind"], c["action"], c["id"]) for c in root["changes"]] == [
        ("runbook", "delete", runbook_id)
    ]

    applied = run("apply", "-auto-approve", "release.yaml")
    assert applied.exit_code == 0, applied.output
    assert "1 deleted" in applied.output
    assert served.get(f"/core/runbooks/{runbook_id}").status_code == 404
    assert listed(served, "Quarterly release", archived=True) == [runbook_id]
    # One call: the runbook's DELETE; no stream or task was deleted one by one.
    deletes = [(j["method"], j["path"]) for j in journal_lines(project) if j["method"] == "DELETE"]
    assert deletes == [("DELETE", f"/core/runbooks/{runbook_id}")]

    again = run("plan", "-detailed-exitcode", "release.yaml")
    assert again.exit_code == 0, again.output
    assert "No changes. Cutover matches the files." in again.output
    assert f"archived in Cutover (id {runbook_id}), as the files ask" in again.output


def test_archived_true_for_a_runbook_cutover_never_had_plans_nothing(run, project) -> None:
    (project / "release.yaml").write_text(release("Never made", archived=True))
    planned = run("plan", "-detailed-exitcode", "release.yaml")
    assert planned.exit_code == 0, planned.output
    assert 'runbook "Never made" (not in Cutover)' in planned.output
    assert "not in Cutover, live or archived: nothing to archive" in planned.output
    assert "Error" not in planned.output
    assert "No changes" in planned.output


def test_an_archive_counts_toward_the_delete_limit(run, project) -> None:
    (project / "release.yaml").write_text(release())
    assert run("apply", "-auto-approve", "release.yaml").exit_code == 0
    (project / "runform.yaml").write_text("delete_limit_count: 0\n")
    (project / "release.yaml").write_text(release(archived=True))
    planned = run("plan", "release.yaml")
    assert planned.exit_code == 3, planned.output
    assert "Blocked: needs `--allow-deletes`: the plan would delete 1 objects (limit 0)" in (
        planned.output
    )
    refused = run("apply", "-auto-approve", "release.yaml")
    assert refused.exit_code == 3, refused.output
    assert "nothing was applied" in refused.output
    destroyed = run("destroy", "-auto-approve", "release.yaml")
    assert destroyed.exit_code == 3, destroyed.output
    still = run("plan", "-allow-deletes", "release.yaml")
    assert "1 to delete (1 runbook archived)" in still.output  # not archived yet
    allowed = run("apply", "-auto-approve", "-allow-deletes", "release.yaml")
    assert allowed.exit_code == 0, allowed.output
    assert "No changes" in run("plan", "release.yaml").output


def test_destroy_archives_what_the_files_name_then_plan_creates_them_again(
    served, run, project
) -> None:
    (project / "a.yaml").write_text(release("Release A"))
    (project / "b.yaml").write_text(release("Release B"))
    (project / "c.yaml").write_text(release("Release C"))
    assert run("apply", "-auto-approve", "a.yaml", "b.yaml", "c.yaml").exit_code == 0
    [a_id] = listed(served, "Release A", archived=False)

    asked = run("destroy", "a.yaml", "b.yaml")
    assert asked.exit_code == 1  # no terminal to answer `yes`
    assert "destroy asks for `yes` on a terminal" in asked.output
    assert listed(served, "Release A", archived=False) == [a_id]

    only_a = ("-target", 'runbook["Release A"]')
    targeted = run("destroy", "-auto-approve", *only_a, "a.yaml", "b.yaml")
    assert targeted.exit_code == 0, targeted.output
    assert "Plan: 0 to create, 0 to update, 1 to delete (1 runbook archived)." in targeted.output
    assert listed(served, "Release A", archived=True) == [a_id]
    assert len(listed(served, "Release B", archived=False)) == 1

    destroyed = run("destroy", "-auto-approve", "-no-color", "a.yaml", "b.yaml")
    assert destroyed.exit_code == 0, destroyed.output
    assert f'runbook "Release A" id {a_id}' in destroyed.output
    assert "archived in Cutover" in destroyed.output  # A: already archived, nothing to do
    assert "1 to delete (1 runbook archived)" in destroyed.output  # B
    assert listed(served, "Release B", archived=False) == []
    assert len(listed(served, "Release C", archived=False)) == 1  # not named: untouched
    deletes = [j["path"] for j in journal_lines(project) if j["method"] == "DELETE"]
    assert len(deletes) == 2 and deletes[0] == f"/core/runbooks/{a_id}"

    replanned = run("plan", "-detailed-exitcode", "a.yaml", "b.yaml")
    assert replanned.exit_code == 2, replanned.output
    assert "Plan: 8 to create, 0 to update, 0 to delete." in replanned.output
    assert f'runbook "Release A" is archived in Cutover (id {a_id})' in replanned.output
    assert "Cutover offers no un-archive" in replanned.output
    assert run("apply", "-auto-approve", "a.yaml", "b.yaml").exit_code == 0
    [new_a] = listed(served, "Release A", archived=False)
    assert new_a != a_id
    assert "No changes" in run("plan", "a.yaml", "b.yaml", "c.yaml").output


def test_archived_false_cannot_restore_an_archived_runbook(run, project) -> None:
    path = project / "release.yaml"
    path.write_text(release())
    assert run("apply", "-auto-approve", "release.yaml").exit_code == 0
    assert run("destroy", "-auto-approve", "release.yaml").exit_code == 0
    path.write_text(release(archived=False))
    planned = run("plan", "release.yaml")
    assert planned.exit_code == 0, planned.output
    assert "not appliable" in planned.output
    assert "Cutover offers no un-archive, so runform cannot restore it" in planned.output
    refused = run("apply", "-auto-approve", "release.yaml")
    assert refused.exit_code == 1, refused.output
    assert "remove `archived: false` to create a new runbook of this name" in refused.output
    assert "Apply complete" not in refused.output


def test_destroy_holds_the_apply_lock(project: Path) -> None:
    (project / "release.yaml").write_text(release())
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CUTOVER_", "CI"))}

    def destroy() -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "runform", "destroy", "-auto-approve", "release.yaml"]
        return subprocess.run(
            command, cwd=project, env=env, capture_output=True, text=True, timeout=120
        )

    with apply_lock(project / ".runform"):
        held = destroy()
    assert held.returncode == 1, held.stdout + held.stderr
    assert "another apply holds the lock" in held.stdout + held.stderr
    free = destroy()
    assert free.returncode == 0, free.stdout + free.stderr
    assert "nothing to archive" in free.stdout


def test_renaming_a_runbook_updates_it_in_place_then_plans_no_changes(served, run, project) -> None:
    path = project / "release.yaml"
    path.write_text(release("Old release"))
    assert run("apply", "-auto-approve", "release.yaml").exit_code == 0
    [runbook_id] = listed(served, "Old release", archived=False)

    path.write_text(release("New release", renamed_from="Old release"))
    planned = run("plan", "-detailed-exitcode", "release.yaml")
    assert planned.exit_code == 2, planned.output
    assert f'runbook "New release" id {runbook_id}' in planned.output
    assert '~ runbook "New release" (renamed from "Old release")' in planned.output
    assert "name: Old release → New release" in planned.output
    assert "Plan: 0 to create, 1 to update, 0 to delete." in planned.output
    applied = run("apply", "-auto-approve", "release.yaml")
    assert applied.exit_code == 0, applied.output
    assert listed(served, "New release", archived=False) == [runbook_id]
    assert listed(served, "Old release", archived=False) == []
    again = run("plan", "-detailed-exitcode", "release.yaml")
    assert again.exit_code == 0, again.output
    assert "No changes" in again.output


def test_a_rename_with_both_names_live_is_refused_naming_both(run, project) -> None:
    (project / "old.yaml").write_text(release("Old release"))
    (project / "new.yaml").write_text(release("New release"))
    assert run("apply", "-auto-approve", "old.yaml", "new.yaml").exit_code == 0
    plan = json.loads(run("plan", "-format", "json", "old.yaml", "new.yaml").stdout)
    ids = {root["name"]: root["live_id"] for root in plan["roots"]}
    (project / "new.yaml").write_text(release("New release", renamed_from="Old release"))
    refused = run("plan", "new.yaml")
    assert refused.exit_code == 1
    assert (
        f'"New release" (id {ids["New release"]}) and "Old release" (id {ids["Old release"]})'
        in refused.output
    )
    assert "Traceback" not in refused.output


def test_renaming_a_stream_that_is_not_the_primary_one_converges(run, project) -> None:
    path = project / "release.yaml"
    path.write_text(release())
    assert run("apply", "-auto-approve", "release.yaml").exit_code == 0
    renamed = release().replace(
        "  - name: Checks\n", "  - name: Verification\n    renamed_from: Checks\n"
    )
    path.write_text(renamed.replace("stream: Checks", "stream: Verification"))
    planned = run("plan", "-detailed-exitcode", "release.yaml")
    assert planned.exit_code == 2, planned.output
    assert '~ stream "Verification" (renamed from "Checks")' in planned.output
    assert "Plan: 0 to create, 1 to update, 0 to delete." in planned.output
    assert run("apply", "-auto-approve", "release.yaml").exit_code == 0
    again = run("plan", "-detailed-exitcode", "release.yaml")
    assert again.exit_code == 0, again.output
    assert "No changes" in again.output


def test_a_saved_archive_plan_is_applied_as_planned(run, project) -> None:
    path = project / "release.yaml"
    path.write_text(release())
    assert run("apply", "-auto-approve", "release.yaml").exit_code == 0
    path.write_text(release(archived=True))
    saved = run("plan", "-out", "archive.plan", "release.yaml")
    assert saved.exit_code == 0, saved.output
    shown = run("show", "archive.plan")
    assert "ARCHIVE: Cutover archives the runbook with its 2 streams and 2 tasks" in shown.output
    applied = run("apply", "archive.plan")
    assert applied.exit_code == 0, applied.output
    assert "1 deleted" in applied.output
    assert "No changes" in run("plan", "release.yaml").output
