"""Fetching live runbooks: normalized shapes, matching by name or id, and request counts."""

from __future__ import annotations

import math

import pytest

from runform.errors import PlanError
from runform.providers.cutover.live.fetch import (
    fetch_runbook,
    find_runbook,
    find_template,
    index_runbooks,
)
from runform.providers.cutover.live.lookups import Lookups
from runform.providers.cutover.state.shapes import Assignee, CopySpec, RunbookState, RunbookTree

from .seeding import make_runbook

pytestmark = pytest.mark.anyio


def tree(name: str, workspace: str = "default", pinned: str | None = None) -> RunbookTree:
    return RunbookTree(runbook=RunbookState(name=name, workspace=workspace), pinned_id=pinned)


async def test_template_is_normalized_to_names(client):
    lookups = await Lookups.fetch(client)
    template = await find_template(client, lookups, CopySpec(template="Standard release"))
    assert template.state.is_template is True
    assert template.state.workspace == "Default" and template.state.folder == "Templates"
    assert {s.state.name: s.state.parent for s in template.streams} == {
        "Preparation": None,
        "Deployment": None,
        "Database": "Deployment",
        "Verification": None,
    }
    tasks = {t.state.name: t.state for t in template.tasks}
    assert len(tasks) == 12
    deploy = tasks["Deploy application"]
    assert deploy.stream == "Deployment" and deploy.duration == 1800 and deploy.type == "Normal"
    assert set(deploy.predecessors) == {"Run schema migrations", "Stop application services"}
    assert deploy.assignees == (Assignee(kind="team", name="Release managers"),)
    assert tasks["Close change"].assignees == (Assignee(kind="user", name="ada@example.com"),)
    assert set(template.runbook_teams) == {"Release managers", "Database team"}


async def test_task_reads_name_no_undocumented_sparse_field(client):
    # Round 2, Task reads: `assignees`, `internal_id` and `predecessor_ids` are not names
    # `fields[task]` takes (the sandbox refuses them); full tasks still carry assignees,
    # predecessors and Cutover's numbering, in both kinds of read.
    lookups = await Lookups.fetch(client)
    template = await find_template(client, lookups, CopySpec(template="Standard release"))
    forecast = await fetch_runbook(client, lookups, template.id, forecast=True)
    assert [t.state for t in forecast.tasks] == [t.state for t in template.tasks]
    assert [t.internal_id for t in template.tasks] == list(range(1, 13))
    assert any(t.state.assignees for t in forecast.tasks)
    assert any(t.state.predecessors for t in forecast.tasks)


async def test_find_by_name_and_by_pinned_id(client):
    lookups = await Lookups.fetch(client)
    ids = await make_runbook(client, "Release A", [("One", 60, []), ("Two", 60, ["One"])])
    found = await find_runbook(client, lookups, tree("Release A"))
    assert found is not None and found.id == ids["runbook"]
    assert [t.state.predecessors for t in found.tasks] == [(), ("One",)]
    assert await find_runbook(client, lookups, tree("Release A", workspace="payments")) is None
    pinned = await find_runbook(client, lookups, tree("Renamed in file", pinned=ids["runbook"]))
    assert pinned is not None and pinned.state.name == "Release A"
    with pytest.raises(PlanError, match="pinned id 9999 is not in Cutover"):
        await find_runbook(client, lookups, tree("X", pinned="9999"))


async def test_two_runbooks_with_one_name_is_an_error_naming_them(client):
    lookups = await Lookups.fetch(client)
    first = await make_runbook(client, "Twin", [])
    second = await make_runbook(client, "Twin", [])
    with pytest.raises(PlanError) as err:
        await find_runbook(client, lookups, tree("Twin"))
    message = str(err.value)
    assert f"(ids {first['runbook']} (created 20" in message
    assert f"), {second['runbook']} (created 20" in message
    assert "pin the right one with `id:` in files, e.g.\n  runbook:\n    name: Twin\n" in message
    assert message.endswith(f"    id: {first['runbook']}")


async def test_unchanged_runbook_costs_pages_plus_two_requests(local_client):
    tasks = [(f"T{i}", 60, [f"T{i - 1}"] if i else []) for i in range(150)]
    await make_runbook(local_client, "Big", tasks)
    lookups = await Lookups.fetch(local_client)
    index = await index_runbooks(local_client, lookups, ["Default"])
    before = local_client.stats.total_requests
    live = await find_runbook(local_client, lookups, tree("Big"), index)
    assert live is not None and len(live.tasks) == 150
    spent = local_client.stats.total_requests - before
    assert spent == math.ceil(150 / 100) + 2
    # Round 2, Task reads: a forecast answer holds every task "regardless of pagination" and
    # still carries links.next (here for the sandbox's default page of 20); it is not followed.
    forecast_before = local_client.stats.total_requests
    again = await fetch_runbook(local_client, lookups, live.id, forecast=True)
    assert local_client.stats.total_requests - forecast_before == 4  # one task response + GET
    assert [t.state for t in again.tasks] == [t.state for t in live.tasks]


async def test_find_lists_the_workspace_and_matches_the_exact_name(sandbox, local_client):
    # Round 2, Runbooks: `query` is fuzzy (near matches) and its indexing delay unknown; the
    # sandbox keeps new runbooks out of `query`, so only a listing by workspace finds them.
    sandbox.search_index.delay_requests = 1_000_000
    lookups = await Lookups.fetch(local_client)
    for near in ("Release As", "Release A old", "Relaese A"):
        await make_runbook(local_client, near, [])
    ids = await make_runbook(local_client, "Release A", [])
    assert await local_client.list("/core/runbooks", {"query": "Release A"}) == []
    before = local_client.stats.count("GET", "/core/runbooks")
    found = await find_runbook(local_client, lookups, tree("Release A"))
    assert found is not None and found.id == ids["runbook"]
    assert local_client.stats.count("GET", "/core/runbooks") - before == 1  # one listing
    assert await find_runbook(local_client, lookups, tree("Release")) is None
