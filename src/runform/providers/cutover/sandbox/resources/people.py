"""Teams and users: listed, fetched, and (users) archived or unlocked."""

from __future__ import annotations

from starlette.responses import Response

from runform.providers.cutover.sandbox import audit, jsonapi
from runform.providers.cutover.sandbox.context import Context
from runform.providers.cutover.sandbox.jsonapi import refs
from runform.providers.cutover.sandbox.store import Record

USER_FIELDS = ("email", "first_name", "last_name", "handle", "archived", "locked")


def render_team(ctx: Context, record: Record) -> dict[str, object]:
    attributes = {key: record.get(key) for key in ("name", "description", "archived")}
    relationships = {"users": refs("user", record.get("user_ids") or [])}
    link = ctx.link(f"/core/teams/{record['id']}")
    return jsonapi.resource("team", record["id"], attributes, relationships, link)


def render_user(ctx: Context, record: Record) -> dict[str, object]:
    attributes = {key: record.get(key) for key in USER_FIELDS}
    attributes["created_at"] = record.get("created_at")
    attributes["updated_at"] = record.get("updated_at")
    link = ctx.link(f"/core/users/{record['id']}")
    return jsonapi.resource("user", record["id"], attributes, {}, link)


def list_teams(ctx: Context) -> Response:
    records = sorted(ctx.store.all("team"), key=lambda r: r["id"])
    archived = bool(ctx.flag("archived"))
    query = (ctx.query.get("query") or "").lower()
    records = [
        r for r in records if bool(r.get("archived")) == archived and query in r["name"].lower()
    ]
    return ctx.listing(records, lambda r: render_team(ctx, r))


def get_team(ctx: Context) -> Response:
    return ctx.single(render_team(ctx, ctx.fetch("team", ctx.path_id("team_id", "team"), "team")))


def list_users(ctx: Context) -> Response:
    records = sorted(ctx.store.all("user"), key=lambda r: r["id"])
    archived = bool(ctx.flag("archived"))
    query = (ctx.query.get("query") or "").lower()

    def matches(record: Record) -> bool:
        text = " ".join(str(record.get(k) or "") for k in ("email", "first_name", "last_name"))
        return query in f"{text} {record.get('handle')}".lower()

    records = [r for r in records if bool(r.get("archived")) == archived and matches(r)]
    return ctx.listing(records, lambda r: render_user(ctx, r))


def get_user(ctx: Context) -> Response:
    return ctx.single(render_user(ctx, ctx.fetch("user", ctx.path_id("user_id", "user"), "user")))


def archive_user(ctx: Context) -> Response:
    record = ctx.fetch("user", ctx.path_id("user_id", "user"), "user")
    with ctx.store.transaction():
        changes = {"archived": True, "updated_at": ctx.store.now()}
        new = ctx.store.update("user", record["id"], changes)
        audit.updated(ctx.store, "user", record, new, None, "archived")
        record = new
    return ctx.single(render_user(ctx, record))


def unlock_user(ctx: Context) -> Response:
    record = ctx.fetch("user", ctx.path_id("user_id", "user"), "user")
    with ctx.store.transaction():
        changes = {"locked": False, "updated_at": ctx.store.now()}
        new = ctx.store.update("user", record["id"], changes)
        audit.updated(ctx.store, "user", record, new, None, "unlocked")
        record = new
    return ctx.single(render_user(ctx, record))


ROUTES = [
    ("GET", "/core/teams", list_teams),
    ("GET", "/core/teams/{team_id}", get_team),
    ("GET", "/core/users", list_users),
    ("GET", "/core/users/{user_id}", get_user),
    ("PATCH", "/core/users/{user_id}/archive", archive_user),
    ("PATCH", "/core/users/{user_id}/unlock", unlock_user),
]
