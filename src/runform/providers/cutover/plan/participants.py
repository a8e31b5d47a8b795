"""User assignees Cutover would ignore: one check for the plan and for `validate --online`.

Round 2: only participants of a runbook can be assigned; the API silently ignores anyone
else, so a plan assigning a non-participant would show the same change after every apply.
"""

from __future__ import annotations

from runform.providers.cutover.plan.current import CurrentRunbook
from runform.providers.cutover.state.shapes import RunbookTree, TaskState
from runform.text.safe import choices_text, shown


def participant_problems(tree: RunbookTree, current: CurrentRunbook) -> list[str]:
    """Each user assignee who is not a participant, at its task's file:line (canonical names)."""
    return [
        not_a_participant(tree, task, assignee.name, current)
        for task in tree.tasks
        for assignee in task.assignees or ()
        if assignee.kind == "user" and assignee.name not in current.participants
    ]


def not_a_participant(
    tree: RunbookTree, task: TaskState, user: str, current: CurrentRunbook
) -> str:
    """The message for one such assignee, saying what would make the assignment work."""
    teams = f" (its teams: {choices_text(current.teams)})" if current.teams else ""
    return (
        f'{tree.where(task.name)}: task "{shown(task.name)}": user "{shown(user)}" is not a '
        "participant of the runbook, and Cutover silently ignores such assignees; assign a "
        f"runbook team the user belongs to{teams}, or bring the user in by copying a template "
        "whose teams or tasks have them (template: with users: true)"
    )


def has_user_assignees(tree: RunbookTree) -> bool:
    """Whether any task assigns a user (only then do participants matter)."""
    return any(a.kind == "user" for t in tree.tasks for a in t.assignees or ())
