"""Running a runbook: start, pause, resume, cancel it; start, finish, skip its tasks."""

from __future__ import annotations

from starlette.responses import Response

from runform.providers.cutover.sandbox import audit, jsonapi
from runform.providers.cutover.sandbox.context import Context
from runform.providers.cutover.sandbox.jsonapi import ApiFailure
from runform.providers.cutover.sandbox.resources.runbooks import render_runbook
from runform.providers.cutover.sandbox.resources.start_checks import check_start
from runform.providers.cutover.sandbox.resources.tasks import find_task, render_task, stage_of
from runform.providers.cutover.sandbox.store import Record
from runform.providers.cutover.sandbox.validation import Problems

RUN_TYPES = ("rehearsal", "live")
COMMS = ("off", "test", "on")
# action: (stages it may start from, stage it leads to, the event logged)
TRANSITIONS = {
    "cancel": (("active", "paused"), "canceled", "canceled"),
    "pause": (("active",), "paused", "paused"),
    "resume": (("paused",), "active", "resumed"),
}


def _refuse(detail: str, code: str = "invalid", pointer: str = "/data") -> ApiFailure:
    return ApiFailure.one(422, detail, code, pointer=pointer)


def _start_meta(meta: dict[str, object]) -> tuple[str, str]:
    """`comms` and `run_type` are required (the reference's start body): (run_type, comms)."""
    problems = Problems()
    for name, allowed in (("run_type", RUN_TYPES), ("comms", COMMS)):
        if meta.get(name) is None:
            problems.add(f"/meta/{name}", "required", f"meta.{name} is required")
        elif meta[name] not in allowed:
            problems.add(
                f"/meta/{name}", "inclusion", f"{name} must be one of {', '.join(allowed)}"
            )
    problems.raise_if_any()
    return str(meta["run_type"]), str(meta["comms"])


def start_runbook(ctx: Context) -> Response:
    runbook = ctx.fetch("runbook", ctx.path_id("runbook_id", "runbook"), "runbook")
    meta = ctx.meta()
    run_type, comms = _start_meta(meta)
    if runbook.get("is_template") and run_type == "live":
        raise _refuse(
            "a template can only be run as a rehearsal",
            "runs.create.cannot_run_template_live",
            "/meta/run_type",
        )
    if runbook.get("stage") != "planning":
        raise _refuse(f"the runbook is already {runbook.get('stage')}")
    check_start(ctx.store, runbook, meta)
    now = ctx.store.now()
    changes = {
        "stage": "active",
        "run_type": run_type,
        "run_comms": comms,
        "start_actual": now,
        "updated_at": now,
    }
    with ctx.store.transaction():
        new = ctx.store.update("runbook", runbook["id"], changes)
        audit.updated(ctx.store, "runbook", runbook, new, new, "started")
    return ctx.single(render_runbook(ctx, new))


def _transition(action: str):  # type: ignore[no-untyped-def]
    allowed, target, event = TRANSITIONS[action]

    def handler(ctx: Context) -> Response:
        runbook = ctx.fetch("runbook", ctx.path_id("runbook_id", "runbook"), "runbook")
        if runbook.get("stage") not in allowed:
            raise _refuse(f"a runbook that is {runbook.get('stage')} can't {action}")
        now = ctx.store.now()
        changes: Record = {"stage": target, "updated_at": now}
        if target == "canceled":
            changes["end_actual"] = now
        with ctx.store.transaction():
            new = ctx.store.update("runbook", runbook["id"], changes)
            audit.updated(ctx.store, "runbook", runbook, new, new, event)
        return ctx.single(render_runbook(ctx, new))

    return handler


def _skip_comment(ctx: Context) -> str:
    """Skipping needs `meta.comment`, which Cutover keeps as a comment on the runbook."""
    comment = ctx.meta().get("comment")
    pointer = "/meta/comment"
    if comment is None:
        raise _refuse("meta.comment is required", "required", pointer)
    if not isinstance(comment, str):
        raise _refuse("meta.comment must be a string", "invalid", pointer)
    if not comment.strip():
        raise _refuse("meta.comment can't be blank", "blank", pointer)
    if len(comment) > COMMENT_LIMIT:
        raise _refuse(f"meta.comment is too long (maximum is {COMMENT_LIMIT})", "too_long", pointer)
    return comment


def _task_action(action: str):  # type: ignore[no-untyped-def]
    def handler(ctx: Context) -> Response:
        runbook = ctx.fetch("runbook", ctx.path_id("runbook_id", "runbook"), "runbook")
        task = find_task(ctx, runbook)
        comment = _skip_comment(ctx) if action == "skip" else None
        if runbook.get("stage") != "active":
            raise _refuse(f"tasks can't {action} while the runbook is {runbook.get('stage')}")
        stage = stage_of(ctx.store, runbook, task)
        override = bool(ctx.meta().get("override"))
        now = ctx.store.now()
        if action == "start":
            if stage != "startable" and not (override and stage == "not_startable"):
                raise _refuse(f"the task is {stage} and can't start", "task.not_startable")
            changes: Record = {"progress": "in_progress", "start_actual": now}
        elif action == "finish":
            if stage != "in_progress":
                raise _refuse(f"the task is {stage} and can't finish", "task.not_finishable")
            changes = {
                "progress": "complete",
                "end_actual": now,
                "completion_type": "complete_normal",
            }
        else:
            if stage == "complete":
                # The reference's code for "This action has already taken place."
                raise _refuse("the task is already complete", "already_actioned")
            changes = {
                "progress": "complete",
                "end_actual": now,
                "completion_type": "complete_skipped",
            }
            changes["start_actual"] = task.get("start_actual") or now
        with ctx.store.transaction():
            new = ctx.store.update("task", task["id"], {**changes, "updated_at": now})
            audit.updated(ctx.store, "task", task, new, runbook, EVENTS[action])
            if comment is not None:
                note = {
                    "runbook_id": runbook["id"],
                    "task_id": None,
                    "content": comment,
                    "author_id": None,
                    "created_at": now,
                }
                audit.created(ctx.store, "comment", ctx.store.insert("comment", note), runbook)
            tasks = ctx.store.of_runbook("task", runbook["id"])
            if all(t.get("progress") == "complete" for t in tasks):
                done = ctx.store.update(
                    "runbook", runbook["id"], {"stage": "complete", "end_actual": now}
                )
                audit.updated(ctx.store, "runbook", runbook, done, done, "completed")
                runbook = done
        if action == "skip":
            return jsonapi.json_response({})  # an acknowledgement, not the task
        return ctx.single(render_task(ctx, runbook, new))

    return handler


EVENTS = {"start": "started", "finish": "finished", "skip": "skipped"}
COMMENT_LIMIT = 10000

ROUTES = [
    ("PATCH", "/core/runbooks/{runbook_id}/start", start_runbook),
    *[
        ("PATCH", f"/core/runbooks/{{runbook_id}}/{action}", _transition(action))
        for action in TRANSITIONS
    ],
    *[
        ("PATCH", f"/core/runbooks/{{runbook_id}}/tasks/{{task_id}}/{action}", _task_action(action))
        for action in ("start", "finish", "skip")
    ],
]
