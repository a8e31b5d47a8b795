"""Canonicalizing the files' references against the live directory."""

from __future__ import annotations

import pytest

from runform.errors import ResolveError
from runform.providers.cutover.live.lookups import Lookups
from runform.providers.cutover.live.resolve import resolve_tree
from runform.providers.cutover.state.shapes import Assignee, RunbookState, RunbookTree, TaskState

pytestmark = pytest.mark.anyio


async def test_references_become_canonical_names(local_client):
    lookups = await Lookups.fetch(local_client)
    tree = RunbookTree(
        runbook=RunbookState(
            name="R",
            workspace="payments",
            folder="Releases",
            type="normal-runbook",
            custom_fields={"Change ticket": "CHG1"},
        ),
        tasks=(
            TaskState(
                name="A",
                type="milestone",
                assignees=(
                    Assignee(kind="user", name="aturing"),
                    Assignee(kind="team", name="Network team"),
                ),
            ),
            TaskState(name="B"),
        ),
    )
    resolved = resolve_tree(tree, lookups)
    assert resolved.runbook.workspace == "Payments"
    assert resolved.runbook.type == "Normal runbook"
    assert resolved.runbook.model_fields_set == tree.runbook.model_fields_set
    assert resolved.tasks[0].type == "Milestone"
    assert resolved.tasks[0].assignees == (
        Assignee(kind="user", name="alan@example.com"),
        Assignee(kind="team", name="Network team"),
    )
    assert resolved.tasks[1].model_fields_set == {"name"}


async def test_every_unknown_name_is_reported_with_choices(local_client):
    lookups = await Lookups.fetch(local_client)
    tree = RunbookTree(
        runbook=RunbookState(name="R", workspace="default", type="weekly"),
        tasks=(
            TaskState(name="A", type="gate", assignees=(Assignee(kind="user", name="nobody"),)),
        ),
        source="r.yaml:1",
    )
    with pytest.raises(ResolveError) as err:
        resolve_tree(tree, lookups)
    message = str(err.value)
    assert message.startswith('runbook "R" (r.yaml:1)')
    assert (
        'unknown runbook type "weekly"' in message and "Normal runbook (normal-runbook)" in message
    )
    assert 'unknown task type "gate"' in message and "Milestone (milestone)" in message
    assert 'unknown user "nobody"' in message and "ada@example.com (alovelace)" in message
