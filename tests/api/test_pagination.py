"""Pagination properties: any page size reads every item once, one request per page."""

from __future__ import annotations

import asyncio
import math
from urllib.parse import parse_qs

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st

from runform.providers.cutover.api import CutoverClient
from runform.providers.cutover.api.pagination import last_page_number, page_number_of
from runform.providers.cutover.api.records import Page
from runform.providers.cutover.sandbox import SANDBOX_TOKEN, create_app

from .support import Recorder

APP = create_app(":memory:")


async def read_template_tasks(page_size: int, concurrent: bool) -> tuple[list, Recorder]:
    recorder = Recorder(APP)
    async with CutoverClient(
        "http://sandbox.local", SANDBOX_TOKEN, httpx.ASGITransport(app=recorder)
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
            "http://sandbox.local", SANDBOX_TOKEN, httpx.ASGITransport(app=recorder)
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
