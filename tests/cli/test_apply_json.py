"""`apply --json`: JSON lines on stdout only, every started change ends, the summary last."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from tests.apply.support import DATA

from runform.core.events import events_schema, parse_event
from runform.providers.cutover.sandbox import FaultConfig

SCHEMA_PATH = Path(__file__).parents[2] / "schemas" / "apply-events.schema.json"
SCHEMA = json.loads(SCHEMA_PATH.read_text())


def _run(folder: Path, server, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CUTOVER_", "CI", "NO_COLOR"))}
    env.update(
        CUTOVER_API_URL=server.base_url,
        CUTOVER_API_TOKEN=server.token,
        XDG_CACHE_HOME=str(folder / "cache"),
        FORCE_COLOR="1",  # colours would be on, were they allowed on stdout
        PYTHONPATH=os.pathsep.join(sys.path),
    )
    return subprocess.run(
        [sys.executable, "-m", "runform", *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "plain.yaml").write_text((DATA / "plain.yaml").read_text())
    return tmp_path


def _events(stdout: str) -> list:
    """Every stdout line is one JSON object valid against the schema, read back as its model."""
    assert "\x1b[" not in stdout
    lines = stdout.splitlines()
    assert lines, "no output"
    for line in lines:
        jsonschema.validate(json.loads(line), SCHEMA)
    return [parse_event(line) for line in lines]


def _check_stream(events: list) -> None:
    """apply_start first, the summary last; every change that starts ends, once, after it."""
    assert events[0].type == "apply_start" and events[-1].type == "summary"
    assert [e.type for e in events].count("summary") == 1
    open_changes: dict[str, int] = {}
    for event in events:
        if event.type == "change_start":
            assert event.address not in open_changes, event
            open_changes[event.address] = 1
        elif event.type == "change_end":
            assert open_changes.pop(event.address, None) == 1, event
    assert open_changes == {}


def test_the_schema_file_is_generated_from_the_event_models() -> None:
    assert events_schema() == SCHEMA, "regenerate schemas/apply-events.schema.json"


def test_a_clean_apply_streams_each_change_and_the_summary_last(sandbox_server, project) -> None:
    done = _run(project, sandbox_server, "apply", "-json", "-auto-approve", "plain.yaml")
    assert done.returncode == 0, done.stderr
    events = _events(done.stdout)
    _check_stream(events)
    start = events[0]
    assert start.target == sandbox_server.base_url
    assert start.planned == {"create": 8, "update": 0, "delete": 0}
    planned = [e.address for e in events if e.type == "planned_change"]
    ends = [e for e in events if e.type == "change_end"]
    assert sorted(e.address for e in ends) == sorted(planned) and len(planned) == 8
    assert {e.outcome for e in ends} == {"done"} and all(e.id for e in ends)
    summary = events[-1]
    assert summary.status == "complete" and summary.target == sandbox_server.base_url
    assert summary.counts == {"created": 8, "updated": 0, "deleted": 0}
    assert isinstance(summary.duration_seconds, float)  # a figure reported, not a speed
    assert summary.requests > 8 and summary.journal
    assert sandbox_server.token not in done.stdout + done.stderr
    again = _run(project, sandbox_server, "apply", "--json", "--auto-approve", "plain.yaml")
    assert again.returncode == 0, again.stderr
    events = _events(again.stdout)
    assert [e.type for e in events] == ["apply_start", "summary"]
    assert events[-1].message == "No changes." and events[-1].status == "complete"


def test_a_failed_apply_ends_every_change_and_reports_retries(sandbox_server, project) -> None:
    # Every write is throttled (reads are not): the plan succeeds, its first create cannot.
    sandbox_server.app.state.faults = FaultConfig(
        throttle_rate=1.0, retry_after=0, writes_only=True
    )
    done = _run(project, sandbox_server, "apply", "-json", "-auto-approve", "plain.yaml")
    assert done.returncode == 1, done.stdout + done.stderr
    events = _events(done.stdout)
    _check_stream(events)
    retries = [e for e in events if e.type == "retry"]
    assert {(e.method, e.path) for e in retries} == {("POST", "/core/runbooks")}
    assert [e.attempt for e in retries] == list(range(2, retries[0].max_attempts + 1))
    assert {e.cause for e in retries} == {"HTTP 429"}
    [end] = [e for e in events if e.type == "change_end"]
    assert end.outcome == "failed" and end.address == 'runbook["Ledger migration"]'
    assert end.message and "429" in end.message
    summary = events[-1]
    assert summary.status == "failed"
    assert [f["address"] for f in summary.failed] == [end.address]
    assert len(summary.not_attempted) == 7
    assert summary.counts == {"created": 0, "updated": 0, "deleted": 0}


def test_json_needs_auto_approve_or_a_saved_plan(sandbox_server, project) -> None:
    refused = _run(project, sandbox_server, "apply", "-json", "plain.yaml")
    assert refused.returncode == 1
    assert refused.stdout == ""
    assert "-auto-approve" in refused.stderr and "saved plan" in refused.stderr
    saved = _run(project, sandbox_server, "plan", "-out", "p.json", "plain.yaml")
    assert saved.returncode == 0, saved.stderr
    applied = _run(project, sandbox_server, "apply", "-json", "p.json")
    assert applied.returncode == 0, applied.stderr
    events = _events(applied.stdout)
    _check_stream(events)
    assert events[-1].status == "complete" and events[-1].counts["created"] == 8


def test_a_plan_that_is_not_the_reviewed_one_ends_with_a_refused_summary(
    sandbox_server, project
) -> None:
    args = ("apply", "-json", "-auto-approve", "-reviewed-digest", "sha256:other", "plain.yaml")
    done = _run(project, sandbox_server, *args)
    assert done.returncode == 1, done.stdout + done.stderr
    events = _events(done.stdout)
    assert [e.type for e in events] == ["summary"]
    assert events[0].status == "refused" and "not the reviewed plan" in events[0].message
    assert "nothing was applied" in done.stderr
