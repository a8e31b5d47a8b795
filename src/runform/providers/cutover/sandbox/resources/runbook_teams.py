"""Runbook teams (a global team's place in one runbook) and comments."""

from __future__ import annotations

from starlette.responses import Response

from runform.providers.cutover.sandbox import audit, jsonapi
from runform.providers.cutover.sandbox.context import Context
from runform.providers.cutover.sandbox.jsonapi import ApiFailure, ref, refs
from runform.providers.cutover.sandbox.resources.participants import team_user_ids
from runform.providers.cutover.sandbox.store import Record
from runform.providers.cutover.sandbox.validation import (
    Problems,
    as_int,
    relationship_id,
    relationship_pointer,
)


def render_runbook_team(ctx: Context, record: Record) -> dict[str, object]:
    attributes = {"name": record.get("name"), "created_at": record.get("created_at")}
    relationships = {
        "runbook": ref("runbook", record["runbook_id"]),
        "team": ref("team", record["team_id"]),
        "users": refs("user", team_user_ids(ctx.store, record)),
    }
    link = ctx.link(f"/core/runbooks/{record['runbook_id']}/runbook_teams/{record['id']}")
    return jsonapi.resource("runbook_team", record["id"], attributes, relationships, link)


def list_runbook_teams(ctx: Context) -> Response:
    runbook = ctx.fetch("runbook", ctx.path_id("runbook_id", "runbook"), "runbook")
    records = sorted(ctx.store.of_runbook("runbook_team", runbook["id"]), key=lambda r: r["id"])
    return ctx.listing(records, lambda r: render_runbook_team(ctx, r))


def get_runbook_team(ctx: Context) -> Response:
    runbook = ctx.fetch("runbook", ctx.path_id("runbook_id", "runbook"), "runbook")
    record = ctx.fetch("runbook_team", ctx.path_id("runbook_team_id", "runbook_team"))
    if record["runbook_id"] != runbook["id"]:
        raise jsonapi.not_found("runbook_team", record["id"])
    return ctx.single(render_runbook_team(ctx, record))


def render_comment(ctx: Context, record: Record) -> dict[str, object]:
    attributes = {"content": record.get("content"), "created_at": record.get("created_at")}
    relationships = {
        "runbook": ref("runbook", record["runbook_id"]),
        "task": ref("task", record.get("task_id")),
        "author": ref("user", record.get("author_id")),
    }
    link = ctx.link(f"/core/runbooks/{record['runbook_id']}/comments/{record['id']}")
    return jsonapi.resource("comment", record["id"], attributes, relationships, link)


def list_comments(ctx: Context) -> Response:
    runbook = ctx.fetch("runbook", ctx.path_id("runbook_id", "runbook"), "runbook")
    records = sorted(ctx.store.of_runbook("comment", runbook["id"]), key=lambda r: r["id"])
    wanted = ctx.ids("task_id")
    if wanted is not None:
        records = [r for r in records if r.get("task_id") in wanted]
    return ctx.listing(records, lambda r: render_comment(ctx, r))


def get_comment(ctx: Context) -> Response:
    runbook = ctx.fetch("runbook", ctx.path_id("runbook_id", "runbook"), "runbook")
    record = ctx.fetch("comment", ctx.path_id("comment_id", "comment"))
    if record["runbook_id"] != runbook["id"]:
        raise jsonapi.not_found("comment", record["id"])
    return ctx.single(render_comment(ctx, record))


def create_comment(ctx: Context) -> Response:
    """A comment on a runbook (optionally on one of its tasks). An archived runbook takes
    none: the reference's 422 `comments.create.runbook_archived` ("Unable to add a comment
    to an archived runbook"), where other requests about it answer 404."""
    ident = ctx.path_id("runbook_id", "runbook")
    archived = ctx.store.get("runbook", ident)
    if archived is not None and archived.get("archived"):
        raise ApiFailure.one(
            422,
            "Unable to add a comment to an archived runbook.",
            "comments.create.runbook_archived",
        )
    runbook = ctx.fetch("runbook", ident, "runbook")
    problems = Problems()
    content = problems.text(ctx.attributes(), "content", required=True, limit=10000)
    given, task_ident = relationship_id(ctx.relationships(), "task", problems)
    task = None
    if given and task_ident is not None:
        task = ctx.store.get("task", as_int(task_ident) or -1)
        if task is None or task["runbook_id"] != runbook["id"]:
            problems.add(relationship_pointer("task"), "not_found", f"task {task_ident} not found")
    problems.raise_if_any()
    now = ctx.store.now()
    record = {
        "runbook_id": runbook["id"],
        "task_id": task["id"] if task else None,
        "content": content,
        "author_id": None,
        "created_at": now,
    }
    with ctx.store.transaction():
        record = ctx.store.insert("comment", record)
        if task is not None:
            count = int(task.get("comments_count") or 0) + 1
            ctx.store.update("task", task["id"], {"comments_count": count})
        audit.created(ctx.store, "comment", record, runbook)
    return ctx.single(render_comment(ctx, record), 201)


ROUTES = [
    ("GET", "/core/runbooks/{runbook_id}/runbook_teams", list_runbook_teams),
    ("GET", "/core/runbooks/{runbook_id}/runbook_teams/{runbook_team_id}", get_runbook_team),
    ("GET", "/core/runbooks/{runbook_id}/comments", list_comments),
    ("POST", "/core/runbooks/{runbook_id}/comments", create_comment),
    ("GET", "/core/runbooks/{runbook_id}/comments/{comment_id}", get_comment),
]
