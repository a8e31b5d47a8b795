"""`runform plan` reads ahead what the last plan of the same files read from the same target:
the same plan, the same requests, never another target's record, no secret in the record."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from runform.cli.main import cli

READS = Path(".runform") / "cache" / "reads"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _write(root: Path, count: int = 4) -> None:
    for index in range(count):
        steps = [
            f"  - {{name: Step {t}, stream: Work, after: [Step {t - 1}]}}\n" for t in range(1, 3)
        ]
        tasks = "  - {name: Step 0, stream: Work}\n" + "".join(steps)
        (root / f"rb{index}.yaml").write_text(
            f"runbook:\n  name: Ahead {index}\n  workspace: default\n"
            f"streams:\n  - name: Work\ntasks:\n{tasks}"
        )


def _read_ahead(output: str) -> tuple[int, int]:
    """`--stats`' reads made ahead: (used, started)."""
    line = next(line for line in output.splitlines() if "reads made ahead" in line)
    used, rest = line.split(" of ", 1)
    return int(used), int(rest.split(" ", 1)[0])


def _requests(output: str) -> int:
    line = next(line for line in output.splitlines() if " requests, " in line)
    return int(line.split(" requests, ")[0])


@pytest.fixture
def project(sandbox_server, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CUTOVER_API_URL", sandbox_server.base_url)
    monkeypatch.setenv("CUTOVER_API_TOKEN", sandbox_server.token)
    _write(tmp_path)
    applied = run("apply", "--auto-approve")
    assert applied.exit_code == 0, applied.output
    return tmp_path


def test_a_second_plan_reads_ahead_and_makes_the_same_plan_with_the_same_requests(project):
    first = run("plan", "--stats", "--detailed-exitcode")
    assert first.exit_code == 0, first.output
    records = list((project / READS).glob("*.json"))
    assert len(records) == 1
    second = run("plan", "--stats", "--detailed-exitcode")
    assert second.exit_code == 0, second.output
    reads = len(json.loads(records[0].read_text())["reads"])
    assert f"{reads} of {reads} reads made ahead from the last plan were used" in second.output
    assert "No changes" in second.output
    shutil.rmtree(project / READS)
    fresh = run("plan", "--stats", "--detailed-exitcode")
    assert "reads made ahead" not in fresh.output
    assert _requests(second.output) == _requests(fresh.output) == reads  # nothing read twice


def test_apply_records_its_plans_reads_for_the_next_plan(sandbox_server, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CUTOVER_API_URL", sandbox_server.base_url)
    monkeypatch.setenv("CUTOVER_API_TOKEN", sandbox_server.token)
    _write(tmp_path, 2)
    assert run("apply", "--auto-approve").exit_code == 0
    (record,) = (tmp_path / READS).glob("*.json")
    made = json.loads(record.read_text())["reads"]
    assert made and all(read.startswith("/core/") for read in made)
    assert not any("/tasks" in read for read in made)  # the runbooks were new: none was read
    after = run("plan", "--stats", "--detailed-exitcode")
    assert after.exit_code == 0, after.output
    used, started = _read_ahead(after.output)
    assert started == len(made)
    assert 7 <= used <= started  # the directory's seven lists at least: every plan reads them
    again = run("apply", "--auto-approve")  # nothing to change: its plan reads every list
    assert again.exit_code == 0 and "No changes" in again.output
    assert any("/tasks" in read for read in json.loads(record.read_text())["reads"])


def test_a_plan_of_changed_files_is_the_plan_made_without_a_record(project):
    assert run("plan").exit_code == 0  # the record of the unchanged files
    (project / "rb1.yaml").unlink()
    text = (project / "rb0.yaml").read_text()
    (project / "rb0.yaml").write_text(text.replace("Ahead 0", "Ahead zero"))
    (project / "rb2.yaml").write_text((project / "rb2.yaml").read_text() + "  - {name: New}\n")
    ahead = run("plan", "--stats", "--detailed-exitcode", "--allow-deletes")
    shutil.rmtree(project / ".runform" / "cache")
    fresh = run("plan", "--stats", "--detailed-exitcode", "--allow-deletes")
    assert ahead.exit_code == fresh.exit_code == 2, ahead.output + fresh.output
    assert "reads made ahead" in ahead.output and "reads made ahead" not in fresh.output
    assert ahead.stdout == fresh.stdout  # the plan; --stats and notices are on stderr
    assert "Plan: " in ahead.stdout
    assert 'runbook "Ahead zero"' in ahead.output


def test_reads_ahead_that_fail_and_are_not_asked_for_leave_the_plan_alone(project):
    assert run("plan").exit_code == 0
    (record,) = (project / READS).glob("*.json")
    reads = json.loads(record.read_text())["reads"]
    record.write_text(json.dumps({"reads": [*reads, "/core/runbooks/987654/streams"]}))
    result = run("plan", "--stats", "--detailed-exitcode")
    assert result.exit_code == 0, result.output
    assert f"{len(reads)} of {len(reads) + 1} reads made ahead" in result.output
    assert "No changes" in result.output and "Traceback" not in result.output


def test_a_record_is_never_replayed_against_another_target(project, serve_sandbox, monkeypatch):
    assert run("plan").exit_code == 0
    other = serve_sandbox()
    monkeypatch.setenv("CUTOVER_API_URL", other.base_url)
    result = run("plan", "--stats")
    assert result.exit_code == 0, result.output
    assert "reads made ahead" not in result.output
    assert len(list((project / READS).glob("*.json"))) == 2  # one record per target


def test_the_record_holds_paths_only_and_no_secret(project, sandbox_server):
    assert run("plan").exit_code == 0
    (record,) = (project / READS).glob("*.json")
    text = record.read_text()
    assert sandbox_server.token not in text
    assert "127.0.0.1" not in text and "http" not in text
    assert all(read.startswith("/core/") for read in json.loads(text)["reads"])


def test_two_plans_at_once_both_plan_and_leave_a_whole_record(project, sandbox_server):
    assert run("plan").exit_code == 0
    env = {**os.environ, "CUTOVER_API_URL": sandbox_server.base_url}
    command = [sys.executable, "-m", "runform", "plan", "--detailed-exitcode"]
    plans = [
        subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [plan.communicate(timeout=120)[0] for plan in plans]
    assert [plan.returncode for plan in plans] == [0, 0], outputs
    assert all("No changes" in output for output in outputs)
    (record,) = (project / READS).glob("*.json")
    assert json.loads(record.read_text())["reads"]
    assert [p.suffix for p in (project / READS).iterdir()] == [".json"]  # no scratch left


def test_with_a_record_a_broken_file_is_reported_as_without_one(project):
    assert run("plan").exit_code == 0
    (project / "rb2.yaml").write_text("runbook:\n  name: Ahead 2\n  bogus: [\n")
    ahead = run("plan")
    shutil.rmtree(project / ".runform" / "cache")
    fresh = run("plan")
    assert ahead.exit_code == fresh.exit_code == 1
    assert "rb2.yaml:" in ahead.output and "Traceback" not in ahead.output
    assert ahead.output == fresh.output


def test_with_a_record_and_no_server_a_broken_file_is_still_the_error(project, monkeypatch):
    from runform.cli import common
    from runform.cli.reading_ahead import record_for
    from runform.providers.cutover.definitions import load_project

    assert run("plan").exit_code == 0
    (recorded,) = (project / READS).glob("*.json")
    monkeypatch.setenv("CUTOVER_API_URL", "http://127.0.0.1:9")  # discard: nothing listens
    settings = common.in_flight(common.api_settings(), load_project(), None)
    record = record_for(settings, ())
    record.save(json.loads(recorded.read_text())["reads"])  # as if planned there before
    (project / "rb2.yaml").write_text("runbook:\n  name: Ahead 2\n  bogus: [\n")
    result = run("plan")
    assert result.exit_code == 1
    assert "rb2.yaml:" in result.output and "could not connect" not in result.output
    (project / "rb2.yaml").write_text("runbook: {name: Ahead 2}\n")
    unreachable = run("plan")
    assert unreachable.exit_code == 1 and "could not connect to 127.0.0.1:9" in unreachable.output
    assert "Traceback" not in unreachable.output


def test_reads_made_ahead_under_a_rate_ceiling_are_retried_like_any_other(project, sandbox_server):
    assert run("plan").exit_code == 0  # the record, read with no ceiling
    sandbox_server.faults.rate_limit = 8  # requests a second; 429 with no Retry-After past it
    try:
        result = run("plan", "--stats", "--detailed-exitcode")
    finally:
        sandbox_server.faults.rate_limit = 0
    assert result.exit_code == 0, result.output
    assert "No changes" in result.output
    (record,) = (project / READS).glob("*.json")
    reads = len(json.loads(record.read_text())["reads"])
    assert f"{reads} of {reads} reads made ahead from the last plan were used" in result.output
    totals = next(line for line in result.output.splitlines() if " requests, " in line)
    throttled = int(totals.split(" requests, ")[1].split(" throttled")[0])
    assert throttled > 0  # the ceiling was met: more reads ahead than a second's worth
