"""Validation of runbook attributes and relationships, shared by create, copy and patch."""

from __future__ import annotations

from collections.abc import Mapping

from runform.providers.cutover.sandbox.resources.custom_fields import (
    RUNBOOK_SCOPES,
    check_values,
    merge_values,
)
from runform.providers.cutover.sandbox.resources.directory import (
    default_folder,
    find_runbook_type,
    find_workspace,
)
from runform.providers.cutover.sandbox.store import Record, Store
from runform.providers.cutover.sandbox.validation import (
    Problems,
    as_int,
    attribute_pointer,
    parse_moment,
    relationship_id,
    relationship_pointer,
)

STATUSES = ("off", "red", "amber", "green")
TEMPLATE_STATUSES = (None, "draft", "pending", "approved")
TEMPLATE_TYPES = ("off", "default", "snippet")
TEXT_FIELDS = {"description": 10000, "status_message": 1000}
MOMENT_FIELDS = ("start_planned", "start_scheduled", "end_scheduled", "template_next_review_at")


def check_attributes(
    store: Store, attrs: Mapping[str, object], old: Record | None, problems: Problems
) -> dict[str, object]:
    """The attribute changes a create (old=None) or patch asks for, checked one by one."""
    changes: dict[str, object] = {}
    if old is None or "name" in attrs:
        changes["name"] = problems.text(attrs, "name", required=True)
    for name, limit in TEXT_FIELDS.items():
        if name in attrs:
            changes[name] = problems.text(attrs, name, limit=limit)
    if "is_template" in attrs:
        changes["is_template"] = problems.boolean(attrs, "is_template")
    if "status" in attrs:
        changes["status"] = problems.choice(attrs, "status", STATUSES)
    if "template_status" in attrs:
        changes["template_status"] = problems.choice(attrs, "template_status", TEMPLATE_STATUSES)
    if "template_type" in attrs:
        changes["template_type"] = problems.choice(attrs, "template_type", TEMPLATE_TYPES)
    if "timezone" in attrs:
        changes["timezone"] = problems.timezone(attrs, "timezone")
    if "rto" in attrs:
        changes["rto"] = problems.integer(attrs, "rto")
    if "auto_start" in attrs:
        changes["auto_start"] = problems.boolean(attrs, "auto_start")
    for name in MOMENT_FIELDS:
        if name in attrs:
            changes[name] = problems.moment(attrs, name)
    if "custom_field_values" in attrs:
        values = check_values(store, attrs["custom_field_values"], RUNBOOK_SCOPES, problems)
        changes["custom_field_values"] = merge_values(
            (old or {}).get("custom_field_values"), values
        )
    _check_template_type(store, changes, old or {}, problems)
    _check_timing(attrs, changes, old or {}, problems)
    return changes


def _check_template_type(
    store: Store, changes: dict[str, object], old: Record, problems: Problems
) -> None:
    """Round 2: template_type goes with is_template (`off` is not a template, `default` is).

    Whichever of the two is sent sets the other; both sent must agree. A `snippet` is taken
    as a template too (the evidence says only that `default` reads back as one).
    """
    flag, kind = changes.get("is_template"), changes.get("template_type")
    if flag is not None and kind is not None:
        if (kind != "off") != flag:
            problems.add(
                attribute_pointer("template_type"),
                "invalid",
                f"template_type {kind} does not go with is_template {str(flag).lower()}",
            )
    elif kind is not None:
        changes["is_template"] = kind != "off"
    elif flag is not None:
        current = old.get("template_type") or "off"
        changes["template_type"] = ("default" if current == "off" else current) if flag else "off"
    if old.get("is_template") and changes.get("is_template") is False and _used(store, old):
        problems.add(
            attribute_pointer("is_template"),
            "runbook.cannot_remove_template_when_in_use",
            "this runbook template has already been used and must remain a template",
        )


def _used(store: Store, template: Record) -> bool:
    """Whether any runbook (archived ones too) was copied from `template`."""
    return any(r.get("source_runbook_id") == template["id"] for r in store.all("runbook"))


