"""Desired runbook vs what Cutover holds (or a template copy would hold): a RunbookPlan."""

from __future__ import annotations

from collections import Counter
from typing import Any

from runform.core.order import with_dependencies
from runform.errors import PlanError
from runform.providers.cutover.plan.current import (
    starting_state,
)
from runform.providers.cutover.plan.draft import (
    Draft,
    before_values,
    full_values,
    matched_action,
    matched_change,
)
from runform.providers.cutover.plan.match import match_streams, match_tasks
from runform.providers.cutover.plan.model import (
    Action,
    Change,
    Kind,
    RunbookPlan,
    Schedule,
    runbook_address,
    stream_address,
    task_address,
)
from runform.providers.cutover.plan.options import PlanOptions
from runform.providers.cutover.plan.outline import outline_after, outline_before
from runform.providers.cutover.plan.references import check_references
from runform.providers.cutover.plan.rto import plan_rto
from runform.providers.cutover.plan.schedule import compute_schedule
from runform.providers.cutover.plan.streams import plan_streams
from runform.providers.cutover.plan.values import (
    field_changes,
    managed_values,
    merged,
)
from runform.providers.cutover.schema import CUTOVER
from runform.providers.cutover.state.shapes import (
    LiveRunbook,
    RunbookState,
    RunbookTree,
    TaskState,
)


def diff_runbook(
    desired: RunbookTree,
    live: LiveRunbook | None,
    template: LiveRunbook | None,
    options: PlanOptions | None = None,
) -> RunbookPlan:
    """Plan one runbook: match, diff managed fields, predict a template copy, plan deletes."""
    options = options or PlanOptions()
    name = desired.runbook.name
    current = starting_state(desired, live, template)
    draft = Draft(name=name, current=current, warnings=list(desired.warnings))
    # Streams are matched first: tasks follow a renamed stream (the primary one included).
    draft.streams = match_streams(
        name, desired.streams, current.streams, desired.stream_renamed_from
    )
    draft.stream_renames = {
        base.state.name: new for new, base in draft.streams.items() if base.state.name != new
    }
    final_runbook = _plan_runbook(draft, desired, template)
    _plan_tasks(draft, desired)
    stream_names = plan_streams(draft, desired)
    check_references(draft, desired, stream_names, options)
    plan_rto(draft, desired)
    draft.changes.sort(key=lambda c: (_rank(c), draft.positions.get(c.address, 0)))
    draft.changes = with_dependencies(draft.changes, CUTOVER)
    before = outline_before(current)
    # Nothing to change: the outline after is the live one (`outline_after` would rebuild it).
    after = before if live is not None and not draft.changes else outline_after(draft, desired)
    plan = RunbookPlan(
        name=name,
        address=runbook_address(name),
        live_id=live.id if live else None,
        source=desired.source,
        changes=draft.changes,
        unchanged={k: v for k, v in draft.unchanged.items() if v},
        warnings=draft.warnings,
        live_ids=_live_ids(name, draft),
        outline_before=before,
        outline_after=after,
    )
    start = final_runbook.start_scheduled or final_runbook.start_planned
    if live is not None:
        plan.schedule_before = _schedule(
            name,
            {t.state.name: t.state for t in current.tasks},
            start,
            options,
            live.state.start_scheduled,
        )
    if live is not None and not draft.changes:
        plan.schedule_after = plan.schedule_before  # nothing changes, the schedule neither
    else:
        plan.schedule_after = _schedule(
            name, draft.final_tasks, start, options, final_runbook.start_scheduled
        )
    if (
        live is not None
        and live.stage != "planning"
        and not live.dynamic
        and not all(_allowed_while_running(change) for change in draft.changes)
    ):
        plan.appliable = False
        plan.refusal = (
            f"the runbook is {live.stage} and its type ({live.state.type}) is not dynamic, "
            "so Cutover does not allow edits until it is back in planning (only the "
            "runbook's status and status_message may change during a run)"
        )
    return plan


# A running runbook's RAG status is how its progress is reported: Cutover takes it at any stage.
EDITABLE_WHILE_RUNNING = frozenset(("status", "status_message"))


