"""The checks Cutover makes before a runbook starts (`runbooks.start.*` codes).

The task limit is an error and always refuses the start. The readiness checks (unassigned
tasks, runbook teams with no members, tasks planned to end after their due time) are taken as
warnings: the reference's `validation_level` is `error` by default and "set to 'warning' to
block Runbook start on any validation check", so only `warning` makes them refuse it.
"""

from __future__ import annotations

from collections.abc import Mapping

from runform.providers.cutover.sandbox.jsonapi import ApiFailure, ErrorObject
from runform.providers.cutover.sandbox.schedule import epoch, planned_times
from runform.providers.cutover.sandbox.store import Record, Store

# The most tasks a runbook may hold and still be started in the sandbox.
MAX_RUN_TASKS = 5000
VALIDATION_LEVELS = ("warning", "error")
SHOWN = 5


def check_start(store: Store, runbook: Record, meta: Mapping[str, object]) -> None:
    """Raise 422 with every `runbooks.start.*` problem of this runbook, or return."""
    level = meta.get("validation_level", "error")
    if level not in VALIDATION_LEVELS:
        raise ApiFailure.one(
            422,
            f"validation_level must be one of {', '.join(VALIDATION_LEVELS)}",
            "inclusion",
            pointer="/meta/validation_level",
        )
    tasks = sorted(store.of_runbook("task", runbook["id"]), key=lambda t: t["internal_id"])
    errors: list[ErrorObject] = []
    if len(tasks) > MAX_RUN_TASKS:
        detail = f"the runbook has {len(tasks)} tasks; at most {MAX_RUN_TASKS} can run"
        errors.append(_error("runbooks.start.max_tasks_exceeded", detail))
    if level == "warning":
        errors.extend(_readiness(store, runbook, tasks))
    if errors:
        raise ApiFailure(422, errors)


def _readiness(store: Store, runbook: Record, tasks: list[Record]) -> list[ErrorObject]:
    errors: list[ErrorObject] = []
    unassigned = [t["name"] for t in tasks if not t.get("assignees")]
    if unassigned:
        detail = f"{len(unassigned)} task(s) have no assignee: {_names(unassigned)}"
        errors.append(_error("runbooks.start.unassigned_tasks", detail))
    empty = []
    for runbook_team in sorted(store.of_runbook("runbook_team", runbook["id"]), key=_id):
        team = store.get("team", runbook_team["team_id"]) or {}
        if not team.get("user_ids"):
            empty.append(runbook_team.get("name") or team.get("name") or str(runbook_team["id"]))
    if empty:
        detail = f"{len(empty)} runbook team(s) have no members: {_names(empty)}"
        errors.append(_error("runbooks.start.empty_teams", detail))
    times = planned_times(store, runbook)
    late = []
    for task in tasks:
        due = epoch(task.get("end_fixed"))
        planned = times.get(task["id"])
        if due is not None and planned is not None and planned[1] > due:
            late.append(task["name"])
    if late:
        detail = f"{len(late)} task(s) are planned to end after their due time: {_names(late)}"
        errors.append(_error("runbooks.start.late_tasks", detail))
    return errors


def _error(code: str, detail: str) -> ErrorObject:
    return ErrorObject(422, detail, code, pointer="/data")


def _names(names: list[str]) -> str:
    shown = ", ".join(repr(name) for name in names[:SHOWN])
    return shown + (f" and {len(names) - SHOWN} more" if len(names) > SHOWN else "")


def _id(record: Record) -> int:
    return int(record["id"])
