"""The tenant's directory, read-only through the API: workspaces, folders, types."""

from __future__ import annotations

from starlette.responses import Response

from runform.providers.cutover.sandbox import jsonapi
from runform.providers.cutover.sandbox.context import Context
from runform.providers.cutover.sandbox.jsonapi import ref
from runform.providers.cutover.sandbox.store import Record, Store

TASK_TYPE_FIELDS = (
    "name",
    "key",
    "default_duration",
    "auto_start",
    "auto_finish",
    "comms",
    "conditional_progression",
    "archived",
)
# Round 2, Runbooks: every workspace has a top-level folder named Default; a runbook made
# without a folder lands in it (the reference: "Uses 'Default' by default").
DEFAULT_FOLDER = "Default"
# Round 2, Runbooks: types also carry enable_rto, incident, restrict_create_to_templates
# and ai_create_enabled.
RUNBOOK_TYPE_FIELDS = (
    "name",
    "key",
    "description",
    "default",
    "disabled",
    "archived",
    "dynamic",
    "enable_rto",
    "incident",
    "restrict_create_to_templates",
    "ai_create_enabled",
)


def find_workspace(store: Store, ident: object) -> Record | None:
    """A workspace by id or by key (the API treats them alike)."""
    if ident is None:
        return None
    text = str(ident)
    if text.isdigit():
        record = store.get("workspace", int(text))
        if record is not None:
            return record
    return next((w for w in store.all("workspace") if w["key"] == text), None)


def default_folder(store: Store, workspace_id: object) -> Record | None:
    """The workspace's top-level Default folder (None in a database seeded before it)."""
    return next(
        (
            f
            for f in store.all("folder")
            if f["workspace_id"] == workspace_id
            and f["name"] == DEFAULT_FOLDER
            and f.get("parent_id") is None
        ),
        None,
    )


def find_runbook_type(store: Store, ident: object) -> Record | None:
    """A runbook type by id or by key (the reference: key is "interchangeable with `id`")."""
    if ident is None:
        return None
    text = str(ident)
    if text.isdigit():
        record = store.get("runbook_type", int(text))
        if record is not None:
            return record
    return next((t for t in store.all("runbook_type") if t.get("key") == text), None)


def render_workspace(ctx: Context, record: Record) -> dict[str, object]:
    attributes = {
        key: record.get(key) for key in ("name", "key", "description", "created_at", "updated_at")
    }
    return jsonapi.resource(
        "workspace", record["id"], attributes, {}, ctx.link(f"/core/workspaces/{record['id']}")
    )


def render_folder(ctx: Context, record: Record) -> dict[str, object]:
    attributes = {key: record.get(key) for key in ("name", "key", "description")}
    relationships = {
        "workspace": ref("workspace", record["workspace_id"]),
        "parent": ref("folder", record.get("parent_id")),
    }
    link = ctx.link(f"/core/workspaces/{record['workspace_id']}/folders/{record['id']}")
    return jsonapi.resource("folder", record["id"], attributes, relationships, link)


def render_runbook_type(ctx: Context, record: Record) -> dict[str, object]:
    attributes = {key: record.get(key) for key in RUNBOOK_TYPE_FIELDS}
    attributes["global"] = True
    link = ctx.link(f"/core/runbook_types/{record['id']}")
    return jsonapi.resource("runbook_type", record["id"], attributes, {}, link)


def render_task_type(ctx: Context, record: Record) -> dict[str, object]:
    attributes = {key: record.get(key) for key in TASK_TYPE_FIELDS}
    link = ctx.link(f"/core/task_types/{record['id']}")
    return jsonapi.resource("task_type", record["id"], attributes, {}, link)


def list_workspaces(ctx: Context) -> Response:
    records = sorted(ctx.store.all("workspace"), key=lambda r: r["id"])
    query = (ctx.query.get("query") or "").lower()
    if query:
        records = [r for r in records if query in r["name"].lower() or query in r["key"].lower()]
    return ctx.listing(records, lambda r: render_workspace(ctx, r))


def get_workspace(ctx: Context) -> Response:
    record = find_workspace(ctx.store, ctx.path_params["workspace_id"])
    if record is None:
        raise jsonapi.not_found("workspace", ctx.path_params["workspace_id"])
    return ctx.single(render_workspace(ctx, record))


def list_folders(ctx: Context) -> Response:
    workspace = find_workspace(ctx.store, ctx.path_params["workspace_id"])
    if workspace is None:
        raise jsonapi.not_found("workspace", ctx.path_params["workspace_id"])
    records = sorted(
        (f for f in ctx.store.all("folder") if f["workspace_id"] == workspace["id"]),
        key=lambda r: r["id"],
    )
    return ctx.listing(records, lambda r: render_folder(ctx, r))


def get_folder(ctx: Context) -> Response:
    workspace = find_workspace(ctx.store, ctx.path_params["workspace_id"])
    record = ctx.fetch("folder", ctx.path_id("folder_id", "folder"), "folder")
    if workspace is None or record["workspace_id"] != workspace["id"]:
        raise jsonapi.not_found("folder", ctx.path_params["folder_id"])
    return ctx.single(render_folder(ctx, record))


def _lister(table: str, render):  # type: ignore[no-untyped-def]
    def handler(ctx: Context) -> Response:
        records = sorted(ctx.store.all(table), key=lambda r: r["id"])
        archived = ctx.flag("archived")
        records = [r for r in records if bool(r.get("archived")) == bool(archived)]
        return ctx.listing(records, lambda r: render(ctx, r))

    return handler


def _getter(table: str, param: str, render):  # type: ignore[no-untyped-def]
    def handler(ctx: Context) -> Response:
        record = ctx.fetch(table, ctx.path_id(param, table), table)
        return ctx.single(render(ctx, record))

    return handler


ROUTES = [
    ("GET", "/core/workspaces", list_workspaces),
    ("GET", "/core/workspaces/{workspace_id}", get_workspace),
    ("GET", "/core/workspaces/{workspace_id}/folders", list_folders),
    ("GET", "/core/workspaces/{workspace_id}/folders/{folder_id}", get_folder),
    ("GET", "/core/runbook_types", _lister("runbook_type", render_runbook_type)),
    (
        "GET",
        "/core/runbook_types/{runbook_type_id}",
        _getter("runbook_type", "runbook_type_id", render_runbook_type),
    ),
    ("GET", "/core/task_types", _lister("task_type", render_task_type)),
    (
        "GET",
        "/core/task_types/{task_type_id}",
        _getter("task_type", "task_type_id", render_task_type),
    ),
]
