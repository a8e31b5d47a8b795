"""Critical path and planned end."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from runform.errors import PlanError
from runform.providers.cutover.plan.schedule import compute_schedule


def test_longest_chain_wins():
    schedule = compute_schedule(
        "R",
        {"a": 10, "b": 100, "c": 5, "d": 1},
        {"c": ["a", "b"], "d": ["a"]},
        datetime(2026, 1, 1, tzinfo=UTC),
    )
    assert schedule.critical_path == ("b", "c")
    assert schedule.critical_path_seconds == 105
    assert schedule.task_count == 4
    assert schedule.planned_end == "2026-01-01T00:01:45+00:00"


def test_cycle_is_an_error():
    with pytest.raises(PlanError, match="cycle"):
        compute_schedule("R", {"a": 1, "b": 1}, {"a": ["b"], "b": ["a"]})


def test_a_cycle_is_shown_as_its_path():
    """As `runform validate` shows it: each task, then the one it comes after."""
    with pytest.raises(PlanError) as cycle:
        compute_schedule("R", {"a": 1, "b": 1, "c": 1}, {"a": ["c"], "b": ["a"], "c": ["b"]})
    assert str(cycle.value) == 'runbook "R": tasks in a predecessor cycle: "a" → "c" → "b" → "a"'


def test_empty_runbook():
    assert compute_schedule("R", {}, {}).critical_path_seconds == 0


@given(st.lists(st.integers(0, 1000), min_size=1, max_size=30))
def test_a_chain_sums_and_parallel_tasks_take_the_max(durations):
    names = [f"t{i}" for i in range(len(durations))]
    chain = compute_schedule(
        "R",
        dict(zip(names, durations, strict=True)),
        {n: [names[i - 1]] for i, n in enumerate(names) if i},
    )
    assert chain.critical_path_seconds == sum(durations)
    parallel = compute_schedule("R", dict(zip(names, durations, strict=True)), {})
    assert parallel.critical_path_seconds == max(durations)


def test_a_schedule_past_the_year_9999_is_a_plan_error():
    with pytest.raises(PlanError, match="after the year 9999"):
        compute_schedule("R", {"a": 2 * 86400}, {}, datetime(9999, 12, 31, tzinfo=UTC))
