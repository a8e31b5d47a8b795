"""`runform plan` and `runform apply` on Cycloid files, as real processes: the example's
round trip, saved plans, secrets kept out of output (--debug too), plan files and journals,
the events sink, and bad input as one clear error."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
from tests.cycloid.conftest import KEY, Cycloid

SECRET = "SECRET-DEPLOY-KEY-6f1c0e"


def runform(
    folder: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith("CYCLOID_")}
    return subprocess.run(
        [sys.executable, "-m", "runform", *args],
        capture_output=True,
        text=True,
        cwd=folder,
        env={**base, **(env or {})},
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def served(server: Cycloid) -> dict[str, str]:
    return {"CYCLOID_URL": server.base_url, "CYCLOID_API_KEY": KEY}


def test_the_example_plans_applies_and_plans_no_changes(example: Path) -> None:
    first = runform(example, "plan")
    assert first.returncode == 0, first.stderr
    assert "Plan: 10 to create, 0 to update, 0 to delete." in first.stdout
    assert "the Cycloid sandbox" in first.stderr
    applied = runform(example, "apply", "--auto-approve")
    assert applied.returncode == 0, applied.stderr
    assert "Apply complete: 10 created, 0 updated, 0 deleted." in applied.stdout
    again = runform(example, "plan", "--detailed-exitcode")
    assert again.returncode == 0, again.stderr
    assert "No changes. Cycloid matches the files." in again.stdout
    file = example / "acme.yaml"
    file.write_text(file.read_text().replace("  - name: Payments\n", "  - name: Payments team\n"))
    renamed = runform(example, "plan", "--detailed-exitcode")
    assert renamed.returncode == 2, renamed.stderr
    assert '  ~ team["payments"]\n      name: "Payments" -> "Payments team"\n' in renamed.stdout
    assert "Plan: 0 to create, 1 to update, 0 to delete." in renamed.stdout


def test_apply_without_a_terminal_needs_auto_approve(example: Path) -> None:
    run = runform(example, "apply")
    assert run.returncode == 1
    assert "pass --auto-approve" in run.stderr and "Traceback" not in run.stderr


def test_a_secret_never_appears_in_output_plan_files_or_journals(
    example: Path, cycloid_server: Cycloid
) -> None:
    (example / "keys" / "deploy.json").write_text(json.dumps({"ssh_key": SECRET}))
    env = served(cycloid_server)
    planned = runform(example, "--debug", "plan", "-out", "plan.json", env=env)
    assert planned.returncode == 0, planned.stderr
    assert "raw: (sensitive)" in planned.stdout
    applied = runform(example, "apply", "--debug", "plan.json", env=env)
    assert applied.returncode == 0, applied.stderr
    assert "DEBUG runform.cycloid: POST /organizations/acme/credentials -> 200" in applied.stderr
    shown_plan = runform(example, "plan", "--json", "--debug", env=env)
    for run in (planned, applied, shown_plan):
        assert SECRET not in run.stdout + run.stderr
        assert KEY not in run.stdout + run.stderr
    written = [example / "plan.json", *sorted((example / ".runform").rglob("*.json*"))]
    assert any("journal" in str(p) for p in written)
    for path in written:
        assert SECRET not in path.read_text(encoding="utf-8"), path
    live = httpx.get(
        f"{cycloid_server.base_url}/organizations/acme/credentials/git-deploy-key",
        headers={"Authorization": f"Bearer {KEY}"},
    ).json()["data"]
    assert live["raw"] == {"ssh_key": SECRET}  # sent, and only to Cycloid


def test_a_stale_saved_plan_is_refused(example: Path, cycloid_server: Cycloid) -> None:
    env = served(cycloid_server)
    assert runform(example, "plan", "-out", "plan.json", env=env).returncode == 0
    httpx.post(
        f"{cycloid_server.base_url}/organizations/acme/roles",
        headers={"Authorization": f"Bearer {KEY}"},
        json={"name": "Release managers", "canonical": "release_managers", "rules": []},
    ).raise_for_status()
    run = runform(example, "apply", "plan.json", env=env)
    assert run.returncode == 1
    assert "the saved plan plan.json is stale" in run.stderr and "Traceback" not in run.stderr


def test_an_event_is_sent_after_each_apply(example: Path, cycloid_server: Cycloid) -> None:
    env = served(cycloid_server)
    begin = int(time.time() * 1000) - 1
    assert runform(example, "apply", "--auto-approve", env=env).returncode == 0
    events = httpx.get(
        f"{cycloid_server.base_url}/organizations/acme/events",
        headers={"Authorization": f"Bearer {KEY}"},
        params={"begin": begin, "end": int(time.time() * 1000) + 1},
    ).json()["data"]
    assert [(e["type"], e["severity"], e["color"]) for e in events] == [("Custom", "info", "green")]
    assert {"key": "outcome", "value": "applied"} in events[0]["tags"]
    assert events[0]["message"].startswith("Apply complete: 10 created")


def test_a_failing_sink_never_fails_the_apply(example: Path, cycloid_server: Cycloid) -> None:
    (example / "runform.yaml").write_text("cycloid:\n  events: {color: purplish}\n")
    run = runform(example, "apply", "--auto-approve", env=served(cycloid_server))
    assert run.returncode == 0, run.stderr
    assert (
        "Warning: the apply's event was not sent to Cycloid: POST /organizations/acme/events: 422"
        in (run.stderr)
    )


def test_bad_files_are_one_clear_error(example: Path) -> None:
    (example / "acme.yaml").write_text("cycloid: {organization: acme}\nteams:\n  - {name: Pa}\n")
    run = runform(example, "plan")
    assert run.returncode == 1
    assert (
        "\n  acme.yaml:3:6: teams[0].name: String should have at least 3 characters" in run.stderr
    )
    assert "teams[0].roles: Field required" in run.stderr
    assert "Traceback" not in run.stderr


def test_a_wrong_api_key_is_refused(example: Path, cycloid_server: Cycloid) -> None:
    env = {**served(cycloid_server), "CYCLOID_API_KEY": "not-the-key"}
    run = runform(example, "plan", env=env)
    assert run.returncode == 1
    assert "403 Forbidden: the API key is not valid" in run.stderr
    assert "not-the-key" not in run.stderr and "Traceback" not in run.stderr


def test_plain_http_to_a_remote_host_is_refused(example: Path) -> None:
    run = runform(
        example, "plan", env={"CYCLOID_URL": "http://cycloid.example.com", "CYCLOID_API_KEY": "k"}
    )
    assert run.returncode == 1 and "refusing plain http:// to cycloid.example.com" in run.stderr


def test_in_ci_no_cycloid_url_is_an_error_unless_the_sandbox_is_asked_for(example: Path) -> None:
    refused = runform(example, "plan", env={"CI": "true"})
    assert refused.returncode == 1
    assert "CI is set but no Cycloid is configured" in refused.stderr
    asked = runform(
        example, "plan", "--sandbox", env={"CI": "true", "CYCLOID_URL": "https://x.example"}
    )
    assert asked.returncode == 0, asked.stderr
    assert "the Cycloid sandbox" in asked.stderr


def test_a_saved_cycloid_plan_is_shown_as_planned(example: Path) -> None:
    planned = runform(example, "plan", "-out", "plan.json")
    assert planned.returncode == 0, planned.stderr
    shown = runform(example, "show", "plan.json")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout == planned.stdout
    as_json = json.loads(runform(example, "show", "--format", "json", "plan.json").stdout)
    assert as_json["roots"][0]["provider"] == "cycloid"
    assert as_json["roots"][0]["sensitive"] == {
        'organization["acme"].credential["git-deploy-key"]': ["raw"]
    }


def test_validate_checks_cycloid_files_offline(example: Path) -> None:
    good = runform(example, "validate")
    assert good.returncode == 0, good.stderr
    assert good.stdout == "1 file(s), 10 object(s): no problems.\n"
    (example / "acme.yaml").write_text("cycloid: {organization: acme}\nroles:\n  - {name: Ops}\n")
    bad = runform(example, "validate", "--format", "json")
    assert bad.returncode == 1
    problem = json.loads(bad.stdout)["problems"][0]
    assert (problem["file"], problem["line"], problem["column"]) == ("acme.yaml", 3, 5)
    assert "rules" in problem["message"] or "rules" in problem.get("path", "")


def test_an_unappliable_plan_is_refused_and_reported(
    example: Path, cycloid_server: Cycloid
) -> None:
    file = example / "acme.yaml"
    file.write_text(file.read_text().replace("owner: kjohnson", "owner: ghost"))
    env = served(cycloid_server)
    planned = runform(example, "plan", env=env)
    assert planned.returncode == 0 and "cannot be applied: " in planned.stdout
    run = runform(example, "apply", "--auto-approve", env=env)
    assert run.returncode == 1 and "'ghost': not a user of the organization" in run.stderr
    events = httpx.get(
        f"{cycloid_server.base_url}/organizations/acme/events",
        headers={"Authorization": f"Bearer {KEY}"},
        params={"begin": 0, "end": int(time.time() * 1000) + 1},
    ).json()["data"]
    assert [(e["severity"], e["color"]) for e in events] == [("warn", "orange")]
    teams = httpx.get(
        f"{cycloid_server.base_url}/organizations/acme/teams",
        headers={"Authorization": f"Bearer {KEY}"},
    ).json()["data"]
    assert teams == []  # nothing was applied


def test_the_cycloid_sandbox_is_served_on_the_command_line(example: Path) -> None:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "runform",
            "sandbox",
            "cycloid",
            "--port",
            "0",
            "--db",
            ":memory:",
            "--api-version",
            "v6.1.3",
        ],
        cwd=example,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = server.stdout.readline() if server.stdout else ""
        assert line.startswith("runform Cycloid sandbox listening on http://127.0.0.1:"), line
        url = line.rsplit(" ", 1)[1].strip()
        assert httpx.get(f"{url}/version").json()["data"]["version"] == "v6.1.3"
        run = runform(
            example, "apply", "--auto-approve", env={"CYCLOID_URL": url, "CYCLOID_API_KEY": KEY}
        )
        assert run.returncode == 0, run.stderr
        assert "Apply complete: 10 created" in run.stdout
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_more_deletions_than_the_limit_block_the_plan(
    example: Path, cycloid_server: Cycloid
) -> None:
    env = served(cycloid_server)
    headers = {"Authorization": f"Bearer {KEY}"}
    for index in range(11):
        httpx.post(
            f"{cycloid_server.base_url}/organizations/acme/roles",
            headers=headers,
            json={"name": f"Role {index}", "rules": []},
        ).raise_for_status()
        credential = {"name": f"Key {index}", "canonical": f"key-{index}", "type": "ssh",
                      "path": f"key-{index}", "raw": {"ssh_key": "x"}}  # fmt: skip
        httpx.post(
            f"{cycloid_server.base_url}/organizations/acme/credentials",
            headers=headers,
            json=credential,
        ).raise_for_status()
    # Roles do not count toward the limit: 11 role deletions alone plan unblocked.
    (example / "acme.yaml").write_text("cycloid: {organization: acme}\nroles: []\n")
    roles_only = runform(example, "plan", "-detailed-exitcode", env=env)
    assert roles_only.returncode == 2, roles_only.stderr
    # Credentials do: 11 of them over the limit of 10.
    (example / "acme.yaml").write_text("cycloid: {organization: acme}\ncredentials: []\n")
    blocked = runform(example, "plan", env=env)
    assert blocked.returncode == 3
    assert "the plan is blocked: 11 deletions, over the limit of 10" in blocked.stderr
    refused = runform(example, "apply", "--auto-approve", env=env)
    assert refused.returncode == 3
    allowed = runform(example, "apply", "--auto-approve", "--allow-deletes", env=env)
    assert allowed.returncode == 0, allowed.stderr
    assert "Apply complete: 0 created, 0 updated, 11 deleted." in allowed.stdout


def test_a_cycloid_plan_in_markdown_for_a_pull_request(example: Path) -> None:
    run = runform(example, "plan", "--format", "markdown")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[:3] == ["## runform plan", "", "**Plan: 10 to create, 0 to update, 0 to delete.**"]
    assert "```diff" in lines and '+ role["release_managers"]' in lines
    assert "      raw: (sensitive)" in lines
    digest = json.loads(runform(example, "plan", "--json").stdout)["changes_digest"]
    assert lines[-1] == f"<!-- runform:changes-digest {digest} -->"


def test_the_api_key_from_a_file_named_by_env_or_runform_yaml(
    example: Path, cycloid_server: Cycloid, tmp_path: Path
) -> None:
    key_file = tmp_path / "cycloid.key"
    key_file.write_text(KEY + "\n")
    by_env = runform(
        example,
        "plan",
        env={"CYCLOID_URL": cycloid_server.base_url, "CYCLOID_API_KEY_FILE": str(key_file)},
    )
    assert by_env.returncode == 0, by_env.stderr
    (example / "cycloid.key").write_text(KEY)
    (example / "runform.yaml").write_text(
        f"cycloid:\n  api_url: {cycloid_server.base_url}\n  api_key_file: cycloid.key\n"
    )
    by_project = runform(example, "plan")
    assert by_project.returncode == 0, by_project.stderr
    assert f"Planning against {cycloid_server.base_url}." in by_project.stderr
    (example / "cycloid.key").unlink()
    missing = runform(example, "plan")
    assert missing.returncode == 1 and "cannot read the Cycloid API key file" in missing.stderr


def test_a_first_ctrl_c_stops_the_apply_gracefully(example: Path, tmp_path: Path) -> None:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "runform",
            "sandbox",
            "cycloid",
            "--port",
            "0",
            "--db",
            str(tmp_path / "slow.sqlite3"),
            "--latency-ms",
            "400",
        ],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = (server.stdout.readline() if server.stdout else "").rsplit(" ", 1)[1].strip()
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("CYCLOID_")},
            "CYCLOID_URL": url,
            "CYCLOID_API_KEY": KEY,
        }
        apply = subprocess.Popen(
            [sys.executable, "-m", "runform", "apply", "--auto-approve", "--parallelism", "1"],
            cwd=example,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            stdin=subprocess.DEVNULL,
        )
        journal = example / ".runform" / "journal"
        for _ in range(600):  # until the first write is in the journal
            if journal.is_dir() and any(p.read_text() for p in journal.glob("*.jsonl")):
                break
            if apply.poll() is not None:
                break
            time.sleep(0.05)
        apply.send_signal(signal.SIGINT)
        out, err = apply.communicate(timeout=60)
        assert apply.returncode == 130, out + err
        assert "interrupted" in (out + err).lower()
        resumed = runform(
            example, "apply", "--auto-approve", env={"CYCLOID_URL": url, "CYCLOID_API_KEY": KEY}
        )
        assert resumed.returncode == 0, resumed.stderr
        again = runform(example, "plan", env={"CYCLOID_URL": url, "CYCLOID_API_KEY": KEY})
        assert "No changes. Cycloid matches the files." in again.stdout
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_an_unreachable_cycloid_is_one_clear_error(example: Path) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    run = runform(
        example, "plan", env={"CYCLOID_URL": f"http://127.0.0.1:{port}", "CYCLOID_API_KEY": KEY}
    )
    assert run.returncode == 1
    assert (
        f"GET http://127.0.0.1:{port}/version: the connection failed (ConnectError)" in run.stderr
    )
    assert "Traceback" not in run.stderr


def test_parallelism_is_taken_by_a_cycloid_plan_and_apply(example: Path) -> None:
    """Terraform's `-parallelism` on both verbs: the same plan and apply at one call at once."""
    planned = runform(example, "plan", "-parallelism", "1")
    assert planned.returncode == 0, planned.stderr
    assert "Plan: 10 to create, 0 to update, 0 to delete." in planned.stdout
    applied = runform(example, "apply", "--auto-approve", "--parallelism", "1")
    assert applied.returncode == 0, applied.stderr
    assert "Apply complete: 10 created, 0 updated, 0 deleted." in applied.stdout
    again = runform(example, "plan", "--parallelism", "100", "--detailed-exitcode")
    assert again.returncode == 0, again.stderr
    refused = runform(example, "plan", "--parallelism", "0")
    assert refused.returncode == 1 and "1<=x<=100" in refused.stderr
