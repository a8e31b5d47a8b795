"""Tasks of a runbook: list (filters, sparse fields, forecast), create, get, patch, delete."""

from __future__ import annotations

from starlette.responses import Response

from runform.providers.cutover.sandbox import audit, jsonapi
from runform.providers.cutover.sandbox.context import Context, no_content
from runform.providers.cutover.sandbox.jsonapi import ref, refs
from runform.providers.cutover.sandbox.resources import task_bodies, task_links, task_rules
from runform.providers.cutover.sandbox.resources.custom_fields import check_required, render_values
from runform.providers.cutover.sandbox.resources.task_filters import filter_tasks
from runform.providers.cutover.sandbox.schedule import as_text, place, planned_times, runbook_start
from runform.providers.cutover.sandbox.store import Record, Store
from runform.providers.cutover.sandbox.validation import Problems

ATTRIBUTES = (
    "name",
    "description",
    "duration",
    "level",
    "start_fixed",
    "end_fixed",
    "start_requirements",
    "end_requirements",
    "disable_notify",
    "completion_type",
    "internal_id",
    "start_actual",
    "end_actual",
    "comments_count",
    "created_at",
    "updated_at",
)
DEFAULTS: Record = {
    "description": None,
    "level": "level_3",
    "start_fixed": None,
    "end_fixed": None,
    "start_requirements": "any_can_start",
    "end_requirements": "all_must_end",
    "disable_notify": False,
    "completion_type": "complete_normal",
    "custom_field_values": [],
    "assignees": [],
    "progress": None,
    "start_actual": None,
    "end_actual": None,
    "comments_count": 0,
    "source_runbook_id": None,
    "source_task_id": None,
    "task_links": [],
}
# The names `fields[task]` takes (Round 2 of the API notes, Task reads). What Cutover does
# with others is unknown (refuse or drop); the sandbox refuses them, the stricter answer,
# so a client asking for `assignees` or `internal_id` this way fails in tests.
SPARSE_FIELDS = frozenset(
    [
        "created_at",
        "comments_count",
        "completion_type",
        "custom_field_values",
        "description",
        "disable_notify",
        "duration",
        "elapsed_duration",
        "is_late",
        "end_actual",
        "end_display",
        "end_fixed",
        "end_planned",
        "end_requirements",
        "level",
        "message",
        "name",
        "start_actual",
        "start_display",
        "start_requirements",
        "start_fixed",
        "start_planned",
        "start_ready",
        "updated_at",
        "stage",
        "predecessors",
        "source_runbook",
        "source_task",
        "successors",
        "stream",
        "task_type",
    ]
)
# Stage names as today's client reports them; `default` is read as `not_startable`.
STAGES = ("not_startable", "startable", "in_progress", "complete")


def successors_of(store: Store, runbook_id: int) -> dict[int, list[int]]:
    """Successor ids per task, computed once per change to the runbook."""
    revision = store.revisions.get(runbook_id, 0)
    cached = store.memo.get(("successors", runbook_id))
    if cached is not None and cached[0] == revision:
        kept: dict[int, list[int]] = cached[1]
        return kept
    successors: dict[int, list[int]] = {}
    for task in sorted(store.of_runbook("task", runbook_id), key=lambda t: t["id"]):
        for predecessor in task.get("predecessor_ids") or []:
            successors.setdefault(predecessor, []).append(task["id"])
    store.memo[("successors", runbook_id)] = (revision, successors)
    return successors


def stage_of(store: Store, runbook: Record, task: Record) -> str:
    """Progress once started; before that, startable when every predecessor is complete."""
    if task.get("progress"):
        return str(task["progress"])
    if runbook.get("stage") not in ("active", "paused"):
        return "not_startable"
    for predecessor in task.get("predecessor_ids") or []:
        other = store.get("task", predecessor)
        if other is not None and other.get("progress") != "complete":
            return "not_startable"
    return "startable"


def ready_at(store: Store, runbook: Record, task: Record, stage: str) -> str | None:
    """When the task became ready to start, or null while it is not (Round 2: `start_ready` is
    a time, not a boolean): the later of the run's start and its predecessors' ends."""
    if stage == "not_startable" or not runbook.get("start_actual"):
        return None
    moments = [str(runbook["start_actual"])]
    for predecessor in task.get("predecessor_ids") or []:
        other = store.get("task", predecessor)
        if other is None:
            continue
        if not other.get("end_actual"):
            # Started by override before a predecessor ended: ready when it started.
            return str(task.get("start_actual") or runbook["start_actual"])
        moments.append(str(other["end_actual"]))
    return max(moments)


