"""The audit trail end to end: apply from a real git repository, then `runform log`, and the
comment each apply leaves on the runbooks it changed (read back through the API)."""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.apply.support import read_runbook

from runform.cli.main import cli
from runform.providers.cutover.api import ApiSettings, open_client
from runform.providers.cutover.sandbox import SANDBOX_TOKEN

LEDGER = """\
runbook:
  name: Ledger migration
  workspace: payments
streams:
  - name: Main
tasks:
  - name: Freeze
    stream: Main
    duration: 10m
  - name: Migrate ledger
    stream: Main
    duration: 10m
  - name: Verify balances
    stream: Main
    duration: 10m
  - name: Sign off
    stream: Main
    duration: 5m
"""
PAYROLL = LEDGER.replace("Ledger migration", "Payroll switch")
ARCHIVE = LEDGER.replace("Ledger migration", "Archive move")
VERIFY = "  - name: Verify balances\n    stream: Main\n    duration: 10m\n"
SIGN_OFF = "  - name: Sign off\n"  # the last task: the file ends with it
SANDBOX = "the local sandbox at .runform/sandbox.db"


def git(*args: str) -> str:
    done = subprocess.run(["git", *args], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def runform(*args: str) -> subprocess.CompletedProcess[str]:
    """`runform` as a real process, in the working directory."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    return subprocess.run(
        [sys.executable, "-m", "runform", *args], capture_output=True, text=True, env=env
    )


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A git repository of three runbook files, committed and applied to the local sandbox."""
    for name in ("CUTOVER_API_URL", "CUTOVER_API_TOKEN", "CUTOVER_API_TOKEN_FILE", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    for name in ("GITHUB_BASE_REF", "CI_MERGE_REQUEST_DIFF_BASE_SHA"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    git("init", "-q", "-b", "main")
    git("config", "user.email", "ann@example.com")
    git("config", "user.name", "Ann Operator")
    (tmp_path / ".gitignore").write_text(".runform/\n")
    (tmp_path / "runform.yaml").write_text("paths: [runbooks]\n")
    (tmp_path / "runbooks").mkdir()
    for name, text in (("ledger", LEDGER), ("payroll", PAYROLL), ("archive", ARCHIVE)):
        (tmp_path / "runbooks" / f"{name}.yaml").write_text(text)
    git("add", ".")
    git("commit", "-q", "-m", "three runbooks")
    first = run("apply", "--auto-approve", "--message", "first rollout")
    assert first.exit_code == 0, first.output
    return tmp_path


def comments(name: str) -> list[str]:
    """The runbook's comments, as Cutover lists them."""

    async def read() -> list[str]:
        settings = ApiSettings.from_env(env={}, sandbox_db=".runform/sandbox.db")
        async with open_client(settings) as client:
            live = await read_runbook(client, name, "payments")
            listed = await client.list(f"/core/runbooks/{live.id}/comments")
            return [str(c.attributes["content"]) for c in listed]

    return asyncio.run(read())


def drop_two_tasks(repo: Path) -> None:
    """The ledger without its last two tasks (Verify balances, Sign off)."""
    path = repo / "runbooks" / "ledger.yaml"
    text = path.read_text()
    assert text.count(VERIFY) == text.count(SIGN_OFF) == 1
    path.write_text(text[: text.index(SIGN_OFF)].replace(VERIFY, ""))


def log_entries(*args: str) -> list[dict]:
    done = runform("log", "--format", "json", *args)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_log_type_delete_since_returns_exactly_the_deletes_with_who_what_and_why(repo):
    drop_two_tasks(repo)
    git("commit", "-q", "-am", "drop the checks")
    digest = json.loads(run("plan", "-json").stdout)["changes_digest"]
    since = datetime.now(UTC).isoformat()
    second = runform("apply", "-auto-approve", "-allow-deletes", "-message", "drop the checks")
    assert second.returncode == 0, second.stdout + second.stderr

    deletes = log_entries("--type", "delete", "--since", since)
    assert sorted(e["address"] for e in deletes) == [
        'runbook["Ledger migration"].task["Sign off"]',
        'runbook["Ledger migration"].task["Verify balances"]',
    ]
    head = git("rev-parse", "HEAD")
    for entry in deletes:
        assert entry["type"] == "delete" and entry["action"] == "delete"
        assert entry["actor"]["git_user"] == "Ann Operator <ann@example.com>"
        assert entry["actor"]["cutover_user"] is None  # Cutover has no "current user" endpoint
        assert entry["target"] == SANDBOX
        assert entry["digest"] == digest and digest.startswith("sha256:")
        assert entry["commit"] == head  # clean: .runform/ is runform's own, not a change
        assert entry["reason"] == "drop the checks"
        assert entry["method"] == "DELETE" and entry["id"]
    # The first apply's creates are outside the window; without it they are all there.
    assert log_entries("--type", "delete") == deletes
    created = log_entries("--type", "create")
    assert len(created) == 3 * 6 and {e["reason"] for e in created} == {"first rollout"}
    assert log_entries("--type", "create", "--since", since) == []
    text = runform("log", "-type", "delete", "-address", '*.task["Sign*"]')
    assert text.returncode == 0, text.stderr
    [line] = text.stdout.splitlines()
    assert re.split(r"\s{2,}", line)[1:] == [
        "delete",
        'runbook["Ledger migration"].task["Sign off"]',
        "Ann Operator <ann@example.com>",
        "drop the checks",
    ]
    journals = "".join(p.read_text() for p in (repo / ".runform" / "journal").glob("*.jsonl"))
    assert SANDBOX_TOKEN not in journals


def test_the_reason_defaults_to_the_digest_and_a_dirty_tree_is_marked(repo):
    (repo / "runbooks" / "payroll.yaml").write_text(PAYROLL.replace("duration: 5m", "duration: 7m"))
    applied = run("apply", "--auto-approve")
    assert applied.exit_code == 0, applied.output
    [update] = log_entries("--type", "update")
    assert update["address"] == 'runbook["Payroll switch"].task["Sign off"]'
    assert update["reason"] == update["digest"]
    assert update["commit"] == git("rev-parse", "HEAD") + "+dirty"


def test_a_saved_plan_records_its_file_digest_as_the_reason(repo):
    (repo / "runbooks" / "payroll.yaml").write_text(PAYROLL.replace("duration: 5m", "duration: 7m"))
    git("commit", "-q", "-am", "longer sign-off")
    assert run("plan", "-out", "change.plan").exit_code == 0
    applied = run("apply", "change.plan")
    assert applied.exit_code == 0, applied.output
    [update] = log_entries("--type", "update")
    assert update["plan_file_digest"].startswith("sha256:")
    assert update["reason"] == update["plan_file_digest"] != update["digest"]


def test_each_changed_runbook_gets_one_comment_and_unchanged_ones_none(repo):
    assert [c.splitlines()[:2] for c in comments("Ledger migration")] == [
        ["runform apply (complete): 6 created, 0 updated, 0 deleted.", "Reason: first rollout"]
    ]
    drop_two_tasks(repo)
    (repo / "runbooks" / "payroll.yaml").write_text(PAYROLL.replace("duration: 5m", "duration: 7m"))
    git("commit", "-q", "-am", "drop the checks, longer sign-off")
    applied = run("apply", "-auto-approve", "-allow-deletes", "-message", "tidy up")
    assert applied.exit_code == 0, applied.output
    head = git("rev-parse", "HEAD")
    ledger, payroll, archive = (
        comments(n) for n in ("Ledger migration", "Payroll switch", "Archive move")
    )
    assert len(ledger) == len(payroll) == 2 and len(archive) == 1  # the first apply's only
    assert ledger[-1].splitlines()[:3] == [
        "runform apply (complete): 0 created, 0 updated, 2 deleted.",
        "Reason: tidy up",
        f"Commit: {head}",
    ]
    assert payroll[-1].startswith("runform apply (complete): 0 created, 1 updated, 0 deleted.")
    assert "By: Ann Operator <ann@example.com>" in payroll[-1]
    assert SANDBOX_TOKEN not in "".join(ledger + payroll)


def test_no_comment_when_runform_yaml_opts_out(repo):
    (repo / "runform.yaml").write_text("paths: [runbooks]\napply_comments: false\n")
    (repo / "runbooks" / "payroll.yaml").write_text(PAYROLL.replace("duration: 5m", "duration: 7m"))
    applied = run("apply", "--auto-approve", "--message", "quietly")
    assert applied.exit_code == 0, applied.output
    assert len(comments("Payroll switch")) == 1  # the first apply's, from before the opt-out
    assert [e["reason"] for e in log_entries("--type", "update")] == ["quietly"]


def test_a_refused_comment_is_a_warning_and_an_error_entry_not_a_failed_apply(repo):
    (repo / "runbooks" / "payroll.yaml").write_text(PAYROLL.replace("duration: 5m", "duration: 7m"))
    too_long = "x" * 10_001  # more than a comment may hold: Cutover refuses the comment
    applied = runform("apply", "--auto-approve", "--message", too_long)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert "Apply complete: 0 created, 1 updated, 0 deleted." in applied.stdout
    assert 'Warning: runbook["Payroll switch"]: no comment was added: the comment' in applied.stderr
    assert "too_long" in applied.stderr and "Traceback" not in applied.stderr
    [error] = log_entries("--type", "error")
    assert error["address"] == 'runbook["Payroll switch"]'
    assert error["method"] == "POST" and error["path"].endswith("/comments")
    assert "too_long" in error["message"]
    assert len(comments("Payroll switch")) == 1  # only the first apply's
    [update] = log_entries("--type", "update")
    assert update["address"] == 'runbook["Payroll switch"].task["Sign off"]'  # the change stands


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--since", "yesterday"), "--since: 'yesterday' is not a time; use an ISO date"),
        (("--until", "2026-13-01"), "--until: '2026-13-01' is not a time"),
        (("--since", "2026-12-02", "--until", "2026-12-01"), "--since 2026-12-02 is after"),
        (("--type", "removed"), "'removed' is not one of 'create', 'update', 'delete'"),
        (("--address", "Ledger"), "--address Ledger: not an address"),
        (("--limit", "0"), "0 is not in the range x>=1"),
        (("--format", "yaml"), "'yaml' is not one of 'text', 'json'"),
    ],
)
def test_bad_log_input_is_a_clear_error(repo, args, message):
    done = runform("log", *args)
    assert done.returncode == 1
    assert message in done.stderr and "Traceback" not in done.stderr


def test_a_blank_message_is_refused_before_anything_is_applied(repo):
    done = run("apply", "--auto-approve", "--message", "  ")
    assert done.exit_code == 1 and "--message: give a reason" in done.output


def test_log_outside_a_repository_and_with_no_journal(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    done = runform("log")
    assert done.returncode == 0 and done.stdout == ""
    assert "No journal entries match." in done.stderr


def test_outside_a_git_repository_the_commit_is_null_and_the_apply_goes_on(tmp_path, monkeypatch):
    for name in ("CUTOVER_API_URL", "CUTOVER_API_TOKEN", "CUTOVER_API_TOKEN_FILE", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ledger.yaml").write_text(LEDGER)
    applied = run("apply", "--auto-approve", "-message", "no repository here", "ledger.yaml")
    assert applied.exit_code == 0, applied.output
    entries = log_entries()
    assert len(entries) == 6 and {e["commit"] for e in entries} == {None}
    assert {e["reason"] for e in entries} == {"no repository here"}
    [comment] = comments("Ledger migration")
    assert "Commit: none (not applied from a git repository)" in comment
