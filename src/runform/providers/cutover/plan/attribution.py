"""Who moved a field in Cutover, and when: Cutover's own audit trail, `GET /core/action_logs`.

Only for field changes a base has called Cutover's doing (`cutover`, `both`): each runbook
holding one has its action logs read once. A Cutover without the endpoint (404, 403, or 405
on an older Core) gives no attribution and no error: the plan is the same, just less told.

Which log entry moved a field is matched by the resource (type and id) and by the field's
name among the entry's `changes` (as named, or with `_id`, Cutover's names for references);
without such an entry, the resource's latest change after its creation stands for it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from runform.core.model import Action, Change, FieldChange
from runform.providers.cutover.api.client import CutoverClient
from runform.providers.cutover.api.errors import EndpointTooNew, Forbidden, NotFound
from runform.providers.cutover.api.records import Resource
from runform.providers.cutover.live.lookups import Lookups
from runform.providers.cutover.plan.model import Kind, RunbookPlan

log = logging.getLogger(__name__)
MOVED_IN_CUTOVER = ("cutover", "both")
UNKNOWN_AUTHOR = "an unknown user"
# The plan's kinds as Cutover names the resources its action logs are about.
RESOURCE_TYPES: dict[str, str] = {
    Kind.RUNBOOK: "runbook",
    Kind.RTO: "runbook",
    Kind.STREAM: "stream",
}


class AuditTrailAbsent(Exception):
    """This Cutover does not give its action logs to this token."""


def needs_attribution(runbook: RunbookPlan) -> bool:
    return runbook.live_id is not None and any(
        f.source in MOVED_IN_CUTOVER for c in runbook.changes for f in c.fields
    )


async def attribute_all(
    client: CutoverClient, runbooks: Sequence[RunbookPlan], lookups: Lookups
) -> list[RunbookPlan]:
    """The runbooks with `changed_by`/`changed_at` on each field Cutover moved, where known."""
    wanted = [r for r in runbooks if needs_attribution(r)]
    if not wanted:
        return list(runbooks)
    try:
        logs = await asyncio.gather(*(action_logs(client, str(r.live_id)) for r in wanted))
    except AuditTrailAbsent:
        return list(runbooks)
    by_runbook = {id(r): entries for r, entries in zip(wanted, logs, strict=True)}
    return [
        attribute(r, by_runbook[id(r)], lookups) if id(r) in by_runbook else r for r in runbooks
    ]


async def action_logs(client: CutoverClient, runbook_id: str) -> list[Resource]:
    """A runbook's action logs, oldest first; AuditTrailAbsent when Cutover gives none."""
    try:
        return list(await client.list("/core/action_logs", {"runbook_id": runbook_id}))
    except (NotFound, Forbidden, EndpointTooNew) as err:
        log.info("no action logs (%s): changes made in Cutover are not attributed", err.status)
        raise AuditTrailAbsent from None


def attribute(runbook: RunbookPlan, logs: list[Resource], lookups: Lookups) -> RunbookPlan:
    changes = [_attributed(c, logs, lookups) for c in runbook.changes]
    return runbook.model_copy(update={"changes": changes})


def _attributed(change: Change, logs: list[Resource], lookups: Lookups) -> Change:
    if change.action is not Action.UPDATE or change.id is None:
        return change
    if not any(f.source in MOVED_IN_CUTOVER for f in change.fields):
        return change
    resource_type = RESOURCE_TYPES.get(change.kind, change.kind)
    about = [e for e in logs if _is_about(e, resource_type, change.id)]
    fields = tuple(_field_attributed(f, about, lookups) for f in change.fields)
    return change.model_copy(update={"fields": fields})


def _field_attributed(field: FieldChange, about: list[Resource], lookups: Lookups) -> FieldChange:
    if field.source not in MOVED_IN_CUTOVER:
        return field
    entry = _latest_moving(field.field, about)
    if entry is None:
        return field
    return field.model_copy(
        update={
            "changed_by": _author(entry, lookups),
            "changed_at": entry.attributes.get("created_at"),
        }
    )


def _is_about(entry: Resource, resource_type: str, resource_id: str) -> bool:
    resource = entry.relationships.get("resource")
    return (
        not isinstance(resource, list)
        and resource is not None
        and resource.type == resource_type
        and resource.id == resource_id
    )


def _latest_moving(name: str, about: list[Resource]) -> Resource | None:
    """The latest entry whose changes name the field, else the latest non-creation one."""
    changed = [e for e in about if e.attributes.get("event") != "created"]
    naming = [e for e in changed if _names(e, name)]
    chosen = naming or changed
    return max(chosen, key=lambda e: str(e.attributes.get("created_at") or "")) if chosen else None


def _names(entry: Resource, name: str) -> bool:
    changes = entry.attributes.get("changes")
    return isinstance(changes, dict) and (name in changes or f"{name}_id" in changes)


def _author(entry: Resource, lookups: Lookups) -> str:
    author = entry.relationships.get("author")
    if author is None or isinstance(author, list):
        return UNKNOWN_AUTHOR
    user = lookups.find("user", author.id)
    return user.describe() if user is not None else f"user {author.id}"
