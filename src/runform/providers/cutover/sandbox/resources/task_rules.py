"""Validation of task attributes and relationships, shared by create and patch."""

from __future__ import annotations

from collections.abc import Mapping

from runform.providers.cutover.sandbox.jsonapi import ApiFailure
from runform.providers.cutover.sandbox.resources.custom_fields import (
    TASK_SCOPES,
    check_values,
    merge_values,
)
from runform.providers.cutover.sandbox.resources.participants import participant_ids
from runform.providers.cutover.sandbox.schedule import has_cycle
from runform.providers.cutover.sandbox.store import Record, Store
from runform.providers.cutover.sandbox.validation import (
    Problems,
    as_int,
    attribute_pointer,
    parse_moment,
    relationship_id,
    relationship_list,
    relationship_pointer,
)

LEVELS = ("level_1", "level_2", "level_3")
START_REQUIREMENTS = ("any_can_start", "all_must_start")
END_REQUIREMENTS = ("any_can_end", "all_must_end", "same_must_end")
# The reference's full words.
COMPLETION_TYPES = ("complete_normal", "complete_skipped", "complete_abandoned", "complete_auto")
ASSIGNEE_TYPES = ("user", "runbook_team")


def ensure_editable(store: Store, runbook: Record) -> None:
    """Tasks of a running runbook change only when its type is dynamic."""
    if runbook.get("stage") == "planning":
        return
    kind = store.get("runbook_type", runbook.get("runbook_type_id") or -1)
    if kind is None or not kind.get("dynamic"):
        raise ApiFailure.one(
            422,
            f"tasks can't be edited while the runbook is {runbook.get('stage')}",
            "task.not_editable",
            pointer="/data",
        )


def check_attributes(
    store: Store, attrs: Mapping[str, object], old: Record | None, problems: Problems
) -> Record:
    """The attribute changes a create (old=None) or patch asks for."""
    changes: Record = {}
    if old is None or "name" in attrs:
        changes["name"] = problems.text(attrs, "name", required=True)
    if "description" in attrs:
        changes["description"] = problems.text(attrs, "description", limit=10000)
    if "duration" in attrs:
        changes["duration"] = problems.integer(attrs, "duration")
    for name, allowed in (
        ("level", LEVELS),
        ("start_requirements", START_REQUIREMENTS),
        ("end_requirements", END_REQUIREMENTS),
        ("completion_type", COMPLETION_TYPES),
    ):
        if name in attrs:
            changes[name] = problems.choice(attrs, name, allowed)
    if "disable_notify" in attrs:
        changes["disable_notify"] = problems.boolean(attrs, "disable_notify")
    for name in ("start_fixed", "end_fixed"):
        if name in attrs:
            changes[name] = problems.moment(attrs, name)
    if "custom_field_values" in attrs:
        values = check_values(store, attrs["custom_field_values"], TASK_SCOPES, problems)
        changes["custom_field_values"] = merge_values(
            (old or {}).get("custom_field_values"), values
        )
    merged = {**(old or {}), **changes}
    start, end = parse_moment(merged.get("start_fixed")), parse_moment(merged.get("end_fixed"))
    if start is not None and end is not None and end < start:
        problems.add(attribute_pointer("end_fixed"), "after", "end_fixed must be after start_fixed")
    return changes


def check_duration(store: Store, changes: Record, old: Record | None, problems: Problems) -> None:
    """Default the duration from the task type; only zero-length types allow 0."""
    task_type = store.get(
        "task_type", changes.get("task_type_id") or (old or {}).get("task_type_id") or -1
    )
    default = int((task_type or {}).get("default_duration") or 0)
    if old is None and changes.get("duration") is None:
        changes["duration"] = default
    if "duration" in changes and changes["duration"] == 0 and default > 0:
        problems.add(
            attribute_pointer("duration"), "greater_than", "duration must be greater than 0"
        )


