"""Reading the audit trail: `GET /core/action_logs` and a runbook's `GET /core/activities`.

Both are views of the entries sandbox/audit.py writes, oldest first and paged by `links.next`.
An action log names its `author` (user), `resource` and `context`; an activity (the shape
Cutover's own client reads) has `key` (`task.created`), `starred`, `changes` as a list, the
relationships `activist`, `trackable` and `recipient` (the runbook), and `meta.message.plain`.
"""

from __future__ import annotations

from datetime import datetime

from starlette.responses import Response

from runform.providers.cutover.sandbox import jsonapi
from runform.providers.cutover.sandbox.context import Context
from runform.providers.cutover.sandbox.jsonapi import ApiFailure, ref
from runform.providers.cutover.sandbox.resources.directory import find_workspace
from runform.providers.cutover.sandbox.store import Record
from runform.providers.cutover.sandbox.validation import as_int, parse_moment


def render_action_log(ctx: Context, entry: Record) -> dict[str, object]:
    attributes = {key: entry.get(key) for key in ("event", "description", "changes", "created_at")}
    relationships = {
        "author": ref("user", entry.get("author_id")),
        "resource": ref(str(entry["resource_type"]), entry.get("resource_id")),
        "context": ref(str(entry["context_type"]), entry["context_id"])
        if entry.get("context_type")
        else None,
    }
    document = jsonapi.resource("action_log", entry["id"], attributes, relationships, "")
    del document["links"]  # no endpoint reads one entry
    return document


def render_activity(ctx: Context, entry: Record) -> dict[str, object]:
    changes = entry.get("changes") or {}
    assert isinstance(changes, dict)
    event = entry["event"]
    listed = []
    for name, value in changes.items():
        if event == "created":
            listed.append({"field": name, "from": None, "to": value})
        elif event == "deleted":
            listed.append({"field": name, "from": value, "to": None})
        else:
            listed.append({"field": name, "from": value[0], "to": value[1]})
    attributes = {
        "key": f"{entry['resource_type']}.{entry['event']}",
        "starred": False,
        "created_at": entry.get("created_at"),
        "changes": listed,
    }
    relationships = {
        "activist": ref("user", entry.get("author_id")),
        "trackable": ref(str(entry["resource_type"]), entry.get("resource_id")),
        "recipient": ref("runbook", entry.get("runbook_id")),
    }
    document = jsonapi.resource("activity", entry["id"], attributes, relationships, "")
    del document["links"]
    document["meta"] = {"message": {"plain": entry.get("description")}}
    return document


def list_action_logs(ctx: Context) -> Response:
    runbooks = ctx.ids("runbook_id")
    one = next(iter(runbooks)) if runbooks is not None and len(runbooks) == 1 else None
    entries = ctx.store.appended("action_log", one)
    if runbooks is not None:
        entries = [e for e in entries if e.get("runbook_id") in runbooks]
    users = ctx.ids("user_id")
    if users is not None:
        entries = [e for e in entries if e.get("author_id") in users]
    if "workspace_id" in ctx.query:
        workspaces = {
            w["id"]
            for part in ctx.query["workspace_id"].split(",")
            if (w := find_workspace(ctx.store, part.strip())) is not None
        }
        entries = [e for e in entries if e.get("workspace_id") in workspaces]
    entries = _in_window(ctx, entries)
    return ctx.listing(entries, lambda e: render_action_log(ctx, e))


def list_activities(ctx: Context) -> Response:
    raw = ctx.query.get("runbook_id")
    if not raw:
        raise ApiFailure.one(400, "runbook_id is required", "required", parameter="runbook_id")
    runbook = ctx.fetch("runbook", as_int(raw), "runbook")
    entries = _in_window(ctx, ctx.store.appended("action_log", runbook["id"]))
    return ctx.listing(entries, lambda e: render_activity(ctx, e))


def _in_window(ctx: Context, entries: list[Record]) -> list[Record]:
    """Entries strictly after `created_after` and strictly before `created_before`."""
    after, before = _moment(ctx, "created_after"), _moment(ctx, "created_before")
    if after is None and before is None:
        return entries
    kept = []
    for entry in entries:
        moment = parse_moment(entry.get("created_at"))
        if moment is None:
            continue
        if (after is None or moment > after) and (before is None or moment < before):
            kept.append(entry)
    return kept


def _moment(ctx: Context, name: str) -> datetime | None:
    raw = ctx.query.get(name)
    if raw is None or raw == "":
        return None
    moment = parse_moment(raw)
    if moment is None:
        raise ApiFailure.one(400, f"{name} must be an ISO 8601 time", "invalid", parameter=name)
    return moment


ROUTES = [
    ("GET", "/core/action_logs", list_action_logs),
    ("GET", "/core/activities", list_activities),
]
