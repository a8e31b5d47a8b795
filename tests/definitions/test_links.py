"""A task's links: a template by name, on a task of the `linked` type named after it."""

from __future__ import annotations

from runform.providers.cutover.state.shapes import TaskLink

LINKED = """\
runbook: {name: R}
tasks:
  - name: Database failover
    type: linked
    links: [{template: Database failover}]
"""


def test_a_link_names_a_template(load) -> None:
    (task,) = load(LINKED).trees[0].tasks
    assert task.links == (TaskLink(template="Database failover"),)


def test_a_link_needs_a_type_and_the_templates_name(problems) -> None:
    found = problems(
        LINKED.replace("    type: linked\n", "").replace("  - name: Database", "  - name: Data")
    )
    assert found == [
        "3:5: tasks[0].name: a task linking template 'Database failover' takes its name: "
        "name the task 'Database failover'",
        "4:5: tasks[0].links: a task with links needs `type:` the task type with key `linked` "
        "(choices: linked)",
    ]


def test_one_link_at_most(problems) -> None:
    text = LINKED.replace("[{template: Database failover}]", "[{template: A}, {template: B}]")
    assert problems(text)[0].startswith("5:5: tasks[0].links: List should have at most 1 item")
