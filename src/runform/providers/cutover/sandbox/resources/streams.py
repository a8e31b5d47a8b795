"""Streams of a runbook (a `parent` relationship makes a substream, one level deep)."""

from __future__ import annotations

from collections import Counter

from starlette.responses import Response

from runform.providers.cutover.sandbox import audit, jsonapi
from runform.providers.cutover.sandbox.context import Context, no_content
from runform.providers.cutover.sandbox.jsonapi import ref, refs
from runform.providers.cutover.sandbox.resources.stream_forecast import stream_times
from runform.providers.cutover.sandbox.store import Record, Store
from runform.providers.cutover.sandbox.validation import (
    Problems,
    as_int,
    relationship_id,
    relationship_pointer,
)

# A stream's status is RAG, as a runbook's (the reference's stream schema).
STATUSES = ("off", "red", "amber", "green")
PALETTE = ("#3b82f6", "#10b981", "#f59e0b", "#ef4444", "#8b5cf6", "#ec4899", "#14b8a6")


def task_counts(store: Store, runbook_id: int) -> Counter[int]:
    """Tasks per stream id, computed once per change to the runbook."""
    revision = store.revisions.get(runbook_id, 0)
    cached = store.memo.get(("task_counts", runbook_id))
    if cached is not None and cached[0] == revision:
        kept: Counter[int] = cached[1]
        return kept
    counts = Counter(task["stream_id"] for task in store.of_runbook("task", runbook_id))
    store.memo[("task_counts", runbook_id)] = (revision, counts)
    return counts


def render_stream(
    ctx: Context, record: Record, forecast: dict[int, dict[str, object]] | None = None
) -> dict[str, object]:
    """The stream; with `forecast` (from `stream_times`) its planned and display times too."""
    runbook_id = record["runbook_id"]
    attributes = {
        key: record.get(key)
        for key in ("name", "description", "color", "is_primary", "status", "created_at")
    }
    attributes["status_message"] = record.get("status_message")
    attributes["status_updated_at"] = record.get("status_updated_at")
    attributes["updated_at"] = record.get("updated_at")
    if forecast is not None:
        attributes.update(forecast.get(record["id"], {}))
    attributes["tasks_count"] = task_counts(ctx.store, runbook_id).get(record["id"], 0)
    children = sorted(
        s["id"]
        for s in ctx.store.of_runbook("stream", runbook_id)
        if s.get("parent_id") == record["id"]
    )
    relationships = {
        "runbook": ref("runbook", runbook_id),
        "parent": ref("stream", record.get("parent_id")),
        "children": refs("stream", children),
    }
    link = ctx.link(f"/core/runbooks/{runbook_id}/streams/{record['id']}")
    return jsonapi.sparse(
        jsonapi.resource("stream", record["id"], attributes, relationships, link),
        ctx.fields("stream"),
    )


def find_stream(ctx: Context, runbook: Record) -> Record:
    record = ctx.fetch("stream", ctx.path_id("stream_id", "stream"), "stream")
    if record["runbook_id"] != runbook["id"]:
        raise jsonapi.not_found("stream", record["id"])
    return record


def list_streams(ctx: Context) -> Response:
    runbook = ctx.fetch("runbook", ctx.path_id("runbook_id", "runbook"), "runbook")
    records = sorted(ctx.store.of_runbook("stream", runbook["id"]), key=lambda r: r["id"])
    forecast = stream_times(ctx.store, runbook) if ctx.flag("forecast") else None
    return ctx.listing(records, lambda r: render_stream(ctx, r, forecast))


def get_stream(ctx: Context) -> Response:
    runbook = ctx.fetch("runbook", ctx.path_id("runbook_id", "runbook"), "runbook")
    forecast = stream_times(ctx.store, runbook) if ctx.flag("forecast") else None
    return ctx.single(render_stream(ctx, find_stream(ctx, runbook), forecast))


def _check(ctx: Context, runbook: Record, old: Record | None) -> dict[str, object]:
    problems = Problems()
    attrs = ctx.attributes()
    changes: dict[str, object] = {}
    if old is None or "name" in attrs:
        changes["name"] = problems.text(attrs, "name", required=True)
    if "description" in attrs:
        changes["description"] = problems.text(attrs, "description", limit=10000)
    if "color" in attrs:
        changes["color"] = problems.color(attrs, "color")
    if "status" in attrs:
        changes["status"] = problems.choice(attrs, "status", STATUSES)
    if "status_message" in attrs:
        changes["status_message"] = problems.text(attrs, "status_message", limit=1000)
    given, ident = relationship_id(ctx.relationships(), "parent", problems)
    if given and ident is not None:
        parent = ctx.store.get("stream", as_int(ident) or -1)
        pointer = relationship_pointer("parent")
        has_children = old is not None and any(
            s.get("parent_id") == old["id"] for s in ctx.store.of_runbook("stream", runbook["id"])
        )
        if parent is None or parent["runbook_id"] != runbook["id"]:
            problems.add(pointer, "not_found", f"stream {ident} not found in this runbook")
        elif old is not None and parent["id"] == old["id"]:
            problems.add(pointer, "invalid", "a stream can't be its own parent")
        elif parent.get("parent_id") is not None or has_children:
            problems.add(pointer, "too_deep", "streams nest only one level deep")
        else:
            changes["parent_id"] = parent["id"]
    elif given:
        changes["parent_id"] = None
    _check_name_free(ctx, runbook, old, changes, problems)
    problems.raise_if_any()
    return changes


