"""The core comparison, mode by mode: what counts as the same value."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel

from runform.core.compare import Compare, differs


class Member(BaseModel):
    kind: str
    name: str


NOON = datetime(2027, 3, 14, 12, 0, tzinfo=UTC)

CASES: list[tuple[Compare, Any, Any, bool]] = [
    (Compare.EXACT, "", None, True),
    (Compare.EXACT, 1, 1, False),
    (Compare.TEXT, "", None, False),
    (Compare.TEXT, None, "", False),
    (Compare.TEXT, "a", "", True),
    (Compare.SET, ["b", "a"], ("a", "b"), False),
    (Compare.SET, (), None, False),
    (Compare.SET, ["a"], ["a", "b"], True),
    (Compare.SET, [Member(kind="team", name="A")], [{"kind": "team", "name": "A"}], False),
    (Compare.SEQUENCE, ["a", "b"], ("a", "b"), False),
    (Compare.SEQUENCE, ["b", "a"], ["a", "b"], True),
    (Compare.SEQUENCE, [], None, False),
    (Compare.SUBSET_MAP, {"k": ["b", "a"]}, {"k": ["a", "b"], "other": 1}, False),
    (Compare.SUBSET_MAP, {"k": "x"}, {}, True),
    (Compare.SUBSET_MAP, {}, {"k": "x"}, False),
    (Compare.INSTANT, NOON, "2027-03-14T13:00:00+01:00", False),
    (
        Compare.INSTANT,
        "2027-03-14T12:00:00Z",
        NOON.astimezone(timezone(timedelta(hours=-5))),
        False,
    ),
    (Compare.INSTANT, NOON, NOON + timedelta(seconds=1), True),
    (Compare.INSTANT, "", None, False),
]


@pytest.mark.parametrize(("mode", "desired", "live", "expected"), CASES)
def test_each_mode(mode: Compare, desired: Any, live: Any, expected: bool) -> None:
    assert differs(mode, desired, live) is expected


ITEMS = st.lists(st.sampled_from(["a", "b", "c"]), max_size=3, unique=True)


@given(ITEMS, st.permutations(["a", "b", "c"]))
def test_a_set_ignores_order_and_a_sequence_does_not(items: list[str], order: list[str]) -> None:
    shuffled = [x for x in order if x in items]
    assert not differs(Compare.SET, items, shuffled)
    assert differs(Compare.SEQUENCE, items, shuffled) is (items != shuffled)
