"""Cutover resources → the shared state shapes, in name space (ids only beside them)."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from runform.providers.cutover.live.lookups import Lookups
from runform.providers.cutover.live.task_rows import RefDict, TaskRow, many, one
from runform.providers.cutover.state.shapes import (
    Assignee,
    LiveRunbook,
    LiveStream,
    LiveTask,
    RtoState,
    RunbookState,
    StreamState,
)


def custom_fields_of(lookups: Lookups, values: Any) -> dict[str, Any]:
    """`custom_field_values` as read back → {canonical field name: value}."""
    result: dict[str, Any] = {}
    for entry in values if isinstance(values, list) else []:
        field_id = entry.get("custom_field_id")
        name = lookups.name_of("custom_field", field_id) if field_id is not None else None
        name = name if name and name != str(field_id) else entry.get("name")
        if name:
            value = entry.get("value")
            result[str(name)] = list(value) if isinstance(value, list | tuple) else value
    return result


def runbook_of(resource: Any, lookups: Lookups) -> LiveRunbook:
    """The runbook's own attributes (streams and tasks are added by the fetch)."""
    attrs = resource.attributes
    type_name = lookups.name_of("runbook_type", resource.rel_id("runbook_type"))
    state = RunbookState(
        name=attrs.get("name") or "",
        workspace=lookups.name_of("workspace", resource.rel_id("workspace")),
        folder=lookups.name_of("folder", resource.rel_id("folder")),
        type=type_name,
        description=attrs.get("description"),
        timezone=attrs.get("timezone"),
        start_planned=attrs.get("start_planned"),
        start_scheduled=attrs.get("start_scheduled"),
        end_scheduled=attrs.get("end_scheduled"),
        status=attrs.get("status"),
        status_message=attrs.get("status_message"),
        is_template=bool(attrs.get("is_template")),
        template_status=attrs.get("template_status"),
        custom_fields=custom_fields_of(lookups, attrs.get("custom_field_values")),
    )
    return LiveRunbook(
        id=str(resource.id),
        updated_at=attrs.get("updated_at"),
        stage=attrs.get("stage") or "planning",
        dynamic=lookups.is_dynamic(type_name),
        archived=bool(attrs.get("archived")),
        state=state,
    )


def streams_of(resources: list[Any]) -> list[LiveStream]:
    """Streams with the parent named, not numbered."""
    names = {str(r.id): r.attributes.get("name") or "" for r in resources}
    return [
        LiveStream(
            id=str(r.id),
            updated_at=r.attributes.get("updated_at"),
            is_primary=bool(r.attributes.get("is_primary")),
            state=StreamState(
                name=names[str(r.id)],
                parent=names.get(r.rel_id("parent") or ""),
                color=r.attributes.get("color"),
                description=r.attributes.get("description"),
            ),
        )
        for r in resources
    ]


def rto_of(resource: Any, tasks: list[LiveTask]) -> RtoState:
    """The runbook's RTO with its tasks by name (a task not in the runbook reads as none)."""
    names = {task.id: task.state.name for task in tasks}
    return RtoState(
        rto=resource.attributes.get("rto"),
        rto_start_task=names.get(resource.rel_id("rto_start_task") or ""),
        rto_end_task=names.get(resource.rel_id("rto_end_task") or ""),
    )


def runbook_teams_of(resources: list[Any], lookups: Lookups) -> dict[str, str]:
    """Team name → runbook team id."""
    teams: dict[str, str] = {}
    for r in resources:
        team_id = r.rel_id("team")
        name = lookups.name_of("team", team_id) if team_id else None
        teams[str(name or r.attributes.get("name") or r.id)] = str(r.id)
    return teams


def team_members_of(resources: list[Any], lookups: Lookups) -> tuple[str, ...]:
    """Users the runbook teams list (their `users` relationship), by canonical name."""
    names = {
        lookups.name_of("user", user_id) or user_id
        for r in resources
        for user_id in r.rel_ids("users")
    }
    return tuple(sorted(names))


_LIVE_TASKS = TypeAdapter(list[LiveTask])  # a runbook's tasks checked in one call


def tasks_of(
    rows: list[TaskRow], streams: list[LiveStream], teams: dict[str, str], lookups: Lookups
) -> list[LiveTask]:
    """Tasks with stream, predecessors, type and assignees as names."""
    task_names = {row.id: row.attrs.get("name") or "" for row in rows}
    stream_names = {s.id: s.state.name for s in streams}
    team_names = {rt_id: name for name, rt_id in teams.items()}
    tasks = []
    for row in rows:
        attrs, rels = row.attrs, row.rels
        preds = [
            task_names[ref["id"]]
            for ref in many(rels.get("predecessors"))
            if ref["id"] in task_names
        ]
        if not preds and attrs.get("predecessor_ids"):  # forecast mode lists them as attributes
            preds = [task_names[i] for i in attrs.get("predecessor_ids") or () if i in task_names]
        tasks.append(
            {
                "id": row.id,
                "internal_id": attrs.get("internal_id"),
                "updated_at": attrs.get("updated_at"),
                "stage": attrs.get("stage"),
                "source_runbook_id": one(rels.get("source_runbook")),
                "source_task_id": one(rels.get("source_task")),
                "state": {
                    "name": task_names[row.id],
                    "stream": stream_names.get(one(rels.get("stream")) or ""),
                    "type": lookups.name_of("task_type", one(rels.get("task_type"))),
                    "duration": attrs.get("duration"),
                    "level": attrs.get("level"),
                    "predecessors": tuple(preds),
                    "assignees": _assignees(many(rels.get("assignees")), team_names, lookups),
                    "start_fixed": attrs.get("start_fixed"),
                    "end_fixed": attrs.get("end_fixed"),
                    "start_requirements": attrs.get("start_requirements"),
                    "end_requirements": attrs.get("end_requirements"),
                    "disable_notify": attrs.get("disable_notify"),
                    "description": attrs.get("description"),
                    "custom_fields": custom_fields_of(lookups, attrs.get("custom_field_values")),
                },
            }
        )
    return _LIVE_TASKS.validate_python(tasks)


def _assignees(refs: list[RefDict], team_names: dict[str, str], lookups: Lookups) -> list[Assignee]:
    found = []
    for ref in refs:
        kind, ref_id = ref["type"], ref["id"]
        if kind == "runbook_team":
            found.append(Assignee(kind="team", name=team_names.get(ref_id, ref_id)))
        elif kind == "user":
            found.append(Assignee(kind="user", name=lookups.name_of("user", ref_id) or ref_id))
    return sorted(found, key=lambda a: (a.kind, a.name))
