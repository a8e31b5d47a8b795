"""One change, one (or a few) API calls: the translation from a planned change to HTTP."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from runform.errors import ApplyError
from runform.providers.cutover.api.client import CutoverClient
from runform.providers.cutover.apply.ids import RunbookIds
from runform.providers.cutover.apply.payloads import (
    Payload,
    rto_payload,
    runbook_payload,
    stream_payload,
    task_payload,
)
from runform.providers.cutover.apply.reconcile import rematch
from runform.providers.cutover.live.lookups import Lookups
from runform.providers.cutover.plan.model import Action, Change, Kind
from runform.providers.cutover.state.shapes import LiveRunbook

# record(change, method, path, id): called as each write completes, for the journal.
Recorder = Callable[[Change, str, str, str | None], None]
# read(runbook_id): a fresh read of a runbook (`live.fetch.fetch_runbook`, bound).
Reader = Callable[[str], Awaitable[LiveRunbook]]


@dataclass
class CallContext:
    """What a call needs: the client, the lookups, this runbook's ids, the journal, a reader."""

    client: CutoverClient
    lookups: Lookups
    ids: RunbookIds
    record: Recorder
    read: Reader


async def perform(context: CallContext, change: Change) -> str | None:
    """Make `change` in Cutover and return the id of the object it made or touched."""
    if change.kind == Kind.RUNBOOK:
        return await _perform_runbook(context, change)
    if change.kind == Kind.RTO:
        return await _perform_rto(context, change)
    if change.action is Action.COPY:
        # Brought by the copy: bound by name below, created only if the copy lacks it.
        change = change.model_copy(update={"action": Action.CREATE})
    if change.from_template and change.id is None and context.ids.live is not None:
        # A predicted template object: bind it to the copy's by name, make only what differs.
        leftover = rematch(change, context.ids.live)
        if leftover is None:
            return _known_id(context.ids, change)
        change = leftover
    if _needs_runbook_teams(change) and context.ids.live is None:
        await context.ids.ensure_read(context.read)
    return await _perform_child(context, change)


def _needs_runbook_teams(change: Change) -> bool:
    if change.kind != Kind.TASK or change.action is Action.DELETE:
        return False
    assignees = (change.after or {}).get("assignees") or ()
    return any(_is_team(a) for a in assignees)


def _is_team(assignee: Any) -> bool:
    if isinstance(assignee, dict):
        return assignee.get("kind") == "team"
    return str(assignee).startswith("team:")


def _known_id(ids: RunbookIds, change: Change) -> str | None:
    table = ids.streams if change.kind == Kind.STREAM else ids.tasks
    return table.get(change.name)


async def _perform_runbook(context: CallContext, change: Change) -> str | None:
    ids, client = context.ids, context.client
    after = change.after or {}
    if change.action is Action.COPY:
        return await _copy_runbook(context, change)
    if change.action is Action.CREATE:
        payload = runbook_payload(after, after.keys(), context.lookups)
        created = await client.create(
            "/core/runbooks", "runbook", payload.attributes, payload.relationships or None
        )
        ids.runbook_id = created.id
        ids.workspace = after.get("workspace")
        context.record(change, "POST", "/core/runbooks", created.id)
        await _settle_race(context, change, created.id)
        return created.id
    runbook_id = change.id or ids.require_runbook()
    path = f"/core/runbooks/{runbook_id}"
    if change.action is Action.UPDATE:
        fields = [f.field for f in change.fields if f.field != "workspace"] or list(after)
        values = {"workspace": ids.workspace, **after}
        payload = runbook_payload(values, fields, context.lookups)
        if payload:
            await client.update(path, "runbook", payload.attributes, payload.relationships or None)
            context.record(change, "PATCH", path, runbook_id)
        return runbook_id
    if change.action is Action.DELETE:
        await client.delete(path)
        context.record(change, "DELETE", path, runbook_id)
        return runbook_id
    raise ApplyError(f"{change.address}: cannot {change.action.value} a runbook")


async def _perform_rto(context: CallContext, change: Change) -> str | None:
    """PATCH the runbook's RTO, its tasks by id (known by now: the change waited for them)."""
    ids = context.ids
    if change.from_template and ids.live is not None:
        # Planned from the template's RTO: the copy may already hold what the file asks.
        leftover = rematch(change.model_copy(update={"action": Action.UPDATE}), ids.live)
        if leftover is None:
            return ids.require_runbook()
        change = leftover
    runbook_id = change.id or ids.require_runbook()
    after = change.after or {}
    payload = rto_payload(after, [f.field for f in change.fields] or list(after), ids)
    path = f"/core/runbooks/{runbook_id}"
    await context.client.update(
        path, "runbook", payload.attributes or None, payload.relationships or None
    )
    context.record(change, "PATCH", path, runbook_id)
    return runbook_id


