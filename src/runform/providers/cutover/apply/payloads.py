"""Turning a change's desired values (names) into the API's attributes and relationships (ids)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from runform.providers.cutover.apply.ids import RunbookIds
from runform.providers.cutover.live.lookups import Lookups
from runform.providers.cutover.state.shapes import TASK_ATTRIBUTES

RUNBOOK_ATTRIBUTES = (
    "name",
    "description",
    "timezone",
    "start_planned",
    "start_scheduled",
    "end_scheduled",
    "status",
    "status_message",
    "is_template",
    "template_status",
)
STREAM_ATTRIBUTES = ("name", "color", "description")


@dataclass
class Payload:
    """The body of one write, ready for the client."""

    attributes: dict[str, Any] = field(default_factory=dict)
    relationships: dict[str, Any] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.attributes or self.relationships or self.meta)


def ref(type_: str, id_: str | None) -> dict[str, str] | None:
    return None if id_ is None else {"type": type_, "id": str(id_)}


def lookup_id(lookups: Lookups, kind: str, name: str, workspace: str | None = None) -> str:
    """The id of a named object (workspace, folder, type, team, user, custom field)."""
    if kind == "folder":
        return str(lookups.id_of(kind, name, workspace=workspace))
    return str(lookups.id_of(kind, name))


def custom_field_values(lookups: Lookups, values: dict[str, Any] | None) -> list[dict[str, Any]]:
    """`{"Risk": "High"}` -> `[{"custom_field_id": "2", "value": "High"}]`."""
    return [
        {"custom_field_id": lookup_id(lookups, "custom_field", name), "value": value}
        for name, value in (values or {}).items()
    ]


def runbook_payload(values: dict[str, Any], fields: Iterable[str], lookups: Lookups) -> Payload:
    """The runbook fields named in `fields`, from `values`."""
    payload = Payload()
    workspace = values.get("workspace")
    for name in fields:
        value = values.get(name)
        if name in RUNBOOK_ATTRIBUTES:
            payload.attributes[name] = value
        elif name == "custom_fields":
            payload.attributes["custom_field_values"] = custom_field_values(lookups, value)
        elif name == "workspace" and value is not None:
            payload.relationships["workspace"] = ref(
                "workspace", lookup_id(lookups, "workspace", value)
            )
        elif name == "folder" and value is not None:
            folder_id = lookup_id(lookups, "folder", value, workspace=workspace)
            payload.relationships["folder"] = ref("folder", folder_id)
        elif name == "type" and value is not None:
            type_id = lookup_id(lookups, "runbook_type", value)
            payload.relationships["runbook_type"] = ref("runbook_type", type_id)
    return payload


def rto_payload(values: dict[str, Any], fields: Iterable[str], ids: RunbookIds) -> Payload:
    """The RTO fields named in `fields`: `rto` seconds, its tasks as relationships by id."""
    payload = Payload()
    for name in fields:
        value = values.get(name)
        if name == "rto":
            payload.attributes[name] = value
        elif name in ("rto_start_task", "rto_end_task"):
            payload.relationships[name] = ref("task", ids.task_id(value) if value else None)
    return payload


def stream_payload(values: dict[str, Any], fields: Iterable[str], ids: RunbookIds) -> Payload:
    """The stream fields named in `fields`; `parent` becomes the parent relationship."""
    payload = Payload()
    for name in fields:
        value = values.get(name)
        if name in STREAM_ATTRIBUTES:
            payload.attributes[name] = value
        elif name == "parent":
            payload.relationships["parent"] = ref("stream", ids.stream_id(value) if value else None)
    return payload


def task_payload(
    values: dict[str, Any],
    fields: Iterable[str],
    ids: RunbookIds,
    lookups: Lookups,
    *,
    create: bool,
) -> Payload:
    """The task fields named in `fields`; a create always carries `predecessors`."""
    payload = Payload()
    fields = list(fields)
    if create and "predecessors" not in fields:
        fields.append("predecessors")  # always explicit: the API may otherwise chain tasks
    for name in fields:
        value = values.get(name)
        if name in TASK_ATTRIBUTES:
            payload.attributes[name] = value
        elif name == "custom_fields":
            payload.attributes["custom_field_values"] = custom_field_values(lookups, value)
        elif name == "stream" and value is not None:
            payload.relationships["stream"] = ref("stream", ids.stream_id(value))
        elif name == "type" and value is not None:
            payload.relationships["task_type"] = ref(
                "task_type", lookup_id(lookups, "task_type", value)
            )
        elif name == "predecessors":
            payload.relationships["predecessors"] = [
                ref("task", ids.task_id(predecessor)) for predecessor in value or ()
            ]
        elif name == "assignees":
            _add_assignees(payload, value or (), ids, lookups, create=create)
        elif name == "links":
            # Written with a string id (Round 2); the plan resolved each template's id.
            payload.attributes["task_links"] = [
                {"id": str(_link_id(link)), "link_type": "runbook"} for link in value or ()
            ]
    return payload


def _link_id(link: Any) -> str:
    return str(link["id"] if isinstance(link, dict) else link.id)


def _add_assignees(
    payload: Payload, assignees: Iterable[Any], ids: RunbookIds, lookups: Lookups, *, create: bool
) -> None:
    """Assignees go as one `assignees` list of users and runbook teams; an update replaces."""
    refs: list[dict[str, str] | None] = []
    for assignee in assignees:
        kind, name = _assignee_parts(assignee)
        if kind == "team":
            refs.append(ref("runbook_team", ids.runbook_team_id(name)))
        else:
            refs.append(ref("user", lookup_id(lookups, "user", name)))
    payload.relationships["assignees"] = refs
    if not create:
        payload.meta["delete_excluded_assignees"] = True


def _assignee_parts(assignee: Any) -> tuple[str, str]:
    if isinstance(assignee, dict):
        return assignee["kind"], assignee["name"]
    if isinstance(assignee, str):
        kind, _, name = assignee.partition(":")
        return kind, name
    return assignee.kind, assignee.name
