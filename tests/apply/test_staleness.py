"""A saved plan belongs to the Cutover it was made against, and to the live state it read."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from tests.apply.support import client_for, plan_files

from runform.errors import StalePlanError
from runform.providers.cutover.api import CutoverClient, Ref
from runform.providers.cutover.apply.staleness import check_fresh, check_target
from runform.providers.cutover.plan.model import Plan

SHARED = "https://api.cutover.net"


def client(core_url: str | None = None, base_url: str = SHARED) -> CutoverClient:
    return CutoverClient(base_url, "t0ken", core_url=core_url)


def test_the_same_tenant_passes() -> None:
    made = client("https://acme.cutover.com")
    check_target(client("https://acme.cutover.com"), Plan(roots=[], target=made.target))


@pytest.mark.parametrize(
    "elsewhere",
    [client("https://globex.cutover.com"), client(None), client(None, "https://api.acme.example")],
)
def test_another_tenant_or_instance_is_refused(elsewhere: CutoverClient) -> None:
    plan = Plan(roots=[], target=client("https://acme.cutover.com").target)
    with pytest.raises(StalePlanError) as refused:
        check_target(elsewhere, plan)
    assert str(refused.value).startswith(
        "the plan was made against https://api.cutover.net (Core-Url https://acme.cutover.com), "
        f"not {elsewhere.target}"
    )
    assert "t0ken" not in plan.target


def _new_runbooks(folder: Path, *names: str) -> list[Path]:
    paths = []
    for index, name in enumerate(names):
        path = folder / f"new{index}.yaml"
        path.write_text(f"runbook:\n  name: {name}\n  workspace: default\n")
        paths.append(path)
    return paths


async def _create(client: CutoverClient, name: str) -> None:
    [workspace] = [
        w for w in await client.list("/core/workspaces") if w.attributes["key"] == "default"
    ]
    await client.create(
        "/core/runbooks",
        "runbook",
        {"name": name},
        {"workspace": Ref(id=workspace.id, type="workspace")},
    )


def test_a_runbook_made_since_the_plan_is_found_by_listing(sandbox, tmp_path: Path) -> None:
    # Round 2, Runbooks: `query` is fuzzy and its indexing delay unknown; the sandbox hides the
    # new runbook from `query`, so the stale check must list the workspace to see it.
    sandbox.search_index.delay_requests = 1_000_000
    paths = _new_runbooks(tmp_path, "Weekend cutover")

    async def scenario() -> None:
        async with client_for(sandbox) as client:
            plan, lookups = await plan_files(client, paths)
            await check_fresh(client, lookups, plan)  # nothing yet: fresh
            await _create(client, "Weekend cutover")
            assert await client.list("/core/runbooks", {"query": "Weekend cutover"}) == []
            await check_fresh(client, lookups, plan)

    with pytest.raises(StalePlanError) as refused:
        asyncio.run(scenario())
    assert 'runbook "Weekend cutover" in workspace Default now exists' in str(refused.value)


def test_near_matches_made_since_the_plan_do_not_make_it_stale(sandbox, tmp_path: Path) -> None:
    # Round 2, Runbooks: `query` returns near matches; only the exact name counts.
    paths = _new_runbooks(tmp_path, "Weekend cutover")

    async def scenario() -> int:
        async with client_for(sandbox) as client:
            plan, lookups = await plan_files(client, paths)
            for near in ("Weekend cutovers", "Weekend cutover 2", "weekend cutover"):
                await _create(client, near)
            before = client.stats.count("GET", "/core/runbooks")
            await check_fresh(client, lookups, plan)
            return client.stats.count("GET", "/core/runbooks") - before

    assert asyncio.run(scenario()) == 1


def test_runbooks_to_create_are_checked_with_one_listing_per_workspace(
    sandbox, tmp_path: Path
) -> None:
    paths = _new_runbooks(tmp_path, "First new", "Second new", "Third new")

    async def scenario() -> tuple[int, int]:
        async with client_for(sandbox) as client:
            before = client.stats.count("GET", "/core/runbooks")
            plan, lookups = await plan_files(client, paths)
            planned = client.stats.count("GET", "/core/runbooks") - before
            await check_fresh(client, lookups, plan)
            return planned, client.stats.count("GET", "/core/runbooks") - before - planned

    # Planning lists the workspace once for live runbooks and once for archived ones (a runbook
    # to create may be archived: the plan says Cutover cannot restore it); the check, once.
    assert asyncio.run(scenario()) == (2, 1)
