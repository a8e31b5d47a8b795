"""Each built-in rule, firing and not firing, on plans made against the local sandbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.policy.support import edit, journal, outcomes, plain, run, settings

RUNBOOK = 'runbook["Ledger migration"]'


def findings(folder, rule: str, path: str = "plain.yaml") -> list[dict]:
    planned = run("plan", "--format", "json", path)
    assert planned.exit_code in (0, 4), planned.output
    return outcomes(planned)[rule]["findings"]


def test_task_assignee_fires_on_a_new_task_without_one_and_not_with_one(folder):
    settings(folder, task_assignee={"severity": "warning"})
    plain(folder)
    assert len(findings(folder, "task_assignee")) == 4
    (folder / "release.yaml").write_text(
        "runbook:\n  name: Payments release\n  workspace: default\n  folder: Releases\n"
        "  template:\n    name: Standard release\n"
        "streams:\n  - name: Rollback\n"
        "tasks:\n  - name: Prepare rollback\n    stream: Rollback\n    duration: 10m\n"
        "    assignees: [team: Release managers]\n"
    )
    assert findings(folder, "task_assignee", "release.yaml") == []  # template tasks: not new


def test_runbook_approval_needs_a_task_of_the_named_type(folder):
    settings(folder, runbook_approval={"severity": "critical"})
    path = plain(folder)
    (found,) = findings(folder, "runbook_approval")
    assert found == {
        "reason": "the runbook has no task of type Approval",
        "addresses": [RUNBOOK],
    }
    edit(path, "    type: milestone\n", "    type: approval\n")
    assert findings(folder, "runbook_approval") == []
    settings(folder, runbook_approval={"severity": "critical", "task_type": "Milestone"})
    assert findings(folder, "runbook_approval")[0]["reason"].endswith("of type Milestone")


def test_keep_level_1_fires_when_a_level_1_task_goes(folder):
    path = plain(folder)
    edit(path, "    duration: 1h\n", "    duration: 1h\n    level: level_1\n")
    assert run("apply", "--auto-approve", "plain.yaml").exit_code == 0
    settings(folder, keep_level_1={"severity": "critical"})
    text = path.read_text()
    path.write_text(text[: text.index("  - name: Verify balances\n")])  # a level_3 task goes
    assert findings(folder, "keep_level_1") == []
    text = path.read_text()
    start = text.index("  - key: migrate\n")
    path.write_text(text[:start])  # Migrate ledger (level_1) goes too
    planned = run("plan", "--allow-deletes", "--format", "json", "plain.yaml")
    assert planned.exit_code == 4
    (found,) = outcomes(planned)["keep_level_1"]["findings"]
    assert found["addresses"] == [f'{RUNBOOK}.task["Migrate ledger"]']


def test_task_duration_fires_over_the_limit(folder):
    plain(folder)
    settings(folder, task_duration={"severity": "warning", "max": "50m"})
    (found,) = findings(folder, "task_duration")
    assert found["addresses"] == [f'{RUNBOOK}.task["Migrate ledger"]']
    assert found["reason"] == "the task lasts 1h, over the limit of 50m"
    settings(folder, task_duration={"severity": "warning", "max": "1h"})
    assert findings(folder, "task_duration") == []


def test_critical_path_growth_compares_the_schedule_before_and_after(folder):
    path = plain(folder)
    assert run("apply", "--auto-approve", "plain.yaml").exit_code == 0  # critical path 2h
    settings(folder, critical_path_growth={"severity": "warning", "percent": 10})
    edit(path, "    duration: 1h\n", "    duration: 1h05m\n")  # 2h → 2h05m: 4%
    assert findings(folder, "critical_path_growth") == []
    edit(path, "    duration: 1h05m\n", "    duration: 3h\n")  # 2h → 4h
    (found,) = findings(folder, "critical_path_growth")
    assert found["addresses"] == [RUNBOOK]
    assert found["reason"] == "the critical path grows by 100% (2h to 4h; limit 10%)"


def test_freeze_window_refuses_changes_just_before_the_scheduled_start(folder):
    path = plain(folder)
    start = (datetime.now(UTC) + timedelta(hours=2)).replace(microsecond=0)
    edit(
        path,
        "  timezone: Europe/London\n",
        f"  timezone: Europe/London\n  start_scheduled: {start.isoformat()}\n",
    )
    assert run("apply", "--auto-approve", "plain.yaml").exit_code == 0
    edit(path, "    duration: 1h\n", "    duration: 70m\n")
    settings(folder, freeze_window={"severity": "critical", "before": "24h"})
    planned = run("plan", "plain.yaml")
    assert planned.exit_code == 4, planned.output
    assert "no change within 1d of its scheduled start" in planned.stdout
    settings(folder, freeze_window={"severity": "critical", "before": "1h"})
    assert findings(folder, "freeze_window") == []


def test_the_delete_limit_is_a_rule_that_can_be_switched_off(folder):
    path = plain(folder)
    assert run("apply", "--auto-approve", "plain.yaml").exit_code == 0
    text = path.read_text()
    path.write_text(text[: text.index("  - name: Verify balances\n")])
    (folder / "runform.yaml").write_text("delete_limit_count: 0\n")
    blocked = run("plan", "--format", "json", "plain.yaml")
    assert blocked.exit_code == 3
    assert outcomes(blocked)["delete_limit"]["severity"] == "critical"
    assert "needs `--allow-deletes`" in outcomes(blocked)["delete_limit"]["findings"][0]["reason"]
    assert run("plan", "--allow-deletes", "--format", "json", "plain.yaml").exit_code == 0
    (folder / "runform.yaml").write_text(
        "delete_limit_count: 0\npolicies:\n  delete_limit:\n    enabled: false\n"
    )
    free = run("plan", "--format", "json", "plain.yaml")
    assert free.exit_code == 0 and "delete_limit" not in outcomes(free)


def test_a_rule_setting_that_is_not_allowed_names_the_choices(folder):
    plain(folder)
    settings(folder, task_assignee={"severity": "high"})
    refused = run("plan", "plain.yaml")
    assert refused.exit_code == 1 and "Traceback" not in refused.output
    assert "runform.yaml:3" in refused.output and "critical" in refused.output


def test_destroy_inside_the_freeze_window_needs_an_override(folder):
    path = plain(folder)
    start = (datetime.now(UTC) + timedelta(hours=3)).replace(microsecond=0)
    edit(
        path,
        "  timezone: Europe/London\n",
        f"  timezone: Europe/London\n  start_scheduled: {start.isoformat()}\n",
    )
    assert run("apply", "--auto-approve", "plain.yaml").exit_code == 0
    settings(folder, freeze_window={"severity": "warning", "before": "12h"})
    refused = run("destroy", "--auto-approve", "--allow-deletes", "plain.yaml")
    assert refused.exit_code == 4, refused.output
    assert "fails warning policies: freeze_window; nothing was applied" in refused.output
    destroyed = run(
        "destroy", "--auto-approve", "--allow-deletes", "plain.yaml",
        "--override-policy", "freeze_window", "--reason", "the rehearsal is cancelled",
    )  # fmt: skip
    assert destroyed.exit_code == 0, destroyed.output
    assert "Apply complete: 0 created, 0 updated, 1 deleted." in destroyed.output
    overrides = [e for e in journal(folder) if e.get("event") == "policy_override"]
    assert [(e["policy"], e["reason"]) for e in overrides] == [
        ("freeze_window", "the rehearsal is cancelled")
    ]
