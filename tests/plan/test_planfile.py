"""Plan files: round trip, refusal of damaged or foreign files, fingerprints."""

from __future__ import annotations

import json

import pytest

from runform.errors import PlanError
from runform.providers.cutover.plan.diff import diff_runbook
from runform.providers.cutover.plan.fingerprint import absent_key, fingerprint_of, stale_keys
from runform.providers.cutover.plan.model import Plan
from runform.providers.cutover.plan.planfile import load_plan, save_plan
from runform.providers.cutover.state.shapes import TaskState

from .states import desired_tree, live_copy, template_runbook


def _plan() -> Plan:
    tree = desired_tree(template=True, tasks=(TaskState(name="Smoke test", duration=60),))
    return Plan(
        target="http://example.test",
        roots=[diff_runbook(tree, None, template_runbook())],
        fingerprint=fingerprint_of([template_runbook()], [("Default", "Payments release")]),
    )


def test_round_trip(tmp_path):
    plan = _plan()
    save_plan(plan, tmp_path / "out" / "plan.json")
    assert load_plan(tmp_path / "out" / "plan.json") == plan
    assert not list((tmp_path / "out").glob("*.partial"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", r"plan.json:1:2: not a plan file"),
        ("[]", "no format_version"),
        ('{"format_version": 99}', "version 99 is not supported"),
        ('{"format_version": 2, "roots": [{"name": 1}]}', "damaged plan file at roots.0"),
        (
            '{"format_version": 2, "roots": [{"provider": "x", "name": "R", "address": "r"}]}',
            "unknown provider 'x'",
        ),
        (
            '{"format_version": 1, "runbooks": []}',
            r"version 1 is not supported \(made by an older runform\)",
        ),
    ],
)
def test_bad_files_are_clear_errors(tmp_path, text, message):
    path = tmp_path / "plan.json"
    path.write_text(text)
    with pytest.raises(PlanError, match=message):
        load_plan(path)


def test_missing_file(tmp_path):
    with pytest.raises(PlanError, match="no such plan file"):
        load_plan(tmp_path / "nope.json")


def test_fingerprint_covers_every_object_and_spots_changes():
    template = template_runbook()
    live = live_copy(template, "Copy")
    prints = fingerprint_of([live], [("Default", "New one")])
    assert prints["runbook:100"] == "2026-02-01T00:00:00Z"
    assert len([k for k in prints if k.startswith("task:")]) == 12
    assert len([k for k in prints if k.startswith("stream:")]) == 4
    assert prints[absent_key("Default", "New one")] is None
    changed = dict(prints)
    changed["task:ct3"] = "2026-03-01T00:00:00Z"
    del changed["task:ct4"]
    changed["task:new"] = "x"
    assert stale_keys(prints, changed) == ["task:ct3", "task:ct4", "task:new"]
    assert json.dumps(prints)  # JSON-ready


def test_a_plan_file_that_cannot_be_written_is_a_plan_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file, not a folder\n")
    with pytest.raises(PlanError, match="cannot write the plan file"):
        save_plan(Plan(roots=[]), blocker / "plan.json")
