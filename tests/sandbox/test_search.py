"""Runbook `query`: a fuzzy, ranked search with an indexing delay, never an exact lookup."""

from __future__ import annotations

import time

import pytest
from click.testing import CliRunner

from runform.providers.cutover.sandbox import create_app
from runform.providers.cutover.sandbox.search import SearchIndex, within_one_edit

from .support import all_pages, create_runbook

pytestmark = pytest.mark.anyio


async def _names(client, **params) -> list[str]:
    return [r["attributes"]["name"] for r in await all_pages(client, "/core/runbooks", params)]


async def test_query_matches_words_in_any_order(any_sandbox):
    # Round 2, Runbooks: `query` is a fuzzy search (name or description).
    async with any_sandbox.client() as client:
        await create_runbook(client, "Payments release 2026.12")
        await create_runbook(client, "Card switch", description="After the payments release")
        await create_runbook(client, "Unrelated")
        found = await _names(client, query="release payments")
    assert set(found) == {"Payments release 2026.12", "Card switch"}


async def test_query_returns_near_matches_beside_the_exact_name(any_sandbox):
    # Round 2, Runbooks: `query` is fuzzy; never rely on it to find one exact runbook.
    async with any_sandbox.client() as client:
        await create_runbook(client, "Payments release")
        await create_runbook(client, "Payment release")  # one letter away
        await create_runbook(client, "Payments release extra")  # more words
        await create_runbook(client, "Paymnets releases")  # a typo and a plural
        found = await _names(client, query="Payments release")
    assert len(found) == 4
    assert "Payments release" in found


async def test_query_ranks_best_first_not_by_id(sandbox):
    # Round 2, Runbooks: `query`'s ranking is unknown; the sandbox ranks by match, so a
    # client cannot lean on the id order a plain listing has.
    async with sandbox.client() as client:
        near = await create_runbook(client, "Paymnet cutover")
        exact = await create_runbook(client, "Payment cutover")
        ids = [r["id"] for r in await all_pages(client, "/core/runbooks", {"query": "payment"})]
        listed = [r["id"] for r in await all_pages(client, "/core/runbooks", {})]
    assert ids == [exact["id"], near["id"]]
    assert listed.index(near["id"]) < listed.index(exact["id"])


async def test_query_with_no_words_finds_nothing(sandbox):
    # Round 2, Tasks: a filter must never silently widen a result.
    async with sandbox.client() as client:
        await create_runbook(client, "Release")
        assert await _names(client, query="  -- ") == []


async def test_query_still_honours_the_other_filters(sandbox):
    # Round 2, Runbooks: `query` is one of the list filters; the others still narrow it.
    async with sandbox.client() as client:
        await create_runbook(client, "Release", workspace="payments")
        await create_runbook(client, "Release", workspace="default")
        found = await all_pages(
            client, "/core/runbooks", {"query": "release", "workspace_id": "payments"}
        )
    assert [r["relationships"]["workspace"]["data"]["id"] for r in found] == ["2"]


async def test_index_delay_in_requests_hides_new_runbooks_from_query_only(any_sandbox):
    # Round 2, Runbooks: `query`'s indexing delay is unknown; listing by workspace is not
    # delayed, so a client that must find a runbook lists it.
    any_sandbox.search_index.delay_requests = 3
    async with any_sandbox.client() as client:
        made = await create_runbook(client, "Fresh runbook")
        hidden = [await _names(client, query="Fresh runbook") for _ in range(3)]
        listed = await _names(client, workspace_id="default", archived="false")
        shown = await _names(client, query="Fresh runbook")
    assert hidden == [[], [], []]  # the three requests after the create (a listing is one)
    assert made["attributes"]["name"] in listed
    assert shown == ["Fresh runbook"]


async def test_index_delay_in_seconds(sandbox):
    # Round 2, Runbooks: `query`'s indexing delay is unknown; the sandbox can play one.
    sandbox.search_index.delay_seconds = 0.3
    async with sandbox.client() as client:
        await create_runbook(client, "Fresh runbook")
        assert await _names(client, query="fresh") == []
        time.sleep(0.35)
        assert await _names(client, query="fresh") == ["Fresh runbook"]


async def test_index_delay_applies_to_copies(sandbox):
    # Round 2, Runbooks: a copy is a new runbook like any other: it waits for the index too.
    sandbox.search_index.delay_requests = 100
    async with sandbox.client() as client:
        body = {
            "data": {"type": "runbook", "attributes": {"name": "Copied release"}},
            "meta": {"copy": {"source_runbook_id": "1", "tasks": True}},
        }
        response = await client.post("/core/runbooks", json=body)
        assert response.status_code == 201, response.text
        assert await _names(client, query="copied release") == []
        assert "Copied release" in await _names(client, workspace_id="default")


def test_index_delay_settings_are_checked():
    app = create_app(":memory:", index_delay_seconds=2, index_delay_requests=5)
    assert (app.state.search_index.delay_seconds, app.state.search_index.delay_requests) == (2, 5)
    with pytest.raises(ValueError, match="negative"):
        create_app(":memory:", index_delay_requests=-1)


def test_serve_refuses_a_negative_index_delay():
    from runform.cli.main import cli

    result = CliRunner().invoke(
        cli, ["sandbox", "serve", "--db", ":memory:", "--index-delay-seconds", "-1"]
    )
    assert result.exit_code == 1  # bad input, like any other
    assert "--index-delay-seconds" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("a", "b", "near"),
    [
        ("payment", "payment", True),
        ("payment", "payments", True),
        ("payments", "payment", True),
        ("paymnet", "payment", True),  # neighbours swapped
        ("pyamnet", "payment", False),
        ("paymant", "payment", True),
        ("pay", "payment", False),
        ("", "a", True),
    ],
)
def test_within_one_edit(a, b, near):
    assert within_one_edit(a, b) is near


def test_search_index_forgets_a_runbook_once_searchable():
    index = SearchIndex(delay_requests=1)
    index.created(7)
    index.count_request()
    assert not index.searchable(7)
    index.count_request()
    assert index.searchable(7) and index.searchable(7)