def _allowed_while_running(change: Change) -> bool:
    """Whether Cutover takes this change while a runbook of a type that is not dynamic runs."""
    return (
        change.kind == Kind.RUNBOOK
        and change.action is Action.UPDATE
        and all(f.field in EDITABLE_WHILE_RUNNING for f in change.fields)
    )


def _plan_runbook(draft: Draft, desired: RunbookTree, template: LiveRunbook | None) -> RunbookState:
    """The runbook's own change; returns the runbook state after the plan."""
    wanted = desired.runbook
    address = runbook_address(draft.name)
    live = draft.current.live
    common: dict[str, Any] = {"address": address, "kind": Kind.RUNBOOK, "root": draft.name}
    if live is not None:
        fields = field_changes(wanted, live.state)
        draft.add(
            Change(
                **common,
                name=draft.name,
                action=Action.UPDATE if fields else Action.NOOP,
                id=live.id,
                before=before_values(wanted, live.state),
                after=managed_values(wanted),
                fields=fields,
                # Matched by its `renamed_from` name: the name's change is a rename, not drift.
                renamed_from=live.state.name if live.state.name != wanted.name else None,
            )
        )
        return merged(live.state, wanted)
    copy = None
    if draft.current.predicted and desired.copy_from is not None and template is not None:
        spec = desired.copy_from
        copy = {
            "template": template.state.name,
            "template_id": template.id,
            "tasks": spec.tasks,
            "teams": spec.teams,
            "users": spec.users,
        }
    draft.add(
        Change(
            **common,
            name=draft.name,
            action=Action.COPY if copy else Action.CREATE,
            after=managed_values(wanted),
            copy=copy,
        )
    )
    return wanted


def _plan_tasks(draft: Draft, desired: RunbookTree) -> None:
    current = draft.current
    matches = match_tasks(draft.name, desired.tasks, current.tasks, desired.renamed_from)
    renames = {base.state.name: new for new, base in matches.items() if base.state.name != new}
    streams = draft.stream_renames
    absent = set(desired.absent)
    listed_absent = absent & {t.name for t in desired.tasks}
    if listed_absent:
        raise PlanError(
            f'runbook "{draft.name}": tasks both listed and marked absent: '
            + ", ".join(sorted(listed_absent))
        )
    matched_ids = {id(base) for base in matches.values()}
    listed = {t.name for t in desired.tasks}
    primary = draft.stream_name(next((s.state.name for s in current.streams if s.is_primary), None))
    index_of = {id(base): i for i, base in enumerate(current.tasks)}
    addresses = {task.name: task_address(draft.name, task.name) for task in desired.tasks}
    for i, task in enumerate(desired.tasks):
        base = matches.get(task.name)
        position = index_of[id(base)] if base is not None else len(current.tasks) + i
        draft.positions[addresses[task.name]] = position
    for base in current.tasks:
        if id(base) not in matched_ids:
            draft.positions[task_address(draft.name, base.state.name)] = index_of[id(base)]
    for task in desired.tasks:
        base = matches.get(task.name)
        if base is not None and not base.from_template and task.predecessors is None:
            # The file owns the graph of the tasks it brings: no `after:` means no predecessors.
            # Template tasks keep the template's predecessors unless the file names others.
            task = task.model_copy(update={"predecessors": ()})
        common: dict[str, Any] = {
            "address": addresses[task.name],
            "kind": Kind.TASK,
            "root": draft.name,
        }
        if base is None:
            if task.stream is None and primary is not None:
                # Round 2, Streams: a task created without a stream lands in the primary one;
                # the plan names it rather than leave it "known after apply".
                task = task.model_copy(update={"stream": primary})
            after = managed_values(task)
            after.setdefault("predecessors", [])
            draft.add(Change(**common, name=task.name, action=Action.CREATE, after=after))
            draft.final_tasks[task.name] = task
            continue
        base_state = _renamed(base.state, renames, streams)
        fields = field_changes(task, base_state)
        if matched_action(fields, current.predicted) is Action.NOOP:
            draft.unchanged["task"] += 1  # counted, not listed: no need to build the change
        else:
            named = {**common, "name": task.name}
            draft.add(matched_change(named, task, base, base_state, fields, current.predicted))
        # No field differs (once normalized): the live state already is the final one.
        draft.final_tasks[task.name] = merged(base_state, task) if fields else base_state
        draft.base_tasks[task.name] = base
    found_absent: set[str] = set()
    for base in current.tasks:
        if id(base) in matched_ids:
            continue
        name = base.state.name
        address = task_address(draft.name, name)
        common = {"address": address, "kind": Kind.TASK, "root": draft.name, "name": name}
        if name in absent or not (current.predicted or base.from_template):
            found_absent.add(name)
            draft.deleted_tasks.append(base)
            draft.add(
                Change(
                    **common,
                    action=Action.DELETE,
                    id=base.id,
                    before=full_values(base.state),
                    from_template=base.from_template,
                )
            )
            continue
        state = _renamed(base.state, renames, streams)
        draft.final_tasks[name] = state
        draft.base_tasks[name] = base
        if current.predicted:
            draft.add(
                Change(**common, action=Action.COPY, after=full_values(state), from_template=True)
            )
        else:
            draft.unchanged["task"] += 1
    for name in sorted(absent - found_absent):
        draft.warnings.append(f'absent task "{name}" is not in the template nor in Cutover')
    gone = {t.state.name for t in draft.deleted_tasks}
    for name, state in list(draft.final_tasks.items()):
        preds = state.predecessors or ()
        if name not in listed and any(p in gone for p in preds):
            draft.final_tasks[name] = state.model_copy(
                update={"predecessors": tuple(p for p in preds if p not in gone)}
            )