async def _copy_runbook(context: CallContext, change: Change) -> str:
    """POST a copy of the template, re-read the copy, and patch the runbook's own fields."""
    ids, client = context.ids, context.client
    after = change.after or {}
    copy = dict(change.copy or {})
    source_id = copy.get("template_id") or await _template_id(client, copy.get("template"))
    meta = {
        "copy": {
            "source_runbook_id": source_id,
            "tasks": bool(copy.get("tasks", True)),
            "teams": bool(copy.get("teams", True)),
            "users": bool(copy.get("users", True)),
        }
    }
    payload = runbook_payload(after, after.keys(), context.lookups)
    created = await client.create(
        "/core/runbooks", "runbook", payload.attributes, payload.relationships or None, meta
    )
    ids.runbook_id = created.id
    ids.workspace = after.get("workspace")
    context.record(change, "POST", "/core/runbooks", created.id)
    await _settle_race(context, change, created.id)
    copied = await context.read(created.id)
    ids.absorb(copied)
    leftover = rematch(change.model_copy(update={"action": Action.UPDATE}), copied)
    if leftover is not None:
        await _perform_runbook(context, leftover.model_copy(update={"id": created.id}))
    return created.id


async def _settle_race(context: CallContext, change: Change, created_id: str) -> None:
    """Re-list the workspace right after a create: when another apply's runbook of this name
    wins (`race.first_made`), ours is archived (journaled) and the change stops here."""
    from runform.providers.cutover.apply.race import LostRace, runbook_tree, settle_race
    from runform.providers.cutover.live.fetch import workspace_of

    workspace = workspace_of(context.lookups, runbook_tree(change))
    try:
        await settle_race(context.client, context.lookups, change, workspace, created_id)
    except LostRace:
        context.record(change, "DELETE", f"/core/runbooks/{created_id}", created_id)
        context.ids.runbook_id = None
        raise


async def _template_id(client: CutoverClient, name: str | None) -> str:
    """The id of the template runbook named `name` (the plan normally carries it)."""
    if not name:
        raise ApplyError("a copy needs a template name or id")
    from runform.providers.cutover.live.fetch import list_templates

    exact = [r for r in await list_templates(client) if r.attributes.get("name") == name]
    if len(exact) != 1:
        raise ApplyError(f'template "{name}": expected one template runbook, found {len(exact)}')
    return exact[0].id


async def _perform_child(context: CallContext, change: Change) -> str | None:
    """Create, patch or delete a stream or task."""
    ids, client = context.ids, context.client
    runbook_id = ids.require_runbook()
    collection = "streams" if change.kind == Kind.STREAM else "tasks"
    base = f"/core/runbooks/{runbook_id}/{collection}"
    table = ids.streams if change.kind == Kind.STREAM else ids.tasks
    after = change.after or {}
    if change.action is Action.CREATE:
        payload = _child_payload(context, change, after.keys(), create=True)
        created = await client.create(
            base, change.kind, payload.attributes, payload.relationships or None
        )
        table[change.name] = created.id
        context.record(change, "POST", base, created.id)
        return created.id
    object_id = change.id or table.get(change.name)
    if object_id is None and change.renamed_from:
        object_id = table.get(change.renamed_from)
    if object_id is None:
        raise ApplyError(f"{change.address}: no live id to {change.action.value}")
    path = f"{base}/{object_id}"
    if change.action is Action.UPDATE:
        fields = [f.field for f in change.fields] or list(after)
        payload = _child_payload(context, change, fields, create=False)
        if payload:
            await client.update(
                path,
                change.kind,
                payload.attributes or None,
                payload.relationships or None,
                payload.meta or None,
            )
            context.record(change, "PATCH", path, object_id)
        if change.renamed_from:
            table.pop(change.renamed_from, None)
        table[change.name] = object_id
        return object_id
    if change.action is Action.DELETE:
        await client.delete(path)
        table.pop(change.name, None)
        context.record(change, "DELETE", path, object_id)
        return object_id
    raise ApplyError(f"{change.address}: cannot {change.action.value} a {change.kind}")


def _child_payload(
    context: CallContext, change: Change, fields: Iterable[str], *, create: bool
) -> Payload:
    after = change.after or {}
    if change.kind == Kind.STREAM:
        return stream_payload(after, fields, context.ids)
    return task_payload(after, fields, context.ids, context.lookups, create=create)
