"""Pagination properties: any page size reads every item once, one request per page."""

from __future__ import annotations

import asyncio
import math
from urllib.parse import parse_qs

from hypothesis import given, settings
from hypothesis import strategies as st

from runform.core.sandbox_kit.transport import InProcessTransport
from runform.providers.cutover.api import CutoverClient
from runform.providers.cutover.api.pagination import last_page_number, page_number_of
from runform.providers.cutover.api.records import Page
from runform.providers.cutover.sandbox import SANDBOX_TOKEN, create_app

from .support import Recorder

APP = create_app(":memory:")


async def read_template_tasks(page_size: int, concurrent: bool) -> tuple[list, Recorder]:
    recorder = Recorder(APP)
    async with CutoverClient(
        "http://sandbox.local", SANDBOX_TOKEN, InProcessTransport(app=recorder)
    ) as client:
        template = next(
            r
            for r in await client.list("/core/runbooks", {"is_template": "true"})
            if r.attributes["name"] == "Standard release"
        )
        recorder.paths.clear()
        tasks = await client.list(
            f"/core/runbooks/{template.id}/tasks", page_size=page_size, concurrent=concurrent
        )
        return tasks, recorder


@settings(max_examples=25, deadline=None)
@given(page_size=st.integers(1, 130), concurrent=st.booleans())
def test_any_page_size_reads_each_item_and_page_once(page_size, concurrent):
    tasks, recorder = asyncio.run(read_template_tasks(page_size, concurrent))
    assert len(tasks) == 12
    assert len({t.id for t in tasks}) == 12
    assert sum(recorder.paths.values()) == math.ceil(12 / min(page_size, 100))
    assert all(count == 1 for count in recorder.paths.values())


def test_page_count_from_last_link_or_total():
    with_last = Page(resources=[], last_link="/core/x?page%5Bnumber%5D=7&page%5Bsize%5D=3")
    assert last_page_number(with_last, 3) == 7
    with_total = Page(resources=[], meta={"page": {"total": 250, "limit": 100}})
    assert last_page_number(with_total, 100) == 3
    assert last_page_number(Page(resources=[]), 100) is None
    assert page_number_of("https://api.example/core/x?page[number]=4") == 4
    assert page_number_of("/core/x") is None


def test_lists_ask_for_the_largest_page_the_api_allows():
    async def session() -> Recorder:
        recorder = Recorder(APP)
        async with CutoverClient(
            "http://sandbox.local", SANDBOX_TOKEN, InProcessTransport(app=recorder)
        ) as client:
            await client.list("/core/runbooks/1/tasks")
            await client.list("/core/runbooks/1/tasks", page_size=500)
        return recorder

    recorder = asyncio.run(session())
    sizes = [
        (parse_qs(path.split("?", 1)[1])["page[size]"], count)
        for path, count in recorder.paths.items()
    ]
    assert sizes == [(["100"], 2)]


def read_users(reshape, page_size: int = 2) -> tuple[list, Recorder]:
    """All users through a server whose list answers `reshape` rewrites."""
    recorder = Recorder(create_app(":memory:"), reshape=reshape)

    async def session() -> list:
        async with CutoverClient(
            "http://sandbox.local", SANDBOX_TOKEN, InProcessTransport(app=recorder)
        ) as client:
            return await client.list("/core/users", page_size=page_size)

    return asyncio.run(session()), recorder


def test_a_link_back_to_a_page_already_read_on_another_host_ends_the_list():
    # Round 2, Pagination: links may be on another host; the same page spelt on another host
    # is still the same page, and is not read again.
    def loop_back(document: dict) -> dict:
        document["links"] = {"next": "https://api.cutover.com/core/users?page[size]=2"}
        document["meta"] = {"page": {"number": 1, "total": None}}
        return document

    users, recorder = read_users(loop_back)
    assert len(users) == 2
    assert sum(recorder.paths.values()) == 2  # the first page, and its one other spelling
    assert all(count == 1 for count in recorder.paths.values())


def test_a_page_that_repeats_under_ever_new_links_ends_the_list():
    # A server whose every page says "next" and holds the same items (as a forecast answer
    # followed would): the first page bringing nothing new ends the list.
    calls = []

    def endless(document: dict) -> dict:
        calls.append(1)
        document["links"] = {"next": f"core/users?page%5Bsize%5D=2&cursor={len(calls)}"}
        document["meta"] = {"page": {"number": len(calls), "total": None}}
        return document

    users, recorder = read_users(endless)
    assert len(users) == 2
    assert sum(recorder.paths.values()) == 2


def test_null_totals_and_last_follow_next_until_null():
    # Round 2, Pagination: meta.page.total and links.last may be null, links.next null at the
    # end; only meta.page.number is always there.
    def sparse(document: dict) -> dict:
        links = document["links"]
        document["links"] = {"next": links.get("next"), "last": None}
        document["meta"] = {"page": {"number": document["meta"]["page"]["number"], "total": None}}
        return document

    users, recorder = read_users(sparse)
    whole, _ = read_users(None, page_size=100)
    assert [u.id for u in users] == [u.id for u in whole]
    assert sum(recorder.paths.values()) == math.ceil(len(whole) / 2)
