"""One deterministic plan that exercises every kind of line the renderers print."""

from __future__ import annotations

from plan.states import WHEN, desired_tree, live_of, template_runbook
from runform.providers.cutover.plan.diff import diff_runbook
from runform.providers.cutover.plan.model import Plan
from runform.providers.cutover.state.shapes import Assignee, StreamState, TaskState


def sample_plan() -> Plan:
    copy = desired_tree(
        "Payments release 2026.12",
        template=True,
        workspace="Default",
        start_scheduled=WHEN,
        tasks=(
            TaskState(name="Back up databases", duration=3600),
            TaskState(
                name="Notify card schemes",
                stream="Verification",
                duration=900,
                predecessors=("Close change",),
                assignees=(Assignee(kind="user", name="grace@example.com"),),
            ),
        ),
    ).model_copy(update={"absent": ("Check monitoring dashboards",)})
    old = desired_tree(
        "Weekly patching",
        streams=(StreamState(name="Main"),),
        tasks=(
            TaskState(name="Patch hosts", stream="Main", duration=1800),
            TaskState(name="Reboot", stream="Main", duration=600, predecessors=("Patch hosts",)),
            TaskState(name="Old check", stream="Main", duration=300, predecessors=("Reboot",)),
        ),
        description="Patch Tuesday",
    )
    new = desired_tree(
        "Weekly patching",
        streams=(StreamState(name="Main"),),
        tasks=(
            TaskState(name="Patch all hosts", stream="Main", duration=2700),
            TaskState(
                name="Reboot", stream="Main", duration=600, predecessors=("Patch all hosts",)
            ),
        ),
        description="Patch Tuesday (all hosts)",
    ).model_copy(update={"renamed_from": {"Patch all hosts": "Patch hosts"}})
    return Plan(
        runform_version="0.1.0",
        created_at="2026-12-01T09:00:00+00:00",
        target="http://sandbox.local",
        roots=[
            diff_runbook(copy, None, template_runbook()),
            diff_runbook(new, live_of(old), None),
        ],
        fingerprint={
            "runbook:1": "2026-01-01T00:00:00Z",
            "absent:Default/Payments release 2026.12": None,
        },
        definitions_digest="sha256:0",
    )