def _check_timing(
    attrs: Mapping[str, object], changes: dict[str, object], old: Record, problems: Problems
) -> None:
    """start_planned xor start_scheduled; end_scheduled after start_scheduled; templates."""
    if "start_planned" in attrs and "start_scheduled" in attrs:
        # The reference: start_planned "Must not be passed if `start_scheduled` is passed",
        # and Round 2: not even as null. Of its codes only must_be_empty says so.
        problems.add(
            attribute_pointer("start_planned"),
            "must_be_empty",
            "start_planned must not be sent with start_scheduled, not even as null",
        )
        return
    if changes.get("start_scheduled") is not None:
        changes["start_planned"] = None
    if changes.get("start_planned") is not None:
        changes["start_scheduled"] = None
        changes["end_scheduled"] = None
    merged = {**old, **changes}
    start = parse_moment(merged.get("start_scheduled"))
    end = parse_moment(merged.get("end_scheduled"))
    if end is not None and start is None and "end_scheduled" in attrs:
        problems.add(
            attribute_pointer("end_scheduled"), "invalid", "end_scheduled needs start_scheduled"
        )
    elif end is not None and start is not None and end <= start:
        problems.add(
            attribute_pointer("end_scheduled"),
            "end_scheduled_must_be_after_start_scheduled",
            "end_scheduled must be after start_scheduled",
        )
    # Round 2, Runbooks: nothing says a template cannot have `start_scheduled`;
    # `runbook.cannot_be_template_with_event` is about events, so it is not used here.
    if "is_template" in changes and not changes["is_template"] and "template_status" not in attrs:
        changes["template_status"] = None
        merged["template_status"] = None
    if merged.get("template_status") is not None and not merged.get("is_template"):
        problems.add(
            attribute_pointer("template_status"),
            "runbook.cannot_update_template_status_on_non_template",
            "template_status can only be set on a template",
        )


def check_relationships(
    store: Store,
    relationships: Mapping[str, object],
    old: Record | None,
    problems: Problems,
    *,
    workspace_required: bool,
) -> dict[str, object]:
    """Workspace (by id or key), folder within it, runbook type."""
    changes: dict[str, object] = {}
    given, ident = relationship_id(relationships, "workspace", problems)
    workspace_id = (old or {}).get("workspace_id")
    if given or (old is None and workspace_required):
        workspace = find_workspace(store, ident)
        if workspace is None:
            code = "required" if ident is None else "not_found"
            detail = "workspace is required" if ident is None else f"workspace {ident} not found"
            problems.add(relationship_pointer("workspace"), code, detail)
        else:
            workspace_id = changes["workspace_id"] = workspace["id"]
    given, ident = relationship_id(relationships, "folder", problems)
    if given:
        if ident is None:
            # The reference's own example error: "Folder can't be blank".
            problems.add(relationship_pointer("folder"), "blank", "folder can't be blank")
        else:
            folder = store.get("folder", as_int(ident) or -1)
            if folder is None or (
                workspace_id is not None and folder["workspace_id"] != workspace_id
            ):
                problems.add(
                    relationship_pointer("folder"),
                    "not_found",
                    f"folder {ident} not found in the runbook's workspace",
                )
            else:
                changes["folder_id"] = folder["id"]
    elif workspace_id is not None and (old is None or workspace_id != old.get("workspace_id")):
        # Round 2, Runbooks: without a folder a runbook lands in its workspace's Default.
        default = default_folder(store, workspace_id)
        changes["folder_id"] = default["id"] if default else None
    given, ident = relationship_id(relationships, "runbook_type", problems)
    if given:
        kind = find_runbook_type(store, ident)
        if kind is None or kind.get("archived") or kind.get("disabled"):
            problems.add(
                relationship_pointer("runbook_type"), "not_found", f"runbook type {ident} not found"
            )
        else:
            changes["runbook_type_id"] = kind["id"]
    elif old is None:
        default = next((t for t in store.all("runbook_type") if t.get("default")), None)
        changes["runbook_type_id"] = default["id"] if default else None
    return changes


def check_created_from_template(
    store: Store, changes: Mapping[str, object], source: Record | None, problems: Problems
) -> None:
    """Round 2: a type with restrict_create_to_templates takes runbooks copied from a template.

    The reference has no code of its own for it; its general `invalid` is used. A template
    of such a type may itself be made directly (else none could ever exist).
    """
    type_id = changes.get("runbook_type_id")
    kind = store.get("runbook_type", type_id) if isinstance(type_id, int) else None
    if kind is None or not kind.get("restrict_create_to_templates") or changes.get("is_template"):
        return
    if source is None or not source.get("is_template"):
        problems.add(
            relationship_pointer("runbook_type"),
            "invalid",
            f"runbooks of type {kind['name']} can only be created from a template",
        )
