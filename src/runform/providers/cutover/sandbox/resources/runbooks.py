"""Runbooks: list with filters, create (or copy), get, patch, delete (which archives)."""

from __future__ import annotations

from starlette.responses import Response

from runform.providers.cutover.sandbox import audit, jsonapi
from runform.providers.cutover.sandbox.context import Context, no_content
from runform.providers.cutover.sandbox.jsonapi import ref
from runform.providers.cutover.sandbox.resources import fixed_times, runbook_rules
from runform.providers.cutover.sandbox.resources.custom_fields import check_required, render_values
from runform.providers.cutover.sandbox.resources.directory import find_workspace
from runform.providers.cutover.sandbox.resources.runbook_rto import check_rto, rto_relationships
from runform.providers.cutover.sandbox.schedule import as_text, planned_times
from runform.providers.cutover.sandbox.store import Record, Store
from runform.providers.cutover.sandbox.validation import Problems

ATTRIBUTES = (
    "name",
    "description",
    "is_template",
    "template_status",
    "template_next_review_at",
    "template_type",
    "status",
    "status_message",
    "status_updated_at",
    "timezone",
    "start_planned",
    "start_scheduled",
    "end_scheduled",
    "start_actual",
    "end_actual",
    "rto",
    "auto_start",
    "archived",
    "stage",
    "run_type",
    "run_comms",
    "created_at",
    "updated_at",
)
DEFAULTS: Record = {
    "description": None,
    "is_template": False,
    "template_status": None,
    "template_next_review_at": None,
    "template_type": "off",
    "status": "off",
    "status_message": None,
    "timezone": "UTC",
    "start_planned": None,
    "start_scheduled": None,
    "end_scheduled": None,
    "start_actual": None,
    "end_actual": None,
    "rto": None,
    "rto_start_task_id": None,
    "rto_end_task_id": None,
    "auto_start": False,
    "archived": False,
    "stage": "planning",
    "run_type": None,
    "run_comms": None,
    "custom_field_values": [],
    "folder_id": None,
    "source_runbook_id": None,
    "next_internal_id": 1,
}


def render_runbook(ctx: Context, record: Record) -> dict[str, object]:
    wanted = ctx.fields("runbook")
    attributes = {key: record.get(key) for key in ATTRIBUTES}
    attributes["timing_mode"] = fixed_times.timing_mode(record)
    attributes["custom_field_values"] = render_values(ctx.store, record.get("custom_field_values"))
    if wanted is None or wanted & {"end_planned", "start_forecast", "end_forecast"}:
        times = planned_times(ctx.store, record)
        end = max((finish for _, finish in times.values()), default=None)
        attributes["end_planned"] = as_text(end) if end is not None else None
    else:
        attributes["end_planned"] = None
    attributes["start_forecast"] = record.get("start_actual") or (
        record.get("start_scheduled") or record.get("start_planned")
    )
    attributes["end_forecast"] = record.get("end_actual") or attributes["end_planned"]
    relationships = {
        "workspace": ref("workspace", record.get("workspace_id")),
        "folder": ref("folder", record.get("folder_id")),
        "runbook_type": ref("runbook_type", record.get("runbook_type_id")),
        "current_version": ref("runbook_version", record["id"]),
        "source_runbook": ref("runbook", record.get("source_runbook_id")),
        **rto_relationships(ctx.store, record),
    }
    document = jsonapi.resource(
        "runbook",
        record["id"],
        attributes,
        relationships,
        ctx.link(f"/core/runbooks/{record['id']}"),
    )
    return jsonapi.sparse(document, wanted)


# The reference's list parameters, with `archived` and `source_runbook_id` from the API notes;
# any other is refused, as an ignored one would widen the list.
LIST_PARAMETERS = frozenset(
    [
        "page[number]",
        "page[size]",
        "page[limit]",
        "page[offset]",
        "fields[runbook]",
        "is_template",
        "folder_id",
        "query",
        "run_type",
        "runbook_id",
        "runbook_type_id",
        "template_status",
        "workspace_id",
        "archived",
        "source_runbook_id",
    ]
)


def list_runbooks(ctx: Context) -> Response:
    ctx.refuse_unknown_parameters(LIST_PARAMETERS)
    archived = bool(ctx.flag("archived"))
    records = [r for r in ctx.store.all("runbook") if bool(r.get("archived")) == archived]
    if "workspace_id" in ctx.query:
        workspaces = {
            w["id"]
            for part in ctx.query["workspace_id"].split(",")
            if (w := find_workspace(ctx.store, part.strip())) is not None
        }
        records = [r for r in records if r.get("workspace_id") in workspaces]
    for name, field in (
        ("runbook_id", "id"),
        ("folder_id", "folder_id"),
        ("runbook_type_id", "runbook_type_id"),
        ("source_runbook_id", "source_runbook_id"),
    ):
        wanted = ctx.ids(name)
        if wanted is not None:
            records = [r for r in records if r.get(field) in wanted]
    is_template = ctx.flag("is_template")
    if is_template is not None:
        records = [r for r in records if bool(r.get("is_template")) == is_template]
    for name in ("template_status", "run_type"):
        if ctx.query.get(name):
            allowed = set(ctx.query[name].split(","))
            records = [r for r in records if r.get(name) in allowed]
    records.sort(key=lambda r: r["id"])
    if ctx.query.get("query"):
        # Cutover's query is fuzzy and ranked, not a filter by substring: see search.py.
        records = ctx.search.search(records, ctx.query["query"])
    return ctx.listing(records, lambda r: render_runbook(ctx, r))