class TaskView:
    """What rendering tasks of one runbook needs, looked up once per request, not per task."""

    def __init__(self, ctx: Context, runbook: Record, *, forecast: bool = False) -> None:
        self.store = ctx.store
        self.runbook = runbook
        self.forecast = forecast
        self.times = planned_times(ctx.store, runbook)
        self.successors = successors_of(ctx.store, runbook["id"])
        self.wanted = sparse_fields(ctx)
        self.link_prefix = ctx.link(f"/core/runbooks/{runbook['id']}/tasks/")
        self.runbook_ref = ref("runbook", runbook["id"])
        self.version_ref = ref("runbook_version", runbook["id"])

    def render(self, record: Record) -> dict[str, object]:
        """The task's resource object (only the sparse fields asked for, in document order)."""
        return self.render_as(record, forecast=self.forecast)

    def forecast_ids(self, record: Record) -> dict[str, object]:
        """The attributes a forecast read adds after all others."""
        return {
            "predecessor_ids": [str(i) for i in record.get("predecessor_ids") or []],
            "successor_ids": [str(i) for i in self.successors.get(record["id"], [])],
        }

    def render_as(self, record: Record, *, forecast: bool) -> dict[str, object]:
        """`render`, with or without the forecast attributes whatever was asked for."""
        wanted = self.wanted
        attributes = {key: record.get(key) for key in ATTRIBUTES}
        if wanted is None or "custom_field_values" in wanted:
            values = record.get("custom_field_values")
            attributes["custom_field_values"] = render_values(self.store, values) if values else []
        stage = stage_of(self.store, self.runbook, record)
        attributes["stage"] = stage
        start, end = self.times.get(record["id"], (0.0, 0.0))
        attributes["start_planned"] = start_planned = as_text(start)
        attributes["end_planned"] = end_planned = as_text(end)
        attributes["start_display"] = record.get("start_actual") or start_planned
        attributes["end_display"] = record.get("end_actual") or end_planned
        attributes["start_ready"] = ready_at(self.store, self.runbook, record, stage)
        attributes["task_links"] = task_links.render_links(record)
        successors = self.successors.get(record["id"], [])
        if forecast:
            attributes.update(self.forecast_ids(record))
        relationships = {
            "runbook": self.runbook_ref,
            "task_type": ref("task_type", record.get("task_type_id")),
            "stream": ref("stream", record.get("stream_id")),
            "runbook_version": self.version_ref,
            "task_action": None,
            "predecessors": refs("task", record.get("predecessor_ids") or []),
            "successors": refs("task", successors),
            "assignees": [
                {"id": str(a["id"]), "type": a["type"]} for a in record.get("assignees") or []
            ],
            "source_runbook": ref("runbook", record.get("source_runbook_id")),
            "source_task": ref("task", record.get("source_task_id")),
        }
        if wanted is not None:
            attributes = {key: value for key, value in attributes.items() if key in wanted}
            relationships = {key: value for key, value in relationships.items() if key in wanted}
        link = f"{self.link_prefix}{record['id']}"
        return jsonapi.resource("task", record["id"], attributes, relationships, link)


def sparse_fields(ctx: Context) -> set[str] | None:
    """The `fields[task]` asked for; 400 for a name the reference does not list."""
    wanted = ctx.fields("task")
    unknown = sorted((wanted or set()) - SPARSE_FIELDS)
    if unknown:
        raise jsonapi.ApiFailure.one(
            400,
            f"fields[task] does not take {', '.join(unknown)}",
            "invalid",
            parameter="fields[task]",
        )
    return wanted


def render_task(
    ctx: Context, runbook: Record, record: Record, *, forecast: bool = False
) -> dict[str, object]:
    return TaskView(ctx, runbook, forecast=forecast).render(record)


def find_task(ctx: Context, runbook: Record) -> Record:
    record = ctx.fetch("task", ctx.path_id("task_id", "task"), "task")
    if record["runbook_id"] != runbook["id"]:
        raise jsonapi.not_found("task", record["id"])
    return record


def list_tasks(ctx: Context) -> Response:
    runbook = ctx.fetch("runbook", ctx.path_id("runbook_id", "runbook"), "runbook")
    records = sorted(ctx.store.of_runbook("task", runbook["id"]), key=lambda r: r["id"])
    records = filter_tasks(ctx, runbook, records, lambda r: stage_of(ctx.store, runbook, r))
    forecast = bool(ctx.flag("forecast"))
    view = TaskView(ctx, runbook, forecast=forecast)
    # Forecast answers hold every task "regardless of pagination", yet keep the page's links
    # (links.next included): Cutover's own client does not follow them.
    if view.wanted is None:  # every field: the texts kept since the last write serve
        return ctx.encoded_listing(records, task_bodies.encoder(ctx, view), whole=forecast)
    return ctx.listing(records, view.render, whole=forecast)


def get_task(ctx: Context) -> Response:
    runbook = ctx.fetch("runbook", ctx.path_id("runbook_id", "runbook"), "runbook")
    return ctx.single(render_task(ctx, runbook, find_task(ctx, runbook)))


