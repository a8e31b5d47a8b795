"""What a runbook's plan must refuse before any write: names that point at nothing, users who
are not participants, durations the task type refuses, and cycles through template tasks."""

from __future__ import annotations

from runform.errors import PlanError
from runform.providers.cutover.definitions.cycles import cycle_messages
from runform.providers.cutover.definitions.durations import format_duration
from runform.providers.cutover.plan.draft import Draft
from runform.providers.cutover.plan.model import Action, Kind
from runform.providers.cutover.plan.options import PlanOptions
from runform.providers.cutover.plan.participants import not_a_participant
from runform.providers.cutover.state.shapes import RunbookTree
from runform.text.safe import choices_text, shown
from runform.text.suggest import Suggester


def _at(desired: RunbookTree, task: str) -> str:
    """Where a task is written, as a problem begins (built only for a problem)."""
    return f'{desired.where(task)}: task "{shown(task)}"'


def check_references(
    draft: Draft, desired: RunbookTree, streams: set[str], options: PlanOptions
) -> None:
    """Every stream and predecessor a file task names must exist once the plan is applied,
    and nothing the plan sends may be what Cutover refuses."""
    problems = zero_durations(draft, desired, options)
    tasks = set(draft.final_tasks)
    created = {c.name for c in draft.changes if c.kind == Kind.TASK and c.action is Action.CREATE}
    existing: Suggester | None = None
    predecessors: Suggester | None = None
    for task in desired.tasks:
        if task.name in created and not task.stream:
            # Often a misspelt template task, which would become a near-duplicate of it: the
            # create stands (a task needs no `stream:`), and the reviewer is told.
            existing = existing or Suggester(tasks - created)
            meant = existing.best(task.name)
            if meant is not None:
                draft.warnings.append(
                    f'task "{shown(task.name)}" ({desired.where(task.name)}) is new: no task of '
                    f'that name in the runbook or its template; did you mean "{shown(meant)}"?'
                )
        if task.stream and task.stream not in streams:
            problems.append(
                f'{_at(desired, task.name)}: stream "{shown(task.stream)}" is not in the files, '
                f"the template or Cutover (streams: {choices_text(streams) or 'none'})"
            )
        for pred in task.predecessors or ():
            if pred not in tasks:
                # Built once: many typos may point into the same names.
                predecessors = predecessors or Suggester(tasks)
                meant = predecessors.best(pred)
                problems.append(
                    f'{_at(desired, task.name)}: after: "{shown(pred)}" is neither a task in the '
                    "files nor one the runbook or its template has"
                    + (f'; did you mean "{shown(meant)}"?' if meant else "")
                )
        if task.assignees:
            for assignee in task.assignees:
                if assignee.kind == "user" and assignee.name not in draft.current.participants:
                    problems.append(not_a_participant(desired, task, assignee.name, draft.current))
                if assignee.kind == "team" and assignee.name not in draft.current.teams:
                    draft.warnings.append(
                        f'task "{shown(task.name)}": team "{shown(assignee.name)}" is not a team '
                        "of this runbook (Cutover adds teams to a runbook only by copying a "
                        "template)"
                    )
    for stream in desired.streams:
        if stream.parent and stream.parent not in streams:
            problems.append(
                f'{desired.where()}: stream "{shown(stream.name)}": parent stream '
                f'"{shown(stream.parent)}" is unknown'
            )
    if not problems:
        # Checked before the schedule is: a cycle through template tasks is named at the
        # file's task that closes it, before anything is written.
        graph = {name: list(state.predecessors or ()) for name, state in draft.final_tasks.items()}
        problems += cycle_messages(graph, desired.task_sources)
    if problems:
        raise PlanError(
            f'runbook "{shown(draft.name)}" ({desired.where()}):\n  ' + "\n  ".join(problems)
        )


def zero_durations(draft: Draft, desired: RunbookTree, options: PlanOptions) -> list[str]:
    """`duration: 0` sent for a task whose type has a default duration: refused at apply.

    Cutover's own rule is unknown; this is the sandbox's (`task_rules.check_duration`): 0 is
    taken only by types whose default duration is 0 (milestones, linked runbooks), judged by
    the task's type after the change (its own, else the tenant's default for a new task).
    """
    sent = {
        c.name
        for c in draft.changes
        if c.kind == Kind.TASK
        and (c.action is Action.CREATE or any(f.field == "duration" for f in c.fields))
    }
    problems = []
    for task in desired.tasks:
        if task.duration != 0 or task.name not in sent:
            continue
        final = draft.final_tasks.get(task.name, task)
        kind = final.type or options.default_task_type
        default = options.default_durations.get(kind or "", 0)
        if default > 0:
            problems.append(
                f'{desired.where(task.name)}: task "{shown(task.name)}": duration 0 is refused '
                f'for task type "{shown(kind)}", whose default duration is '
                f"{format_duration(default)} (only types whose default is 0, such as "
                "milestones, take 0): give a duration, or such a type"
            )
    return problems
