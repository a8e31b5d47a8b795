"""The delete safety limit."""

from __future__ import annotations

import pytest

from runform.errors import PlanError
from runform.providers.cutover.plan.deletes import check_delete_limits
from runform.providers.cutover.plan.diff import diff_runbook
from runform.providers.cutover.plan.options import PlanOptions
from runform.providers.cutover.state.shapes import TaskState

from .states import desired_tree, live_of


def _plan(keep: int, total: int):
    live = live_of(desired_tree(tasks=tuple(TaskState(name=f"T{i}") for i in range(total))))
    tree = desired_tree(tasks=tuple(TaskState(name=f"T{i}") for i in range(keep)))
    return diff_runbook(tree, live, None)


def test_within_limits_passes():
    check_delete_limits([_plan(keep=9, total=10)], PlanOptions())  # 10%


def test_share_of_a_runbook_is_refused():
    with pytest.raises(PlanError, match=r"delete 3 of its 10 tasks \(30%, limit 25%\)"):
        check_delete_limits([_plan(keep=7, total=10)], PlanOptions())


def test_count_across_the_plan_is_refused():
    plans = [_plan(keep=18, total=20) for _ in range(6)]  # 12 deletions, 10% each
    with pytest.raises(PlanError, match=r"delete 12 objects \(limit 10\)"):
        check_delete_limits(plans, PlanOptions())


def test_allow_deletes_and_configured_limits():
    plan = _plan(keep=5, total=10)
    check_delete_limits([plan], PlanOptions(allow_deletes=True))
    check_delete_limits([plan], PlanOptions(delete_limit_percent=50))
    with pytest.raises(PlanError, match="limit 4"):
        check_delete_limits([plan], PlanOptions(delete_limit_percent=100, delete_limit_count=4))
