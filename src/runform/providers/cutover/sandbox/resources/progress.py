"""Running a runbook: start, pause, resume, cancel it; start, finish, skip its tasks."""

from __future__ import annotations

from starlette.responses import Response

from runform.providers.cutover.sandbox.context import Context
from runform.providers.cutover.sandbox.jsonapi import ApiFailure
from runform.providers.cutover.sandbox.resources.runbooks import render_runbook
from runform.providers.cutover.sandbox.resources.start_checks import check_start
from runform.providers.cutover.sandbox.resources.tasks import find_task, render_task, stage_of
from runform.providers.cutover.sandbox.store import Record

RUN_TYPES = ("rehearsal", "live")
# action: (stages it may start from, stage it leads to)
TRANSITIONS = {
    "cancel": (("active", "paused"), "canceled"),
    "pause": (("active",), "paused"),
    "resume": (("paused",), "active"),
}


def _refuse(detail: str, code: str = "invalid", pointer: str = "/data") -> ApiFailure:
    return ApiFailure.one(422, detail, code, pointer=pointer)


def start_runbook(ctx: Context) -> Response:
    runbook = ctx.fetch("runbook", ctx.path_id("runbook_id", "runbook"), "runbook")
    meta = ctx.meta()
    run_type = meta.get("run_type", "rehearsal")
    if run_type not in RUN_TYPES:
        raise _refuse("run_type must be rehearsal or live", "inclusion", "/meta/run_type")
    if runbook.get("is_template"):
        raise _refuse(
            "a template can't be run",
            "runbook.cannot_be_template_with_event",
            "/data/attributes/is_template",
        )
    if runbook.get("stage") != "planning":
        raise _refuse(f"the runbook is already {runbook.get('stage')}")
    check_start(ctx.store, runbook, meta)
    now = ctx.store.now()
    changes = {
        "stage": "active",
        "run_type": run_type,
        "run_comms": meta.get("comms", "off"),
        "start_actual": now,
        "updated_at": now,
    }
    with ctx.store.transaction():
        runbook = ctx.store.update("runbook", runbook["id"], changes)
    return ctx.single(render_runbook(ctx, runbook))


def _transition(action: str):  # type: ignore[no-untyped-def]
    allowed, target = TRANSITIONS[action]

    def handler(ctx: Context) -> Response:
        runbook = ctx.fetch("runbook", ctx.path_id("runbook_id", "runbook"), "runbook")
        if runbook.get("stage") not in allowed:
            raise _refuse(f"a runbook that is {runbook.get('stage')} can't {action}")
        now = ctx.store.now()
        changes: Record = {"stage": target, "updated_at": now}
        if target == "canceled":
            changes["end_actual"] = now
        with ctx.store.transaction():
            runbook = ctx.store.update("runbook", runbook["id"], changes)
        return ctx.single(render_runbook(ctx, runbook))

    return handler


def _task_action(action: str):  # type: ignore[no-untyped-def]
    def handler(ctx: Context) -> Response:
        runbook = ctx.fetch("runbook", ctx.path_id("runbook_id", "runbook"), "runbook")
        task = find_task(ctx, runbook)
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
                raise _refuse(f"the task is {stage} and can't finish", "task.not_in_progress")
            changes = {
                "progress": "complete",
                "end_actual": now,
                "completion_type": "complete_normal",
            }
        else:
            if stage == "complete":
                raise _refuse("the task is already complete", "task.already_complete")
            changes = {"progress": "complete", "end_actual": now, "completion_type": "skipped"}
            changes["start_actual"] = task.get("start_actual") or now
        with ctx.store.transaction():
            task = ctx.store.update("task", task["id"], {**changes, "updated_at": now})
            tasks = ctx.store.of_runbook("task", runbook["id"])
            if all(t.get("progress") == "complete" for t in tasks):
                runbook = ctx.store.update(
                    "runbook", runbook["id"], {"stage": "complete", "end_actual": now}
                )
        return ctx.single(render_task(ctx, runbook, task))

    return handler


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
