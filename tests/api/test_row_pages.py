"""Rows decoded from kept page bodies (`api.row_pages`) are the rows decoding each page on
arrival gives: the same order, each resource once, the same refusal of a bad body."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from runform.providers.cutover.api.errors import UnexpectedResponse
from runform.providers.cutover.api.records import rows_decoder
from runform.providers.cutover.api.row_pages import Body, RowPages, ident_page
from runform.providers.cutover.live.task_rows import TaskRow

TASK = st.fixed_dictionaries(
    {
        "id": st.one_of(st.integers(1, 12), st.sampled_from(["3", "7", "40"])),
        "type": st.just("task"),
        "attributes": st.one_of(
            st.none(),
            st.fixed_dictionaries(
                {"name": st.text(max_size=8), "duration": st.integers(0, 10_000)}
            ),
        ),
        "relationships": st.one_of(
            st.none(),
            st.fixed_dictionaries(
                {"stream": st.fixed_dictionaries({"data": st.just({"id": "5", "type": "stream"})})}
            ),
        ),
    }
)
PAGES = st.lists(st.lists(TASK, max_size=6), min_size=1, max_size=4)


def bodies(pages: list[list[dict]]) -> list[Body]:
    return [
        Body(f"core/runbooks/1/tasks?page%5Bnumber%5D={n}", 200, json.dumps({"data": p}).encode())
        for n, p in enumerate(pages, 1)
    ]


def eager(pages: list[Body]) -> list[TaskRow]:
    """Each page decoded on arrival, each resource kept the first time (as paging keeps it)."""
    seen, rows = set(), []
    for body in pages:
        for row in rows_decoder(TaskRow)(body.content).resources:
            if (row.type, row.id) not in seen:
                seen.add((row.type, row.id))
                rows.append(row)
    return rows


@given(PAGES)
def test_rows_from_kept_bodies_equal_rows_decoded_on_arrival(pages):
    read = bodies(pages)
    lazy = RowPages(TaskRow, [ident_page(b) for b in read])
    assert not lazy.decoded
    rows = lazy.rows()
    assert lazy.decoded and lazy.rows() is rows
    assert [r.model_dump() for r in rows] == [r.model_dump() for r in eager(read)]


@given(PAGES, PAGES)
def test_the_digest_stands_for_the_bodies(one, other):
    first = RowPages(TaskRow, [ident_page(b) for b in bodies(one)])
    second = RowPages(TaskRow, [ident_page(b) for b in bodies(other)])
    same_bytes = [b.content for b in bodies(one)] == [b.content for b in bodies(other)]
    assert (first.digest == second.digest) == same_bytes


def test_a_bad_row_in_a_later_page_is_named_with_that_page():
    good = Body(
        "core/runbooks/1/tasks?page%5Bnumber%5D=1", 200, b'{"data": [{"id": "1", "type": "task"}]}'
    )
    bad_row = b'{"data": [{"id": "2", "type": "task", "attributes": {"predecessor_ids": 5}}]}'
    bad = Body("core/runbooks/1/tasks?page%5Bnumber%5D=2", 200, bad_row)
    pages = RowPages(TaskRow, [ident_page(good), ident_page(bad)])
    with pytest.raises(UnexpectedResponse, match=r"page%5Bnumber%5D=2.*predecessor_ids") as err:
        pages.rows()
    assert err.value.status == 200


def test_a_body_without_ids_is_refused_at_once():
    with pytest.raises(UnexpectedResponse, match="the response is not JSON"):
        ident_page(Body("core/runbooks/1/tasks", 200, b"<html>"))
    with pytest.raises(UnexpectedResponse, match=r"data\.0\.id"):
        ident_page(Body("core/runbooks/1/tasks", 200, b'{"data": [{"type": "task"}]}'))