def _check_name_free(
    ctx: Context, runbook: Record, old: Record | None, changes: Record, problems: Problems
) -> None:
    """Sibling streams have distinct names (`taken`), as stream identity is name in parent."""
    name = changes.get("name", (old or {}).get("name"))
    parent_id = changes.get("parent_id", (old or {}).get("parent_id"))
    if not isinstance(name, str) or not name.strip():
        return
    wanted = name.strip().casefold()
    for sibling in ctx.store.of_runbook("stream", runbook["id"]):
        if old is not None and sibling["id"] == old["id"]:
            continue
        same_name = (sibling.get("name") or "").strip().casefold() == wanted
        if same_name and sibling.get("parent_id") == parent_id:
            problems.add("/data/attributes/name", "taken", f"name {name!r} has already been taken")
            return


def create_stream(ctx: Context) -> Response:
    runbook = ctx.fetch("runbook", ctx.path_id("runbook_id", "runbook"), "runbook")
    changes = _check(ctx, runbook, None)
    existing = ctx.store.of_runbook("stream", runbook["id"])
    now = ctx.store.now()
    record = {
        "runbook_id": runbook["id"],
        "description": None,
        "color": PALETTE[len(existing) % len(PALETTE)],
        "is_primary": False,  # the runbook's primary stream came with the runbook
        "status": "off",
        "status_message": None,
        "parent_id": None,
        **changes,
        "created_at": now,
        "updated_at": now,
        "status_updated_at": now,
    }
    with ctx.store.transaction():
        record = ctx.store.insert("stream", record)
        audit.created(ctx.store, "stream", record, runbook)
    return ctx.single(render_stream(ctx, record), 201)


def patch_stream(ctx: Context) -> Response:
    runbook = ctx.fetch("runbook", ctx.path_id("runbook_id", "runbook"), "runbook")
    old = find_stream(ctx, runbook)
    changes = _check(ctx, runbook, old)
    now = ctx.store.now()
    if "status" in changes and changes["status"] != old.get("status"):
        changes["status_updated_at"] = now
    with ctx.store.transaction():
        record = ctx.store.update("stream", old["id"], {**changes, "updated_at": now})
        audit.updated(ctx.store, "stream", old, record, runbook)
    return ctx.single(render_stream(ctx, record))


def delete_stream(ctx: Context) -> Response:
    runbook = ctx.fetch("runbook", ctx.path_id("runbook_id", "runbook"), "runbook")
    old = find_stream(ctx, runbook)
    if old.get("is_primary"):
        # Round 2, Streams: the primary stream can be renamed, never deleted.
        raise jsonapi.ApiFailure.one(
            422, "Cannot remove default stream.", "cannot_remove_default", pointer="/data"
        )
    if task_counts(ctx.store, runbook["id"]).get(old["id"]):
        raise _in_use("the stream still has tasks")
    if any(s.get("parent_id") == old["id"] for s in ctx.store.of_runbook("stream", runbook["id"])):
        raise _in_use("the stream still has substreams")
    with ctx.store.transaction():
        ctx.store.delete("stream", old["id"])
        audit.deleted(ctx.store, "stream", old, runbook)
    return no_content()


def _in_use(detail: str) -> jsonapi.ApiFailure:
    """Deleting a stream that still holds tasks or substreams is refused, not cascaded, with
    the reference's generic code (Round 2, Streams: the stream case itself is undocumented)."""
    return jsonapi.ApiFailure.one(
        422,
        f"Cannot remove stream as it is currently in use ({detail}).",
        "cannot_remove_when_in_use",
        pointer="/data",
    )


ROUTES = [
    ("GET", "/core/runbooks/{runbook_id}/streams", list_streams),
    ("POST", "/core/runbooks/{runbook_id}/streams", create_stream),
    ("GET", "/core/runbooks/{runbook_id}/streams/{stream_id}", get_stream),
    ("PATCH", "/core/runbooks/{runbook_id}/streams/{stream_id}", patch_stream),
    ("DELETE", "/core/runbooks/{runbook_id}/streams/{stream_id}", delete_stream),
]
