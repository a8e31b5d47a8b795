"""The Terraform-shaped plan: one resource change per change, actions as Terraform names them."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from runform.providers.cutover.plan.model import Action, Change, Plan, RunbookPlan, task_address
from runform.render.tfplan import render_tfplan_json

TERRAFORM = {"create": ["create"], "copy": ["create"], "update": ["update"], "delete": ["delete"]}
names = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12)


@given(
    st.lists(
        st.tuples(names, st.sampled_from(sorted(TERRAFORM))), max_size=8, unique_by=lambda t: t[0]
    )
)
def test_every_change_is_one_resource_change_with_terraform_s_action(changes):
    runbook = "R"
    plan = Plan(
        roots=[
            RunbookPlan(
                name=runbook,
                address='runbook["R"]',
                changes=[
                    Change(
                        address=task_address(runbook, name),
                        kind="task",
                        action=Action(action),
                        root=runbook,
                        name=name,
                        before=None if action in ("create", "copy") else {"name": name},
                        after=None if action == "delete" else {"name": name},
                    )
                    for name, action in changes
                ],
            )
        ]
    )
    document = json.loads(render_tfplan_json(plan))
    assert document["format_version"] == "1.2"
    resources = document["resource_changes"]
    assert [r["address"] for r in resources] == [task_address(runbook, n) for n, _ in changes]
    assert [r["change"]["actions"] for r in resources] == [TERRAFORM[a] for _, a in changes]
    assert all(r["type"] == "task" and r["mode"] == "managed" for r in resources)
    assert [r["name"] for r in resources] == [n for n, _ in changes]
    assert all(r["provider_name"] == "runform/cutover" for r in resources)
