"""`runform plan`: sandbox notice, formats, saved plans, exit codes, targets, real HTTP."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from runform.cli.main import cli
from runform.providers.cutover.api import CutoverClient

ROOT = Path(__file__).parents[2]
EXAMPLES = ROOT / "examples"
SCHEMA = json.loads((ROOT / "schemas" / "plan.schema.json").read_text())

RUNBOOK_FILE = """\
runbook:
  name: Weekly patching
  workspace: default
streams:
  - name: Main
tasks:
  - name: Patch hosts
    stream: Main
    duration: 30m
  - name: Reboot
    stream: Main
    duration: 10m
    after: [Patch hosts]
"""


@pytest.fixture
def run(tmp_path, monkeypatch):
    """Invoke runform in an empty project directory against the local sandbox."""
    monkeypatch.chdir(tmp_path)
    for name in ("CUTOVER_API_URL", "CUTOVER_API_TOKEN", "CUTOVER_API_TOKEN_FILE", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)

    def invoke(*args: str, env: dict[str, str] | None = None):
        return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)

    return invoke


def test_plan_on_the_sandbox_says_so_and_exits_2_with_changes(run):
    result = run("plan", "--detailed-exitcode", str(EXAMPLES / "monthly-release.yaml"))
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Using the local sandbox in .runform/sandbox.db")
    assert result.stdout.rstrip().splitlines()[-1].startswith("Plan: ")
    assert '» task "Announce change freeze" (from template)' in result.stdout
    assert Path(".runform/sandbox.db").exists()
    assert run("plan", str(EXAMPLES / "monthly-release.yaml")).exit_code == 0


def test_saved_plan_shows_the_same_and_holds_no_token(run, tmp_path):
    planned = run("plan", "-out", "out/plan.json", str(EXAMPLES))
    assert planned.exit_code == 0, planned.output
    saved = (tmp_path / "out" / "plan.json").read_text()
    from runform.providers.cutover.sandbox import SANDBOX_TOKEN

    assert SANDBOX_TOKEN not in saved and SANDBOX_TOKEN not in planned.output
    shown = run("show", "out/plan.json")
    assert shown.exit_code == 0 and shown.stdout == planned.stdout
    as_json = json.loads(run("show", "--format", "json", "out/plan.json").stdout)
    jsonschema.validate(as_json, SCHEMA)
    assert as_json["fingerprint"]
    markdown = run("show", "--format", "markdown", "out/plan.json").stdout
    assert markdown.startswith("## runform plan") and "| Runbook |" in markdown
    assert run("plan", "--out", "p2.json", str(EXAMPLES)).exit_code == 0
    assert run("plan", "-o", "p3.json", str(EXAMPLES)).exit_code == 0
    assert json.loads(Path("p3.json").read_text())["format_version"] == 2


def test_json_format_validates(run):
    result = run("plan", "--format", "json", str(EXAMPLES / "dr-failover-template.yaml"))
    document = json.loads(result.stdout)
    jsonschema.validate(document, SCHEMA)
    assert [r["name"] for r in document["roots"]] == ["DR failover to secondary site"]


def test_target_and_exclude(run):
    targeted = run("plan", "--target", 'runbook["DR*"]', str(EXAMPLES))
    assert 'runbook "DR failover to secondary site"' in targeted.stdout
    assert "Payments release" not in targeted.stdout
    excluded = run("plan", "--exclude", 'runbook["DR*"]', "--exclude", "*migration*", str(EXAMPLES))
    assert "DR failover" not in excluded.stdout and "data-centre" not in excluded.stdout
    assert 'runbook "Payments release 2026.12"' in excluded.stdout


def test_errors_are_one_message_and_exit_1(run, tmp_path):
    (tmp_path / "bad.yaml").write_text("runbook:\n  name: X\n  workspace: nowhere\n")
    result = run("plan", "--detailed-exitcode", "bad.yaml")
    assert result.exit_code == 1
    assert 'unknown workspace "nowhere"' in result.stderr and "Traceback" not in result.output
    (tmp_path / "broken.yaml").write_text("runbook: [\n")
    broken = run("plan", "broken.yaml")
    assert broken.exit_code == 1 and "broken.yaml:" in broken.stderr


def test_stats_and_real_http(run, tmp_path, sandbox_server):
    from live.seeding import make_runbook

    async def seed() -> None:
        async with CutoverClient(sandbox_server.base_url, sandbox_server.token) as client:
            await make_runbook(
                client,
                "Weekly patching",
                [("Patch hosts", 1800, []), ("Reboot", 600, ["Patch hosts"])],
            )

    asyncio.run(seed())
    (tmp_path / "patching.yaml").write_text(RUNBOOK_FILE)
    env = {"CUTOVER_API_URL": sandbox_server.base_url, "CUTOVER_API_TOKEN": sandbox_server.token}
    result = run("plan", "--detailed-exitcode", "--stats", "patching.yaml", env=env)
    assert result.exit_code == 0, result.output
    assert "No changes. Cutover matches the files." in result.stdout
    assert "Using the local sandbox" not in result.stderr
    assert "GET    /core/runbooks/{id}/tasks" in result.stderr
    assert sandbox_server.token not in result.output
    (tmp_path / "patching.yaml").write_text(RUNBOOK_FILE.replace("duration: 10m", "duration: 15m"))
    changed = run("plan", "--detailed-exitcode", "patching.yaml", env=env)
    assert changed.exit_code == 2
    assert "duration: 10m → 15m" in changed.stdout
    assert changed.stdout.rstrip().endswith("Plan: 0 to create, 1 to update, 0 to delete.")


def test_a_zero_duration_the_sandbox_refuses_is_an_error_at_plan_time(run, tmp_path):
    (tmp_path / "zero.yaml").write_text(
        RUNBOOK_FILE.replace("duration: 30m", "duration: 0")
        + "  - name: Done\n    stream: Main\n    type: milestone\n    duration: 0\n"
    )
    result = run("plan", "zero.yaml")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert 'zero.yaml:7:5: task "Patch hosts": duration 0 is refused for task type' in result.stderr
    assert '"Done"' not in result.stderr


def test_plan_keeps_the_files_parses_and_plans_the_same_from_them(run):
    Path("runform.yaml").write_text("workspace: default\n")
    Path("runbooks").mkdir()
    Path("runbooks/patching.yaml").write_text(RUNBOOK_FILE)
    first = run("plan", "-sandbox", "--no-color")
    kept = list(Path(".runform/cache/sources").glob("*.json"))
    assert len(kept) == 2  # runform.yaml's parse and the runbook file's
    second = run("plan", "-sandbox", "--no-color")
    assert second.stdout == first.stdout and "Patch hosts" in second.stdout
    Path("runbooks/patching.yaml").write_text(RUNBOOK_FILE.replace("10m", "12m"))
    third = run("plan", "-sandbox", "--no-color")
    assert "12m" in third.stdout and "10m" not in third.stdout
    assert len(list(Path(".runform/cache/sources").glob("*.json"))) == 3


# Kept plans (.runform/cache/plans/): the second plan takes them, a change is seen.


def kept_line(stderr: str) -> str:
    return next(line for line in stderr.splitlines() if "runbook plans kept" in line)


def test_second_plan_takes_the_kept_plan_and_a_change_is_seen(run, tmp_path):
    Path("weekly.yaml").write_text(RUNBOOK_FILE)
    assert run("apply", "--auto-approve", "weekly.yaml").exit_code == 0
    first = run("plan", "--detailed-exitcode", "--stats", "weekly.yaml")
    assert first.exit_code == 0, first.output
    assert kept_line(first.stderr).startswith("0 of 1 ")
    second = run("plan", "--detailed-exitcode", "--stats", "weekly.yaml")
    assert second.exit_code == 0
    assert kept_line(second.stderr).startswith("1 of 1 ")
    assert "1 of 1 runbook files' trees kept" in second.stderr
    assert second.stdout == first.stdout
    entries = list((tmp_path / ".runform" / "cache" / "plans").glob("*.json"))
    assert len(entries) == 1
    assert "Bearer" not in entries[0].read_text()

    Path("weekly.yaml").write_text(RUNBOOK_FILE.replace("duration: 10m", "duration: 15m"))
    changed = run("plan", "--detailed-exitcode", "--stats", "weekly.yaml")
    assert changed.exit_code == 2
    assert kept_line(changed.stderr).startswith("0 of 1 ")
    assert "duration" in changed.stdout and "10m" in changed.stdout


def test_a_file_with_variables_leaves_no_plan_on_disk(run, tmp_path):
    Path("weekly.yaml").write_text(
        RUNBOOK_FILE.replace("workspace: default", "workspace: default\n  description: ${var.n}")
    )
    for _ in range(2):
        result = run("plan", "--var", "n=kept-nowhere-7731", "weekly.yaml")
        assert result.exit_code == 0, result.output
    cache = tmp_path / ".runform" / "cache"
    assert not (cache / "plans").exists()
    for path in cache.rglob("*"):
        if path.is_file():
            assert "kept-nowhere-7731" not in path.read_text(errors="replace")
