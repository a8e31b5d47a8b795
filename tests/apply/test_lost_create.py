"""A runbook create whose answer is lost never makes a second runbook.

Recovery finds the runbook the lost write made by listing its workspace and comparing names,
so it works even while Cutover's fuzzy `query` does not show the new runbook yet.
"""

from __future__ import annotations

import asyncio
import shutil

import pytest
from tests.apply.support import (
    DATA,
    apply_files,
    client_for,
    live_task_names,
    plan_files,
    read_runbook,
)

from runform.providers.cutover.apply import ApplyStatus

# Longer than any of these tests: `query` never shows a runbook they make.
HIDDEN_FROM_QUERY = 1_000_000
WORKSPACES = {"plain.yaml": "payments", "template.yaml": "default"}


async def _named(client, name: str) -> list[str]:
    """Ids of every runbook of exactly this name, archived or not, from plain listings."""
    rows = [
        *await client.list("/core/runbooks"),
        *await client.list("/core/runbooks", {"archived": "true"}),
    ]
    return [r.id for r in rows if r.attributes.get("name") == name]


@pytest.mark.parametrize(
    ("target", "example", "with_replan"),
    [
        ("sandbox", "plain.yaml", False),
        ("sandbox", "plain.yaml", True),
        ("sandbox", "template.yaml", False),
        ("sandbox", "template.yaml", True),
        ("sandbox_server", "plain.yaml", False),
        ("sandbox_server", "template.yaml", True),
    ],
    ids=["plain", "plain-replan", "copy", "copy-replan", "http-plain", "http-copy-replan"],
)
def test_a_lost_runbook_create_is_found_by_listing_not_made_twice(
    request, tmp_path, target, example, with_replan
):
    # Round 2, Runbooks: `query` is fuzzy and its indexing delay unknown; the sandbox keeps
    # the new runbook out of `query` results for the whole test, so only a listing finds it.
    sandbox = request.getfixturevalue(target)
    path = tmp_path / example
    shutil.copy(DATA / example, path)
    sandbox.search_index.delay_requests = HIDDEN_FROM_QUERY

    async def scenario():
        async with client_for(sandbox) as client:
            plan, _ = await plan_files(client, [path])
            name = plan.roots[0].name
            sandbox.faults.drop_next = 1  # the first write is the runbook's create (or copy)
            result = await apply_files(client, [path], tmp_path, with_replan=with_replan)
            posts = client.stats.count("POST", "/core/runbooks")
            searched = await client.list("/core/runbooks", {"query": name})
            again, _ = await plan_files(client, [path])
            live = await read_runbook(client, name, WORKSPACES[example])
            return name, result, posts, searched, again, live, await _named(client, name)

    name, result, posts, searched, again, live, ids = asyncio.run(scenario())
    assert result.status is ApplyStatus.COMPLETE, result.failed
    assert result.recoveries == 1  # the lost answer was noticed and recovered from
    assert posts == 1  # the create was never sent again
    assert ids == [live.id]  # one runbook of that name, the one apply went on with
    assert name not in [r.attributes["name"] for r in searched]  # `query` cannot see it
    assert again.changes() == []


def test_recovery_ignores_near_matches_of_the_lost_runbook(sandbox, tmp_path):
    # Round 2, Runbooks: `query` returns near matches; recovery matches the exact name, so a
    # runbook of a similar name neither counts as the lost one nor makes it ambiguous.
    path = tmp_path / "plain.yaml"
    shutil.copy(DATA / "plain.yaml", path)
    sandbox.search_index.delay_requests = HIDDEN_FROM_QUERY

    async def scenario():
        async with client_for(sandbox) as client:
            workspace = {"workspace": _workspace_ref(await client.list("/core/workspaces"))}
            for near in ("Ledger migrations", "Ledger migration old", "Ledgre migration"):
                await client.create("/core/runbooks", "runbook", {"name": near}, workspace)
            sandbox.faults.drop_next = 1
            result = await apply_files(client, [path], tmp_path, with_replan=True)
            names = [r.attributes["name"] for r in await client.list("/core/runbooks")]
            live = await read_runbook(client, "Ledger migration", "payments")
            return result, names, await live_task_names(client, live.id)

    result, names, tasks = asyncio.run(scenario())
    assert result.status is ApplyStatus.COMPLETE, result.failed
    assert names.count("Ledger migration") == 1
    assert len(tasks) == len(set(tasks))  # nothing made twice inside it either


def _workspace_ref(rows):
    from runform.providers.cutover.api.records import Ref

    row = next(r for r in rows if r.attributes.get("key") == "payments")
    return Ref(id=row.id, type="workspace")
