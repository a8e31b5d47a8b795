"""User policies in Rego (policies/*.rego), evaluated with regopy over the JSON plan."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.policy.support import edit, outcomes, plain, run

PRODUCTION = """# METADATA
# title: Every task in a Production stream has an assignee
# custom:
#   severity: critical
package runform.production_assignees

import rego.v1

deny contains denial if {
	some root in input.roots
	some change in root.changes
	change.kind == "task"
	change.action != "delete"
	startswith(change.after.stream, "Production")
	count(object.get(change.after, "assignees", [])) == 0
	denial := {"msg": "a task in a Production stream has no assignee", "address": change.address}
}
"""
RELEASE = """runbook:
  name: Payments release
  workspace: default
  folder: Releases
  template:
    name: Standard release
streams:
  - name: Production cutover
  - name: Rehearsal
tasks:
  - name: Switch traffic
    stream: Production cutover
    duration: 10m
  - name: Dry run
    stream: Rehearsal
    duration: 10m
"""
SWITCH = 'runbook["Payments release"].task["Switch traffic"]'


def policy(folder: Path, name: str, text: str) -> Path:
    path = folder / "policies" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text)
    return path


def test_a_production_task_without_assignee_fails_until_the_file_gives_one(folder):
    policy(folder, "production_assignees.rego", PRODUCTION)
    release = folder / "release.yaml"
    release.write_text(RELEASE)
    failing = run("plan", "--out", "plan.json", "release.yaml")
    assert failing.exit_code == 4, failing.output
    assert "fails critical policies: production_assignees" in failing.stderr
    assert (
        "Policy critical: production_assignees (policies/production_assignees.rego): "
        "Every task in a Production stream has an assignee"
    ) in failing.stdout
    assert f"  {SWITCH}: a task in a Production stream has no assignee" in failing.stdout
    (found,) = [o for o in json.loads((folder / "plan.json").read_text())["policies"]
                if o["name"] == "production_assignees"]  # fmt: skip
    assert found["source"] == "policies/production_assignees.rego"
    assert found["findings"] == [
        {"reason": "a task in a Production stream has no assignee", "addresses": [SWITCH]}
    ]  # "Dry run" is in Rehearsal: not denied
    assert run("apply", "plan.json").exit_code == 4
    assert run("policy", "check", "plan.json").exit_code == 4

    assigned = "    duration: 10m\n    assignees: [team: Release managers]\n  - name: Dry run"
    edit(release, "    duration: 10m\n  - name: Dry run", assigned)
    passing = run("plan", "--format", "json", "--out", "plan.json", "release.yaml")
    assert passing.exit_code == 0, passing.output
    assert outcomes(passing)["production_assignees"]["findings"] == []
    assert run("policy", "check", "plan.json").exit_code == 0
    applied = run("apply", "plan.json")
    assert applied.exit_code == 0 and "Apply complete" in applied.output


def test_conftest_style_string_messages_and_warning_severity(folder):
    policy(
        folder,
        "no_deletes.rego",
        "# METADATA\n# description: Say when a plan creates streams\n# custom:\n"
        "#   severity: warning\n#   name: stream-notice\npackage notice\n\nimport rego.v1\n\n"
        'deny contains msg if {\n\tsome c in input.roots[_].changes\n\tc.kind == "stream"\n'
        '\tmsg := sprintf("new stream %s", [c.name])\n}\n',
    )
    plain(folder)
    planned = run("plan", "--format", "json", "plain.yaml")
    assert planned.exit_code == 0, planned.output
    found = outcomes(planned)["stream-notice"]
    assert found["severity"] == "warning"
    assert {f["reason"] for f in found["findings"]} == {
        "new stream Preparation",
        "new stream Database",
        "new stream Backups",
    }
    assert all(f["addresses"] == [] for f in found["findings"])


def test_a_rego_syntax_error_names_file_line_and_column(folder):
    policy(
        folder,
        "broken.rego",
        "# METADATA\n# custom:\n#   severity: critical\npackage broken\n\nimport rego.v1\n\n"
        "deny contains msg if {\n  msg := input.format_version +\n}\n",
    )
    plain(folder)
    refused = run("plan", "--format", "json", "plain.yaml")
    assert refused.exit_code == 1
    assert "policies/broken.rego:9:31: Invalid arithmetic operator" in refused.stderr
    assert refused.stdout == ""  # neither the plan nor the Rego library's own report
    assert "Traceback" not in refused.output


def test_a_policy_without_a_severity_is_refused_with_its_position(folder):
    policy(folder, "vague.rego", "# METADATA\n# title: Vague\npackage vague\n\ndeny := []\n")
    plain(folder)
    refused = run("plan", "plain.yaml")
    assert refused.exit_code == 1
    assert "policies/vague.rego:1:1: the policy's severity is missing" in refused.stderr
    policy(folder, "vague.rego", "# METADATA\n# custom:\n#   severity: high\npackage vague\n")
    refused = run("plan", "plain.yaml")
    assert "policies/vague.rego:1:1: the policy's severity is high:" in refused.stderr
    assert "critical, warning, advisory" in refused.stderr


def test_the_policy_directory_comes_from_runform_yaml(folder):
    policy(folder, "ignored.rego", "package ignored\n")  # no severity: would be refused
    (folder / "runform.yaml").write_text("policies:\n  dir: checks\n")
    (folder / "checks").mkdir()
    (folder / "checks" / "production_assignees.rego").write_text(PRODUCTION)
    (folder / "release.yaml").write_text(RELEASE)
    planned = run("plan", "release.yaml")
    assert planned.exit_code == 4
    assert "(checks/production_assignees.rego)" in planned.stdout


def test_a_plan_without_policy_files_never_imports_regopy_or_the_rego_module(folder):
    plain(folder)
    script = (
        "import sys\n"
        "from runform.cli.main import cli\n"
        "try:\n"
        "    cli.main(['plan', 'plain.yaml'], prog_name='runform')\n"
        "except SystemExit as done:\n"
        "    assert done.code == 0, done.code\n"
        "print('regopy' in sys.modules, 'runform.core.rego' in sys.modules)\n"
    )
    without = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert without.returncode == 0, without.stderr
    assert without.stdout.strip().endswith("False False")
    policy(folder, "production_assignees.rego", PRODUCTION)
    with_one = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert with_one.stdout.strip().endswith("True True"), with_one.stderr


def test_two_policies_may_not_share_a_name(folder):
    plain(folder)
    policy(folder, "a.rego", "# METADATA\n# custom:\n#   severity: advisory\npackage a\n")
    policy(
        folder,
        "b.rego",
        "# METADATA\n# custom:\n#   severity: advisory\n#   name: a\npackage b\n",
    )
    refused = run("plan", "plain.yaml")
    assert refused.exit_code == 1
    assert "policies/b.rego:1:1: the policy name a is already policies/a.rego's" in refused.stderr
    policy(
        folder,
        "b.rego",
        "# METADATA\n# custom:\n#   severity: advisory\n#   name: task_assignee\npackage b\n",
    )
    refused = run("plan", "plain.yaml")
    assert "the policy name task_assignee is already a built-in rule's" in refused.stderr


def test_a_policy_s_message_cannot_forge_a_line_of_the_plan(folder):
    policy(
        folder,
        "forged.rego",
        "# METADATA\n# custom:\n#   severity: advisory\npackage forged\n\nimport rego.v1\n\n"
        'deny contains "fine\\nPlan: 0 to create, 0 to update, 0 to delete.\\u001b[2J" if true\n',
    )
    plain(folder)
    planned = run("plan", "plain.yaml")
    assert planned.exit_code == 0, planned.output
    lines = planned.stdout.splitlines()
    assert [line for line in lines if line.startswith("Plan:")] == [
        "Plan: 8 to create, 0 to update, 0 to delete."
    ]
    assert "\x1b" not in planned.stdout
    markdown = run("plan", "--format", "markdown", "plain.yaml").stdout
    assert "\x1b" not in markdown
    assert not any(line.startswith("Plan: 0") for line in markdown.splitlines())
