"""Each severity's behaviour in `plan`, in `apply` (of files and of a saved plan), and in
`policy check`: critical blocks, warning needs an override with a reason, advisory is shown.

The rule used is task_assignee: plain.yaml's four new tasks have no assignee.
"""

from __future__ import annotations

import json

from tests.policy.support import journal, outcomes, plain, run, settings

ASSIGNEE = 'runbook["Ledger migration"].task["Migrate ledger"]'


def test_critical_plan_exits_4_and_every_apply_refuses(folder):
    plain(folder)
    settings(folder, task_assignee={"severity": "critical"})
    planned = run("plan", "--detailed-exitcode", "--out", "plan.json", "plain.yaml")
    assert planned.exit_code == 4, planned.output
    assert "Error: the plan fails critical policies: task_assignee" in planned.stderr
    assert "Policy critical: task_assignee: Every new task has an assignee." in planned.stdout
    assert f"  {ASSIGNEE}: the new task has no assignee" in planned.stdout
    assert "Policies: 1 critical failed; 1 passed." in planned.stdout
    saved = json.loads((folder / "plan.json").read_text())
    assert saved["format_version"] == 2
    (found,) = [o for o in saved["policies"] if o["name"] == "task_assignee"]
    assert found["severity"] == "critical" and len(found["findings"]) == 4
    assert [ASSIGNEE] in [f["addresses"] for f in found["findings"]]

    markdown = run("plan", "--format", "markdown", "plain.yaml")
    assert markdown.exit_code == 4
    assert "> [!CAUTION]\n> **Policies, critical:**" in markdown.stdout
    assert "> - `task_assignee`: Every new task has an assignee." in markdown.stdout
    assert f">   - `{ASSIGNEE}`: the new task has no assignee" in markdown.stdout

    applied = run("apply", "plan.json")
    assert applied.exit_code == 4, applied.output
    assert "fails critical policies: task_assignee; nothing was applied" in applied.output
    assert not (folder / ".runform/journal").exists()
    by_files = run("apply", "--auto-approve", "plain.yaml")
    assert by_files.exit_code == 4 and "Apply complete" not in by_files.output
    overridden = run(
        "apply", "plan.json", "--override-policy", "task_assignee", "--reason", "trust me"
    )
    assert overridden.exit_code == 1
    assert "a critical policy cannot be overridden" in overridden.output
    checked = run("policy", "check", "plan.json")
    assert checked.exit_code == 4 and "Policy critical: task_assignee" in checked.stdout


def test_warning_apply_refuses_until_overridden_with_a_journaled_reason(folder):
    plain(folder)
    settings(folder, task_assignee={"severity": "warning"})
    planned = run("plan", "--out", "plan.json", "plain.yaml")
    assert planned.exit_code == 0, planned.output
    assert "Policy warning: task_assignee" in planned.stdout
    assert run("plan", "--detailed-exitcode", "plain.yaml").exit_code == 2
    assert run("policy", "check", "plan.json").exit_code == 0

    refused = run("apply", "plan.json")
    assert refused.exit_code == 4, refused.output
    assert "fails warning policies: task_assignee; nothing was applied" in refused.output
    assert '--override-policy task_assignee --reason "..."' in refused.output
    by_files = run("apply", "--auto-approve", "plain.yaml")
    assert by_files.exit_code == 4 and "Apply complete" not in by_files.output
    unpaired = run("apply", "plan.json", "--override-policy", "task_assignee")
    assert unpaired.exit_code == 1 and "give one --reason after each" in unpaired.output
    unknown = run("apply", "plan.json", "--override-policy", "task_asignee", "--reason", "x")
    assert unknown.exit_code == 1 and "no such policy was checked" in unknown.output
    assert not (folder / ".runform/journal").exists()

    reason = "assignees come from the CAB meeting on Monday"
    applied = run("apply", "plan.json", "--override-policy", "task_assignee", "--reason", reason)
    assert applied.exit_code == 0, applied.output
    assert "Apply complete" in applied.output
    entries = journal(folder)
    assert entries[0]["event"] == "policy_override"
    assert entries[0]["policy"] == "task_assignee" and entries[0]["reason"] == reason
    assert len(entries) > 1  # the writes follow it
    logged = run("log", "--format", "json", "--type", "info")
    assert logged.exit_code == 0, logged.output
    (override,) = [json.loads(line) for line in logged.stdout.splitlines()]
    assert (override["policy"], override["reason"]) == ("task_assignee", reason)


def test_warning_override_of_files_applies(folder):
    plain(folder)
    settings(folder, task_assignee={"severity": "warning"})
    applied = run(
        "apply", "--auto-approve", "plain.yaml",
        "--override-policy", "task_assignee", "--reason", "teams are assigned later",
    )  # fmt: skip
    assert applied.exit_code == 0, applied.output
    assert journal(folder)[0]["reason"] == "teams are assigned later"


def test_advisory_is_shown_only(folder):
    plain(folder)
    settings(folder, task_assignee={"severity": "advisory"})
    planned = run("plan", "--out", "plan.json", "plain.yaml")
    assert planned.exit_code == 0
    assert "Policy advisory: task_assignee" in planned.stdout
    assert run("policy", "check", "plan.json").exit_code == 0
    applied = run("apply", "plan.json")
    assert applied.exit_code == 0 and "Apply complete" in applied.output
    assert "policy_override" not in {e.get("event") for e in journal(folder)}


def test_a_saved_plan_is_checked_again_with_the_policies_of_the_moment(folder):
    plain(folder)
    assert run("plan", "--out", "plan.json", "plain.yaml").exit_code == 0
    settings(folder, task_assignee={"severity": "critical"})  # after the plan was saved
    checked = run("policy", "check", "--format", "json", "plan.json")
    assert checked.exit_code == 4
    assert json.loads(checked.stdout)["failed"]["critical"] == ["task_assignee"]
    applied = run("apply", "plan.json")
    assert applied.exit_code == 4 and "nothing was applied" in applied.output


def test_no_policy_configured_keeps_plans_as_they_were(folder):
    plain(folder)
    planned = run("plan", "--format", "json", "plain.yaml")
    assert planned.exit_code == 0
    assert list(outcomes(planned)) == ["delete_limit"]  # the one rule on by default
    assert "Polic" not in run("plan", "plain.yaml").stdout
    checked = run("policy", "check", "missing.json")
    assert checked.exit_code == 1 and "no such plan file" in checked.output
