"""Custom fields: the definitions, and the values runbooks and tasks carry."""

from __future__ import annotations

from starlette.responses import Response

from runform.providers.cutover.sandbox import jsonapi
from runform.providers.cutover.sandbox.context import Context
from runform.providers.cutover.sandbox.jsonapi import ref
from runform.providers.cutover.sandbox.resources.directory import find_workspace
from runform.providers.cutover.sandbox.store import Record, Store
from runform.providers.cutover.sandbox.validation import Problems, as_int

FIELD_ATTRIBUTES = (
    "name",
    "display_name",
    "field_type",
    "field_options",
    "required",
    "default_value",
    "archived",
    "apply_to",
    "global",
)
RUNBOOK_SCOPES = ("runbook_add_edit", "runbook_edit")
TASK_SCOPES = ("task_edit", "task_start", "task_end", "task_add_edit")
SELECT_TYPES = ("single_select", "multi_select", "multi_searchable")
MULTI_TYPES = ("multi_select", "multi_searchable")


def render_custom_field(ctx: Context, record: Record) -> dict[str, object]:
    attributes = {key: record.get(key) for key in FIELD_ATTRIBUTES}
    relationships = {"workspace": ref("workspace", record.get("workspace_id"))}
    link = ctx.link(f"/core/custom_fields/{record['id']}")
    return jsonapi.resource("custom_field", record["id"], attributes, relationships, link)


def list_custom_fields(ctx: Context) -> Response:
    records = sorted(ctx.store.all("custom_field"), key=lambda r: r["id"])
    records = [r for r in records if bool(r.get("archived")) == bool(ctx.flag("archived"))]
    if "workspace_id" in ctx.query:
        workspace = find_workspace(ctx.store, ctx.query["workspace_id"])
        wanted = workspace["id"] if workspace else None
        records = [r for r in records if r.get("global") or r.get("workspace_id") == wanted]
    is_global = ctx.flag("global")
    if is_global is not None:
        records = [r for r in records if bool(r.get("global")) == is_global]
    return ctx.listing(records, lambda r: render_custom_field(ctx, r))


def get_custom_field(ctx: Context) -> Response:
    record = ctx.fetch("custom_field", ctx.path_id("custom_field_id", "custom_field"))
    return ctx.single(render_custom_field(ctx, record))


def check_values(
    store: Store, raw: object, scopes: tuple[str, ...], problems: Problems
) -> list[dict[str, object]] | None:
    """Validate `custom_field_values` ({name|custom_field_id, value}); stored as id + value."""
    base = "/data/attributes/custom_field_values"
    if raw is None:
        return None
    if not isinstance(raw, list):
        problems.add(base, "invalid", "custom_field_values must be a list")
        return None
    by_name = {f["name"]: f for f in store.all("custom_field") if not f.get("archived")}
    values: list[dict[str, object]] = []
    for index, entry in enumerate(raw):
        pointer = f"{base}/{index}"
        if not isinstance(entry, dict):
            problems.add(pointer, "invalid", "each custom field value must be an object")
            continue
        field = None
        if entry.get("custom_field_id") is not None:
            field = store.get("custom_field", as_int(str(entry["custom_field_id"])) or -1)
            if field is not None and field.get("archived"):
                field = None
            if field is None:
                problems.add(f"{pointer}/custom_field_id", "not_found", "custom field not found")
                continue
        else:
            field = by_name.get(str(entry.get("name")))
            if field is None:
                problems.add(
                    f"{pointer}/name", "not_found", f"custom field {entry.get('name')!r} not found"
                )
                continue
        if field["apply_to"] not in scopes:
            problems.add(pointer, "invalid", f"custom field {field['name']!r} does not apply here")
            continue
        value = entry.get("value")
        if not _value_fits(field, value):
            options = ", ".join(field.get("field_options") or [])
            detail = f"value for {field['name']!r} is not valid"
            problems.add(
                f"{pointer}/value",
                "inclusion" if options else "invalid",
                f"{detail} (allowed: {options})" if options else detail,
            )
            continue
        values.append({"custom_field_id": field["id"], "value": value})
    return values


def check_required(
    store: Store,
    values: object,
    scope: str,
    workspace_id: object,
    problems: Problems,
) -> None:
    """A required field that applies when the object is added needs a value on create.

    Cutover answers `missing_custom_field_value`; a field with a default is filled by it.
    """
    given = {
        entry["custom_field_id"]
        for entry in (values if isinstance(values, list) else [])
        if entry.get("value") not in (None, "", [])
    }
    for field in sorted(store.all("custom_field"), key=lambda f: f["id"]):
        if not field.get("required") or field.get("archived") or field.get("apply_to") != scope:
            continue
        if not field.get("global") and field.get("workspace_id") not in (None, workspace_id):
            continue
        if field["id"] in given or field.get("default_value") not in (None, ""):
            continue
        problems.add(
            "/data/attributes/custom_field_values",
            "missing_custom_field_value",
            f"custom field {field['name']!r} is required",
        )


def _value_fits(field: Record, value: object) -> bool:
    if value is None:
        return True
    field_type = field["field_type"]
    if field_type in MULTI_TYPES:
        items = value if isinstance(value, list) else [value]
    elif isinstance(value, str):
        items = [value]
    else:
        return False
    if not all(isinstance(item, str) for item in items):
        return False
    if field_type in SELECT_TYPES:
        return all(item in (field.get("field_options") or []) for item in items)
    return True


def render_values(store: Store, values: object) -> list[dict[str, object]]:
    """Stored values as Cutover reads them back."""
    rendered = []
    for entry in values if isinstance(values, list) else []:
        field = store.get("custom_field", entry["custom_field_id"])
        if field is None:
            continue
        rendered.append(
            {
                "name": field["name"],
                "custom_field_id": str(field["id"]),  # a string on read, as ids are
                "value": entry["value"],
                "display_name": field.get("display_name") or field["name"],
                "read_only": False,
            }
        )
    return rendered


def merge_values(
    old: object, new: list[dict[str, object]] | None
) -> list[dict[str, object]] | None:
    """A PATCH sets the fields it names and keeps the others."""
    if new is None:
        return None
    merged = {entry["custom_field_id"]: entry for entry in (old if isinstance(old, list) else [])}
    for entry in new:
        merged[entry["custom_field_id"]] = entry
    return list(merged.values())


ROUTES = [
    ("GET", "/core/custom_fields", list_custom_fields),
    ("GET", "/core/custom_fields/{custom_field_id}", get_custom_field),
]
