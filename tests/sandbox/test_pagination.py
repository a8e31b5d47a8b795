"""Pagination in both styles: page[number]/page[size] and page[limit]/page[offset]."""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from runform.core.sandbox_kit.transport import InProcessTransport
from runform.providers.cutover.sandbox import SANDBOX_TOKEN, PagingStyle, create_app

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
            transport=InProcessTransport(app=app),
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


def styled_client(style: PagingStyle) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=InProcessTransport(app=create_app(paging=style)),
        base_url="http://sandbox.local",
        headers={"Authorization": f"Bearer {SANDBOX_TOKEN}"},
    )


async def walk_links(client: httpx.AsyncClient, path: str, size: int) -> list[dict]:
    """Every page of a list by its links.next, each link read under the sandbox's own URL."""
    response = await client.get(path, params={"page[size]": size})
    pages = [response.json()]
    while pages[-1]["links"].get("next"):
        link = urlsplit(pages[-1]["links"]["next"])
        pages.append((await client.get(f"/{link.path.lstrip('/')}?{link.query}")).json())
    return pages


async def test_links_on_another_host():
    # Round 2, Pagination: links.next may be absolute on another host than the one called
    # (e.g. api.cutover.com while calling shared production).
    async with styled_client(PagingStyle(links_host="api.cutover.com")) as client:
        rid = await tasks_runbook(client, 7)
        pages = await walk_links(client, f"/core/runbooks/{rid}/tasks", 3)
    assert [len(p["data"]) for p in pages] == [3, 3, 1]
    for name in ("self", "first", "last", "next"):
        link = pages[0]["links"][name]
        assert link.startswith(f"http://api.cutover.com/core/runbooks/{rid}/tasks?"), name
    assert pages[0]["meta"]["page"]["total"] == 7


async def test_relative_links_without_a_leading_slash():
    # Round 2, Pagination: links.next may be relative without a leading slash (`core/...`).
    async with styled_client(PagingStyle(relative_links=True)) as client:
        rid = await tasks_runbook(client, 5)
        pages = await walk_links(client, f"/core/runbooks/{rid}/tasks", 2)
    assert [len(p["data"]) for p in pages] == [2, 2, 1]
    assert pages[0]["links"]["next"].startswith(f"core/runbooks/{rid}/tasks?")
    assert pages[1]["links"]["prev"].startswith("core/")


async def test_null_totals_keep_only_the_page_number():
    # Round 2, Pagination: meta.page.total and links.last may be null, links.next null at
    # the end; only meta.page.number is always there.
    async with styled_client(PagingStyle(page_totals=False)) as client:
        rid = await tasks_runbook(client, 5)
        pages = await walk_links(client, f"/core/runbooks/{rid}/tasks", 2)
    assert [p["meta"]["page"] for p in pages] == [
        {"number": 1, "total": None},
        {"number": 2, "total": None},
        {"number": 3, "total": None},
    ]
    assert all(p["links"]["last"] is None for p in pages)
    assert pages[-1]["links"]["next"] is None


def test_a_style_refuses_what_cutover_never_writes():
    with pytest.raises(ValueError, match="host name"):
        PagingStyle(links_host="https://api.cutover.com/core")
    with pytest.raises(ValueError, match="not both"):
        PagingStyle(links_host="api.cutover.com", relative_links=True)
