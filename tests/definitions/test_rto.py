"""A runbook's `rto`: a duration as task durations are written, and two tasks of the runbook."""

from __future__ import annotations

from runform.providers.cutover.state.shapes import RtoState

RTO = """
runbook:
  name: R
  rto: {duration: 4h30m, start: begin, end: Finish}
tasks:
  - key: begin
    name: Start failover
  - name: Finish
"""


def test_rto_tasks_are_keys_or_names_and_the_duration_is_seconds(load) -> None:
    tree = load(RTO).trees[0]
    assert tree.rto == RtoState(rto=16200, rto_start_task="Start failover", rto_end_task="Finish")
    assert "rto" not in tree.runbook.model_fields_set


def test_a_runbook_without_rto_leaves_it_alone(load) -> None:
    assert load("runbook: {name: R}\n").trees[0].rto is None


def test_rto_tasks_must_name_tasks_and_the_duration_must_be_one(problems) -> None:
    found = problems(RTO.replace("4h30m", "4x").replace("end: Finish", "end: Finsh"))
    assert found[0].startswith("4:9: runbook.rto.duration: '4x' is not a duration; use seconds")
    found = problems(RTO.replace("end: Finish", "end: Finsh"))
    assert found == [
        "4:40: runbook.rto.end: unknown task key 'Finsh'; did you mean 'Finish'? "
        "(choices: Finish, Start failover, begin, finish)"
    ]


def test_rto_needs_all_three_keys(problems) -> None:
    found = problems("runbook:\n  name: R\n  rto: {duration: 1h, start: a}\ntasks:\n  - name: a\n")
    assert found == ["3:3: runbook.rto: missing required key 'end'"]


def test_with_a_template_an_unknown_name_may_be_a_template_task(load, problems) -> None:
    text = """
    runbook:
      name: R
      template: {name: T}
      rto: {duration: 1h, start: Template task, end: gone}
    tasks:
      - name: gone
        absent: true
    """
    assert problems(text) == ["5:45: runbook.rto.end: the RTO's end task 'gone' is marked absent"]
    tree = load(text.replace("end: gone", "end: Other")).trees[0]
    assert tree.rto == RtoState(rto=3600, rto_start_task="Template task", rto_end_task="Other")