def check_relationships(
    store: Store,
    runbook: Record,
    relationships: Mapping[str, object],
    old: Record | None,
    problems: Problems,
) -> Record:
    """task_type, stream (required on create), predecessors (no cycles), assignees."""
    changes: Record = {}
    given, ident = relationship_id(relationships, "task_type", problems)
    if given:
        task_type = store.get("task_type", as_int(ident) or -1)
        if task_type is None:
            problems.add(
                relationship_pointer("task_type"), "not_found", f"task type {ident} not found"
            )
        elif task_type.get("archived"):
            problems.add(
                relationship_pointer("task_type"),
                "cannot_be_changed_to_an_archived_resource",
                f"task type {ident} is archived",
            )
        else:
            changes["task_type_id"] = task_type["id"]
    elif old is None:
        default = next((t for t in store.all("task_type") if t.get("default")), None)
        changes["task_type_id"] = default["id"] if default else None
    given, ident = relationship_id(relationships, "stream", problems)
    if not given and old is None:
        # Round 2, Streams: a task may be created without a stream (Cutover's own client sends
        # one only when given); it lands in the runbook's primary stream.
        primary = next(
            (s for s in store.of_runbook("stream", runbook["id"]) if s.get("is_primary")), None
        )
        if primary is None:
            problems.add(relationship_pointer("stream"), "required", "stream is required")
        else:
            changes["stream_id"] = primary["id"]
    elif given:
        stream = store.get("stream", as_int(ident) or -1)
        if ident is None:
            problems.add(relationship_pointer("stream"), "required", "stream is required")
        elif stream is None or stream["runbook_id"] != runbook["id"]:
            problems.add(relationship_pointer("stream"), "not_found", f"stream {ident} not found")
        else:
            changes["stream_id"] = stream["id"]
    predecessors = relationship_list(relationships, "predecessors", problems)
    if predecessors is not None:
        changes["predecessor_ids"] = _check_predecessors(
            store, runbook, predecessors, old, problems
        )
    elif old is None:
        changes["predecessor_ids"] = []
    assignees = relationship_list(relationships, "assignees", problems)
    if assignees is not None:
        changes["assignees"] = _check_assignees(store, runbook, assignees, problems)
    return changes


def _check_predecessors(
    store: Store,
    runbook: Record,
    predecessors: list[dict[str, str]],
    old: Record | None,
    problems: Problems,
) -> list[int]:
    ids: list[int] = []
    for index, item in enumerate(predecessors):
        task = store.get("task", as_int(item["id"]) or -1)
        if task is None or task["runbook_id"] != runbook["id"]:
            problems.add(
                f"/data/relationships/predecessors/data/{index}",
                "not_found",
                f"predecessor task {item['id']} not found in this runbook",
            )
        elif task["id"] not in ids:
            ids.append(task["id"])
    if old is not None and ids:
        edges = {
            t["id"]: t.get("predecessor_ids") or [] for t in store.of_runbook("task", runbook["id"])
        }
        edges[old["id"]] = ids
        if old["id"] in ids or has_cycle(edges):
            problems.add(
                relationship_pointer("predecessors"),
                "invalid",
                "these predecessors would make a cycle",
            )
    return ids


def _check_assignees(
    store: Store, runbook: Record, assignees: list[dict[str, str]], problems: Problems
) -> list[dict[str, object]]:
    checked: list[dict[str, object]] = []
    participants: set[int] | None = None
    for index, item in enumerate(assignees):
        pointer = f"/data/relationships/assignees/data/{index}"
        kind = item["type"]
        if kind not in ASSIGNEE_TYPES:
            problems.add(pointer, "inclusion", "assignee type must be user or runbook_team")
            continue
        record = store.get(kind, as_int(item["id"]) or -1)
        if record is None or (kind == "runbook_team" and record["runbook_id"] != runbook["id"]):
            problems.add(pointer, "not_found", f"{kind} {item['id']} not found")
        elif record.get("archived"):
            problems.add(
                pointer,
                "cannot_be_changed_to_an_archived_resource",
                f"{kind} {item['id']} is archived",
            )
        else:
            if kind == "user":
                if participants is None:
                    participants = participant_ids(store, runbook)
                if record["id"] not in participants:
                    continue  # Round 2: a non-participant is silently ignored, not refused
            entry = {"type": kind, "id": record["id"]}
            if entry not in checked:
                checked.append(entry)
    return checked
