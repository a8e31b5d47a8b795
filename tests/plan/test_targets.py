"""--target / --exclude address globs."""

from __future__ import annotations

import pytest

from runform.errors import PlanError
from runform.providers.cutover.plan.diff import diff_runbook
from runform.providers.cutover.plan.targets import (
    address_matches,
    check_targets,
    runbook_selected,
    select_changes,
)
from runform.providers.cutover.state.shapes import StreamState, TaskState

from .states import desired_tree, live_of


def test_globs_treat_brackets_and_quotes_literally():
    address = 'runbook["Pay [x]"].task["Smoke test"]'
    assert address_matches(address, ['runbook["Pay [x]"]'])  # a runbook covers its tasks
    assert address_matches(address, ['*.task["Smoke*"]'])
    assert not address_matches(address, ['runbook["Pay x"]'])
    assert not address_matches(address, ['*.task["Deploy*"]'])


def test_runbook_selection_before_fetching():
    assert runbook_selected("Pay", ['runbook["Pay"].task["A"]'], [])
    assert not runbook_selected("Other", ['runbook["Pay"].task["A"]'], [])
    assert runbook_selected("Other", ['*task["A"]'], [])
    assert not runbook_selected("Pay", [], ['runbook["P*"]'])


def _plan():
    tree = desired_tree(
        streams=(StreamState(name="S"),),
        tasks=(
            TaskState(name="A", stream="S"),
            TaskState(name="B", stream="S", predecessors=("A",)),
            TaskState(name="C", stream="S"),
        ),
    )
    return diff_runbook(tree, None, None)


def test_target_brings_what_it_depends_on():
    [plan] = select_changes([_plan()], ['*task["B"]'], [])
    assert [c.name for c in plan.changes] == ["Payments release", "S", "A", "B"]
    assert plan.warnings == ["1 change(s) left out by --target/--exclude"]


def test_exclude_drops_what_depends_on_it():
    [plan] = select_changes([_plan()], [], ['*task["A"]'])
    assert [c.name for c in plan.changes] == ["Payments release", "S", "C"]


def test_untargeted_runbooks_are_left_out():
    other = diff_runbook(desired_tree(name="Other"), live_of(desired_tree(name="Other")), None)
    plans = select_changes([_plan(), other], ['runbook["Payments*"]'], [])
    assert [p.name for p in plans] == ["Payments release"]


NAMES = ["Payments release", 'The "big" move']


@pytest.mark.parametrize(
    "targets",
    [
        ['runbook["Payments*"]'],
        ['runbook["Payments release"].task["Deploy*"]'],
        ['runbook["The \\"big\\" move"].stream["Build"]'],
        ["*Deploy*"],
    ],
)
def test_well_formed_targets_that_name_a_runbook_pass(targets):
    check_targets(NAMES, targets, ['runbook["Anything at all"]'])


@pytest.mark.parametrize(
    ("targets", "message"),
    [
        (["nonsense["], "not an address"),
        (['runbook["Payments release"].team["x"]'], "not an address"),
        (['runbook["Paymnts release"]'], "matches no runbook in the files"),
    ],
)
def test_a_malformed_or_unmatched_target_is_refused(targets, message):
    with pytest.raises(PlanError, match=message):
        check_targets(NAMES, targets, [])
