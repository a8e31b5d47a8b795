"""The canonical key order of runbook files, shared by `fmt` and by code that writes files."""

from __future__ import annotations

TOP_ORDER = ("runbooks", "runbook", "streams", "tasks")
RUNBOOK_ORDER = (
    "id",
    "name",
    "renamed_from",
    "archived",
    "workspace",
    "folder",
    "type",
    "template",
    "is_template",
    "template_status",
    "timezone",
    "start_planned",
    "start_scheduled",
    "end_scheduled",
    "status",
    "status_message",
    "description",
    "custom_fields",
    "rto",
)
TEMPLATE_ORDER = ("name", "id", "tasks", "teams", "users")
RTO_ORDER = ("duration", "start", "end")
STREAM_ORDER = ("name", "renamed_from", "color", "description", "streams")
TASK_ORDER = (
    "key",
    "name",
    "renamed_from",
    "absent",
    "stream",
    "type",
    "duration",
    "level",
    "after",
    "assignees",
    "start_fixed",
    "end_fixed",
    "start_requirements",
    "end_requirements",
    "disable_notify",
    "description",
    "custom_fields",
)
PROJECT_ORDER = (
    "workspace",
    "folder",
    "api_url",
    "api_version",
    "parallelism",
    "delete_limit_count",
    "delete_limit_percent",
    "variables",
)


def ordered_keys(keys: list[str], order: tuple[str, ...]) -> list[str]:
    """Keys in canonical order; keys the order does not know keep their place after them."""
    rank = {key: position for position, key in enumerate(order)}
    known = sorted((key for key in keys if key in rank), key=rank.__getitem__)
    return known + [key for key in keys if key not in rank]
