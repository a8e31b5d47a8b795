"""`runform show --format tfplan-json`: the plan as Terraform's JSON plan, read by a Rego
policy written for Terraform plans (conftest's `input.resource_changes[_].change.actions`)."""

from __future__ import annotations

import json

from regopy import Interpreter
from tests.policy.support import plain, run

TERRAFORM_POLICY = """package terraform.deletes

import rego.v1

deny contains msg if {
	some rc in input.resource_changes
	"delete" in rc.change.actions
	msg := sprintf("%s would be deleted", [rc.address])
}

creates := count([rc | some rc in input.resource_changes; rc.change.actions == ["create"]])
"""


def evaluate(document: str, query: str):
    interpreter = Interpreter()
    interpreter.add_module("deletes.rego", TERRAFORM_POLICY)
    interpreter.set_input_term(document)
    return json.loads(str(interpreter.query(query)))["expressions"][0]


def test_terraform_shaped_policies_read_the_plan(folder):
    path = plain(folder)
    assert run("plan", "--out", "new.json", "plain.yaml").exit_code == 0
    shown = run("show", "--format", "tfplan-json", "new.json")
    assert shown.exit_code == 0, shown.output
    document = json.loads(shown.stdout)
    assert document["format_version"] == "1.2"
    first = document["resource_changes"][0]
    assert first["address"] == 'runbook["Ledger migration"]'
    assert (first["type"], first["name"], first["change"]["actions"]) == (
        "runbook", "Ledger migration", ["create"],
    )  # fmt: skip
    assert first["change"]["before"] is None and first["change"]["after"]["timezone"]
    assert evaluate(shown.stdout, "data.terraform.deletes.creates") == 8
    assert evaluate(shown.stdout, "data.terraform.deletes.deny") == []

    assert run("apply", "new.json").exit_code == 0
    text = path.read_text()
    path.write_text(text[: text.index("  - name: Verify balances\n")].replace("1h", "2h"))
    assert run("plan", "--out", "edit.json", "plain.yaml").exit_code == 0
    edited = run("show", "--format", "tfplan-json", "edit.json").stdout
    actions = {rc["name"]: rc["change"]["actions"] for rc in json.loads(edited)["resource_changes"]}
    assert actions == {"Migrate ledger": ["update"], "Verify balances": ["delete"]}
    assert evaluate(edited, "data.terraform.deletes.deny") == [
        'runbook["Ledger migration"].task["Verify balances"] would be deleted'
    ]
