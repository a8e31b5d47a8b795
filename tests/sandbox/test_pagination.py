"""Pagination in both styles: page[number]/page[size] and page[limit]/page[offset]."""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from runform.providers.cutover.sandbox import SANDBOX_TOKEN, create_app

from .support import create_runbook, create_stream, create_task, errors_of

pytestmark = pytest.mark.anyio


async def tasks_runbook(client: httpx.AsyncClient, count: int) -> str:
    runbook = await create_runbook(client, "Paged")
    stream = await create_stream(client, runbook["id"])
    for index in range(count):
        await create_task(client, runbook["id"], stream["id"], f"t{index:03}")
    return runbook["id"]


async def test_default_page_and_links(any_sandbox):
    async with any_sandbox.client() as client:
        rid = await tasks_runbook(client, 45)
        first = (await client.get(f"/core/runbooks/{rid}/tasks")).json()
        last = (await client.get(first["links"]["last"])).json()
    assert len(first["data"]) == 20
    assert first["meta"]["page"] == {"number": 1, "size": 20, "limit": 20, "offset": 0, "total": 45}
    assert "prev" not in first["links"]
    assert first["links"]["next"].startswith(any_sandbox.base_url)
    assert parse_qs(urlsplit(first["links"]["next"]).query)["page[number]"] == ["2"]
    assert [t["attributes"]["name"] for t in last["data"]] == [
        "t040",
        "t041",
        "t042",
        "t043",
        "t044",
    ]
    assert last["meta"]["page"]["number"] == 3
    assert "next" not in last["links"]
    assert parse_qs(urlsplit(last["links"]["prev"]).query)["page[number]"] == ["2"]


async def test_offset_style_keeps_its_style_and_filters(sandbox):
    async with sandbox.client() as client:
        rid = await tasks_runbook(client, 7)
        response = await client.get(
            f"/core/runbooks/{rid}/tasks",
            params={"page[limit]": "3", "page[offset]": "2", "search_term": "t00"},
        )
        body = response.json()
        following = (await client.get(body["links"]["next"])).json()
    assert [t["attributes"]["name"] for t in body["data"]] == ["t002", "t003", "t004"]
    assert body["meta"]["page"] == {"number": 1, "size": 3, "limit": 3, "offset": 2, "total": 7}
    query = parse_qs(urlsplit(body["links"]["next"]).query)
    assert query["page[offset]"] == ["5"] and query["page[limit]"] == ["3"]
    assert query["search_term"] == ["t00"]
    assert [t["attributes"]["name"] for t in following["data"]] == ["t005", "t006"]


async def test_page_size_is_capped_at_100(sandbox):
    async with sandbox.client() as client:
        rid = await tasks_runbook(client, 105)
        response = await client.get(f"/core/runbooks/{rid}/tasks", params={"page[size]": "500"})
    body = response.json()
    assert len(body["data"]) == 100
    assert body["meta"]["page"]["size"] == 100


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"page[size]": "0"}, "page[size]"),
        ({"page[size]": "ten"}, "page[size]"),
        ({"page[number]": "0"}, "page[number]"),
        ({"page[limit]": "-1"}, "page[limit]"),
        ({"page[offset]": "-1"}, "page[offset]"),
    ],
)
async def test_bad_page_parameters_are_400(sandbox, params, parameter):
    async with sandbox.client() as client:
        response = await client.get("/core/workspaces", params=params)
    assert response.status_code == 400
    assert errors_of(response) == [("invalid", parameter)]


async def test_page_past_the_end_is_empty(sandbox):
    async with sandbox.client() as client:
        response = await client.get("/core/workspaces", params={"page[number]": "9"})
    body = response.json()
    assert body["data"] == []
    assert body["meta"]["page"]["total"] == 3
    assert "next" not in body["links"]


@settings(max_examples=25, deadline=None)
@given(
    count=st.integers(min_value=0, max_value=30),
    size=st.integers(min_value=1, max_value=12),
    offset_style=st.booleans(),
)
def test_following_next_reads_every_item_once(count, size, offset_style):
    """Whatever the size and style, links.next walks the whole list in order, no repeats."""
    app = create_app()

    async def walk() -> tuple[list[str], list[str], int]:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://sandbox.local",
            headers={"Authorization": f"Bearer {SANDBOX_TOKEN}"},
        ) as client:
            rid = await tasks_runbook(client, count)
            params = {"page[limit]": size} if offset_style else {"page[size]": size}
            response = await client.get(f"/core/runbooks/{rid}/tasks", params=params)
            seen: list[str] = []
            pages = 0
            while True:
                body = response.json()
                pages += 1
                assert body["meta"]["page"]["total"] == count
                seen.extend(t["attributes"]["name"] for t in body["data"])
                if "next" not in body["links"]:
                    break
                response = await client.get(body["links"]["next"])
            return seen, [f"t{i:03}" for i in range(count)], pages

    seen, expected, pages = asyncio.run(walk())
    assert seen == expected
    assert pages == max(1, -(-count // size))