def get_runbook(ctx: Context) -> Response:
    record = ctx.fetch("runbook", ctx.path_id("runbook_id", "runbook"), "runbook")
    return ctx.single(render_runbook(ctx, record))


# Round 2, Streams: every new runbook is created with a primary (default) stream. Its name is
# not documented; runform reads it rather than assuming this one.
PRIMARY_STREAM_NAME = "Default stream"


def add_primary_stream(store: Store, runbook: Record, now: str) -> Record:
    """The stream Cutover makes with every runbook: renameable, never deletable."""
    return store.insert(
        "stream",
        {
            "runbook_id": runbook["id"],
            "name": PRIMARY_STREAM_NAME,
            "description": None,
            "color": "#3b82f6",
            "is_primary": True,
            "status": "off",
            "status_message": None,
            "status_updated_at": now,
            "parent_id": None,
            "created_at": now,
            "updated_at": now,
        },
    )


def create_runbook(ctx: Context) -> Response:
    from runform.providers.cutover.sandbox.resources.runbook_copy import copy_runbook

    copy = ctx.meta().get("copy")
    if copy is not None:
        record = copy_runbook(ctx, copy)
        ctx.search.created(record["id"])
        return ctx.single(render_runbook(ctx, record), 201)
    problems = Problems()
    attrs = ctx.attributes()
    changes = runbook_rules.check_attributes(ctx.store, attrs, None, problems)
    changes |= runbook_rules.check_relationships(
        ctx.store, ctx.relationships(), None, problems, workspace_required=True
    )
    runbook_rules.check_created_from_template(ctx.store, changes, None, problems)
    check_rto(ctx.store, ctx.relationships(), changes, None, problems)
    check_required(
        ctx.store,
        changes.get("custom_field_values"),
        "runbook_add_edit",
        changes.get("workspace_id"),
        problems,
    )
    problems.raise_if_any()
    now = ctx.store.now()
    record = {**DEFAULTS, **changes, "created_at": now, "updated_at": now}
    record["status_updated_at"] = now
    with ctx.store.transaction():
        record = ctx.store.insert("runbook", record)
        add_primary_stream(ctx.store, record, now)
        audit.created(ctx.store, "runbook", record, record)
    ctx.search.created(record["id"])
    return ctx.single(render_runbook(ctx, record), 201)


def patch_runbook(ctx: Context) -> Response:
    old = ctx.fetch("runbook", ctx.path_id("runbook_id", "runbook"), "runbook")
    problems = Problems()
    changes = runbook_rules.check_attributes(ctx.store, ctx.attributes(), old, problems)
    changes |= runbook_rules.check_relationships(
        ctx.store, ctx.relationships(), old, problems, workspace_required=False
    )
    check_rto(ctx.store, ctx.relationships(), changes, old, problems)
    asked = fixed_times.asked_to_shift(ctx.meta(), problems)
    problems.raise_if_any()
    now = ctx.store.now()
    if "status" in changes and changes["status"] != old.get("status"):
        changes["status_updated_at"] = now
    with ctx.store.transaction():
        record = ctx.store.update("runbook", old["id"], {**changes, "updated_at": now})
        audit.updated(ctx.store, "runbook", old, record, record)
        delta = fixed_times.shift_for(old, record, asked)
        if delta is not None:
            fixed_times.shift_tasks(ctx.store, record, delta, now)
    return ctx.single(render_runbook(ctx, record))


def delete_runbook(ctx: Context) -> Response:
    old = ctx.fetch("runbook", ctx.path_id("runbook_id", "runbook"), "runbook")
    with ctx.store.transaction():
        changes = {"archived": True, "updated_at": ctx.store.now()}
        new = ctx.store.update("runbook", old["id"], changes)
        audit.updated(ctx.store, "runbook", old, new, new, "archived")
    return no_content()


ROUTES = [
    ("GET", "/core/runbooks", list_runbooks),
    ("POST", "/core/runbooks", create_runbook),
    ("GET", "/core/runbooks/{runbook_id}", get_runbook),
    ("PATCH", "/core/runbooks/{runbook_id}", patch_runbook),
    ("DELETE", "/core/runbooks/{runbook_id}", delete_runbook),
]