# Keyed by `Change.kind`, a str: the Kind members are equal to (and hash as) their values.
_RANKS: dict[str, int] = {Kind.RUNBOOK: 0, Kind.STREAM: 1, Kind.TASK: 2, Kind.RTO: 3}


def _rank(change: Change) -> int:
    """Reading order: the runbook, streams, tasks, the RTO, then deletes (not apply order)."""
    if change.action is Action.DELETE:
        return 4 if change.kind == Kind.TASK else 5
    return _RANKS[change.kind]


def _renamed(state: TaskState, renames: dict[str, str], streams: dict[str, str]) -> TaskState:
    """A base task with predecessor and stream names following renames planned in the same
    runbook (task renames, then stream renames)."""
    update: dict[str, Any] = {}
    if renames and state.predecessors:
        update["predecessors"] = tuple(renames.get(p, p) for p in state.predecessors)
    if state.stream in streams:
        update["stream"] = streams[state.stream]
    return state.model_copy(update=update) if update else state


def _schedule(
    name: str,
    tasks: dict[str, TaskState],
    start: Any,
    options: PlanOptions,
    scheduled: Any = None,
) -> Schedule:
    """The schedule of `tasks`, with what policies read of it: tasks by type, and the
    runbook's start_scheduled."""
    durations = {}
    for task_name, task in tasks.items():
        duration = task.duration
        if duration is None:
            duration = options.default_durations.get(
                task.type or options.default_task_type or "", 0
            )
        durations[task_name] = duration
    preds = {n: t.predecessors or () for n, t in tasks.items()}
    types = Counter(task.type or options.default_task_type or "" for task in tasks.values())
    return compute_schedule(name, durations, preds, start).model_copy(
        update={
            "task_types": dict(sorted(types.items())),
            "start_scheduled": scheduled.isoformat() if scheduled else None,
        }
    )


def _live_ids(name: str, draft: Draft) -> dict[str, str]:
    """Address → live id of every existing stream and task, under its name after the plan."""
    ids = {
        stream_address(name, draft.stream_name(s.state.name) or s.state.name): s.id
        for s in draft.current.streams
        if s.id
    }
    for final_name, base in draft.base_tasks.items():
        if base.id:
            ids[task_address(name, final_name)] = base.id
    for base in draft.deleted_tasks:
        if base.id:
            ids[task_address(name, base.state.name)] = base.id
    return ids
