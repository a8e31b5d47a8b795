"""The task list's filters: each narrows the list; an unknown one is refused, never ignored."""

from __future__ import annotations

import pytest

from .support import all_pages, create_runbook, create_task, document, errors_of

pytestmark = pytest.mark.anyio


@pytest.fixture
async def tasks(sandbox):
    """One runbook: `Deploy app` (level_1, a comment), `Check app` (level_2, complete_skipped
    as written), `Tidy up` (level_3, described as "deploy leftovers")."""
    async with sandbox.client() as client:
        runbook = await create_runbook(client, "Filters")
        rid = runbook["id"]
        stream = (await client.get(f"/core/runbooks/{rid}/streams")).json()["data"][0]["id"]
        deploy = await create_task(client, rid, stream, "Deploy app", level="level_1")
        await create_task(
            client, rid, stream, "Check app", level="level_2", completion_type="complete_skipped"
        )
        await create_task(client, rid, stream, "Tidy up", description="deploy leftovers")
        comment = document("comment", {"content": "looks fine"}, task=deploy["id"])
        response = await client.post(f"/core/runbooks/{rid}/comments", json=comment)
        assert response.status_code == 201, response.text
    return rid


async def _names(client, rid: str, **params: str) -> list[str]:
    found = await all_pages(client, f"/core/runbooks/{rid}/tasks", params)
    return [t["attributes"]["name"] for t in found]


async def test_level_completion_type_and_has_comments_narrow_the_list(sandbox, tasks):
    # Round 2, Task reads: "Filters also include `level`, `completion_type`, `has_comments`".
    async with sandbox.client() as client:
        assert await _names(client, tasks, level="level_1") == ["Deploy app"]
        assert await _names(client, tasks, level="level_2,level_3") == ["Check app", "Tidy up"]
        assert await _names(client, tasks, level="level_9") == []
        assert await _names(client, tasks, completion_type="complete_skipped") == ["Check app"]
        assert await _names(client, tasks, completion_type="skipped") == []
        assert await _names(client, tasks, has_comments="true") == ["Deploy app"]
        assert await _names(client, tasks, has_comments="false") == ["Check app", "Tidy up"]
        assert await _names(client, tasks, level="level_1", has_comments="false") == []
        bad = await client.get(f"/core/runbooks/{tasks}/tasks", params={"has_comments": "some"})
    assert bad.status_code == 400
    assert errors_of(bad) == [("invalid", "has_comments")]


async def test_search_term_matches_task_names_only(sandbox, tasks):
    # Round 2, Task reads: "`search_term` matches task names" (not their descriptions).
    async with sandbox.client() as client:
        assert await _names(client, tasks, search_term="DEPLOY") == ["Deploy app"]
        assert await _names(client, tasks, search_term="leftovers") == []


async def test_an_unknown_filter_is_refused_not_ignored(sandbox, tasks):
    # Round 2, Task reads: "An unknown or unsupported filter must never silently widen a
    # result". The reference's code for a malformed request is 400 `invalid`, naming the
    # parameter (`source.parameter`, as its 400 schema has).
    path = f"/core/runbooks/{tasks}/tasks"
    async with sandbox.client() as client:
        misspelt = await client.get(path, params={"stage_id": "complete"})
        several = await client.get(path, params={"name": "x", "archived": "true"})
        forecast = await client.get(path, params={"forecast": "true", "levels": "level_1"})
        paged = await client.get(path, params={"page[size]": "1", "page[number]": "2"})
    assert misspelt.status_code == 400
    assert errors_of(misspelt) == [("invalid", "stage_id")]
    assert errors_of(several) == [("invalid", "archived"), ("invalid", "name")]
    assert forecast.status_code == 400
    assert paged.status_code == 200
    assert [t["attributes"]["name"] for t in paged.json()["data"]] == ["Check app"]


async def test_filters_survive_the_next_link(sandbox, tasks):
    # A filtered list's `links.next` keeps its filters (and only known parameters), so
    # following it never widens the list either.
    async with sandbox.client() as client:
        first = await client.get(
            f"/core/runbooks/{tasks}/tasks", params={"level": "level_2,level_3", "page[size]": "1"}
        )
        second = await client.get(first.json()["links"]["next"])
    assert second.status_code == 200
    assert [t["attributes"]["name"] for t in second.json()["data"]] == ["Tidy up"]
