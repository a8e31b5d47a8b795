"""Plan and apply make one comparison: for every compare mode, the planner's field diff and
apply's re-match (over JSON, after a template copy or a recovery) agree on what differs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from runform.providers.cutover.apply.reconcile import differing_fields
from runform.providers.cutover.plan.values import field_changes, json_value
from runform.providers.cutover.state.shapes import Assignee, TaskState

TEAM_A = Assignee(kind="team", name="A")
USER_B = Assignee(kind="user", name="b@example.com")
NOON = datetime(2027, 3, 14, 12, 0, tzinfo=UTC)
NOON_IN_PARIS = NOON.astimezone(timezone(timedelta(hours=1)))
NEW_YORK = ZoneInfo("America/New_York")
IN_THE_GAP = datetime(2027, 3, 14, 2, 30, tzinfo=NEW_YORK)
IN_THE_OVERLAP = datetime(2027, 11, 7, 1, 30, tzinfo=NEW_YORK)

CASES: list[tuple[str, str, Any, Any, bool]] = [
    # (mode, field, desired, live, differs)
    ("text where empty is null", "description", "", None, False),
    ("text where empty is null", "description", None, "", False),
    ("text where empty is null", "description", "x", None, True),
    ("exact", "duration", 60, 60, False),
    ("exact", "duration", 60, 0, True),
    ("exact", "level", "level_1", "level_2", True),
    ("set", "predecessors", (), None, False),
    ("set", "predecessors", None, (), False),
    ("set", "predecessors", ("b", "a"), ("a", "b"), False),
    ("set", "predecessors", ("a",), ("a", "b"), True),
    ("set", "assignees", (USER_B, TEAM_A), (TEAM_A, USER_B), False),
    ("set", "assignees", (), None, False),
    ("set", "assignees", (TEAM_A,), (USER_B,), True),
    ("subset map", "custom_fields", {"Risk": ["b", "a"]}, {"Risk": ["a", "b"]}, False),
    ("subset map", "custom_fields", {"Risk": "low"}, {"Risk": "low", "Other": "x"}, False),
    ("subset map", "custom_fields", {"Risk": "low"}, {"Risk": "high"}, True),
    ("subset map", "custom_fields", {"Risk": "low"}, {}, True),
    ("instant", "start_fixed", NOON, NOON_IN_PARIS, False),
    ("instant", "start_fixed", NOON, NOON + timedelta(minutes=1), True),
    # A local time in a daylight-saving gap (spring forward) and in the overlap (fall back):
    # Python never finds these equal to a time in another zone, unless both are in one zone.
    ("instant", "start_fixed", IN_THE_GAP, IN_THE_GAP.astimezone(UTC), False),
    ("instant", "end_fixed", IN_THE_OVERLAP, IN_THE_OVERLAP.astimezone(UTC), False),
    ("instant", "end_fixed", IN_THE_OVERLAP, IN_THE_OVERLAP.replace(fold=1).astimezone(UTC), True),
]


def planner_differs(field: str, desired: Any, live: Any) -> bool:
    wanted = TaskState(name="T", **{field: desired})
    current = TaskState(name="T", **{field: live})
    return bool(field_changes(wanted, current, [field]))


def apply_differs(field: str, desired: Any, live: Any) -> bool:
    """As apply sees it: the plan's JSON `after` against a fresh read dumped to JSON."""
    after = {field: json_value(field, getattr(TaskState(name="T", **{field: desired}), field))}
    fresh = TaskState(name="T", **{field: live}).model_dump(mode="json")
    return bool(differing_fields(after, fresh))


@pytest.mark.parametrize(("mode", "field", "desired", "live", "expected"), CASES)
def test_plan_and_apply_agree_on_each_compare_mode(
    mode: str, field: str, desired: Any, live: Any, expected: bool
) -> None:
    assert planner_differs(field, desired, live) is expected, mode
    assert apply_differs(field, desired, live) is expected, mode


def test_an_instant_written_with_z_or_an_offset_is_one_instant() -> None:
    after = {"start_fixed": "2027-03-14T12:00:00Z"}
    assert differing_fields(after, {"start_fixed": "2027-03-14T13:00:00+01:00"}) == []
    assert differing_fields(after, {"start_fixed": "2027-03-14T12:00:00+01:00"}) == ["start_fixed"]


NAMES = st.lists(st.sampled_from(["a", "b", "c", "d"]), max_size=4, unique=True)
VALUES = st.one_of(st.none(), st.just(""), st.sampled_from(["x", "y"]))


@given(NAMES, NAMES, VALUES, VALUES)
def test_plan_and_apply_agree_on_any_values(
    desired_after: list[str], live_after: list[str], desired_text: Any, live_text: Any
) -> None:
    for field, desired, live in (
        ("predecessors", tuple(desired_after), tuple(live_after)),
        ("description", desired_text, live_text),
        ("custom_fields", {"K": desired_after}, {"K": list(reversed(live_after))}),
    ):
        assert planner_differs(field, desired, live) == apply_differs(field, desired, live)