def create_task(ctx: Context) -> Response:
    runbook = ctx.fetch("runbook", ctx.path_id("runbook_id", "runbook"), "runbook")
    sparse_fields(ctx)  # refused before anything is written
    task_rules.ensure_editable(ctx.store, runbook)
    problems = Problems()
    changes = task_rules.check_attributes(ctx.store, ctx.attributes(), None, problems)
    changes |= task_rules.check_relationships(
        ctx.store, runbook, ctx.relationships(), None, problems
    )
    task_rules.check_duration(ctx.store, changes, None, problems)
    links = task_links.check_links(
        ctx.store, ctx.attributes(), changes.get("task_type_id"), None, problems
    )
    check_required(
        ctx.store,
        changes.get("custom_field_values"),
        "task_add_edit",
        runbook.get("workspace_id"),
        problems,
    )
    problems.raise_if_any()
    now = ctx.store.now()
    internal_id = int(runbook.get("next_internal_id") or 1)
    record = {
        **DEFAULTS,
        **changes,
        "runbook_id": runbook["id"],
        "internal_id": internal_id,
        "created_at": now,
        "updated_at": now,
    }
    before = ctx.store.revisions.get(runbook["id"], 0)
    with ctx.store.transaction():
        if links is not None:
            record["task_links"], name = task_links.write_links(ctx, runbook, links)
            if name is not None:
                record["name"] = name  # a runbook link names the task after its template
        record = ctx.store.insert("task", record)
        runbook = ctx.store.update("runbook", runbook["id"], {"next_internal_id": internal_id + 1})
        audit.created(ctx.store, "task", record, runbook)
    _carry_memos(ctx.store, runbook, before, record)
    return ctx.single(render_task(ctx, runbook, record), 201)


def _carry_memos(store: Store, runbook: Record, before: int, task: Record) -> None:
    """Extend the cached schedule, successors and counts with a new task instead of
    recomputing them: nothing can depend on a task that did not exist."""
    runbook_id = runbook["id"]
    after = store.revisions.get(runbook_id, 0)
    schedule = store.memo.get(("schedule", runbook_id))
    if schedule is not None and schedule[0] == before:
        times = dict(schedule[1])
        earliest = max(
            [runbook_start(runbook)] + [times[p][1] for p in task["predecessor_ids"] if p in times]
        )
        times[task["id"]] = place(task, earliest)
        store.memo[("schedule", runbook_id)] = (after, times)
    successors = store.memo.get(("successors", runbook_id))
    if successors is not None and successors[0] == before:
        extended = dict(successors[1])
        for predecessor in task["predecessor_ids"]:
            extended[predecessor] = [*extended.get(predecessor, []), task["id"]]
        store.memo[("successors", runbook_id)] = (after, extended)
    counts = store.memo.get(("task_counts", runbook_id))
    if counts is not None and counts[0] == before:
        updated = counts[1].copy()
        updated[task["stream_id"]] += 1
        store.memo[("task_counts", runbook_id)] = (after, updated)


def patch_task(ctx: Context) -> Response:
    runbook = ctx.fetch("runbook", ctx.path_id("runbook_id", "runbook"), "runbook")
    sparse_fields(ctx)  # refused before anything is written
    old = find_task(ctx, runbook)
    task_rules.ensure_editable(ctx.store, runbook)
    problems = Problems()
    changes = task_rules.check_attributes(ctx.store, ctx.attributes(), old, problems)
    changes |= task_rules.check_relationships(
        ctx.store, runbook, ctx.relationships(), old, problems
    )
    task_rules.check_duration(ctx.store, changes, old, problems)
    task_type_id = changes.get("task_type_id") or old.get("task_type_id")
    links = task_links.check_links(ctx.store, ctx.attributes(), task_type_id, old, problems)
    problems.raise_if_any()
    if "assignees" in changes and not ctx.meta().get("delete_excluded_assignees"):
        kept = list(old.get("assignees") or [])
        changes["assignees"] = kept + [a for a in changes["assignees"] if a not in kept]
    with ctx.store.transaction():
        if links is not None:
            changes["task_links"], name = task_links.write_links(ctx, runbook, links)
            if name is not None:
                changes["name"] = name
        record = ctx.store.update("task", old["id"], {**changes, "updated_at": ctx.store.now()})
        audit.updated(ctx.store, "task", old, record, runbook)
    return ctx.single(render_task(ctx, runbook, record))


def delete_task(ctx: Context) -> Response:
    runbook = ctx.fetch("runbook", ctx.path_id("runbook_id", "runbook"), "runbook")
    old = find_task(ctx, runbook)
    task_rules.ensure_editable(ctx.store, runbook)
    now = ctx.store.now()
    with ctx.store.transaction():
        for successor in successors_of(ctx.store, runbook["id"]).get(old["id"], []):
            task = ctx.store.get("task", successor)
            if task is not None:
                remaining = [p for p in task["predecessor_ids"] if p != old["id"]]
                ctx.store.update(
                    "task", successor, {"predecessor_ids": remaining, "updated_at": now}
                )
        ctx.store.delete("task", old["id"])
        audit.deleted(ctx.store, "task", old, runbook)
    return no_content()


ROUTES = [
    ("GET", "/core/runbooks/{runbook_id}/tasks", list_tasks),
    ("POST", "/core/runbooks/{runbook_id}/tasks", create_task),
    ("GET", "/core/runbooks/{runbook_id}/tasks/{task_id}", get_task),
    ("PATCH", "/core/runbooks/{runbook_id}/tasks/{task_id}", patch_task),
    ("DELETE", "/core/runbooks/{runbook_id}/tasks/{task_id}", delete_task),
]
