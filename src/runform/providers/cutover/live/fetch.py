"""Reading the live runbooks a plan needs: found by pinned id or workspace and name."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from runform.errors import PlanError, ResolveError
from runform.providers.cutover.api.client import CutoverClient
from runform.providers.cutover.api.errors import NotFound, UnexpectedResponse
from runform.providers.cutover.api.records import Resource
from runform.providers.cutover.api.row_pages import RowPages
from runform.providers.cutover.live.lookups import Lookups
from runform.providers.cutover.live.normalize import (
    rto_of,
    runbook_of,
    runbook_teams_of,
    streams_of,
    tasks_of,
    team_members_of,
)
from runform.providers.cutover.live.task_rows import TaskRow
from runform.providers.cutover.state.shapes import (
    CopySpec,
    LiveRunbook,
    RunbookTree,
    TaskLink,
)
from runform.text.safe import choices_text, shown

PAGE_SIZE = 100
# Task reads ask for whole resources, with no `fields[task]`: the names a sparse fieldset
# takes leave out `assignees` (a relationship of every full task), so one would drop them.
# Only the fields the shapes hold are decoded from what comes back (`live.task_rows`).

RunbookIndex = dict[tuple[str, str], list[Any]]  # (workspace name, runbook name) -> resources


@dataclass(frozen=True)
class RunbookParts:
    """What a whole read of a runbook held besides its tasks: the runbook itself, its streams
    and its runbook teams. While only tasks are written, a re-read takes these as they were
    and reads the task list alone (apply's recovery after a doubtful task write)."""

    resource: Any
    stream_rows: list[Any]
    team_rows: list[Any]


async def fetch_runbook(
    client: CutoverClient,
    lookups: Lookups,
    runbook_id: str,
    *,
    resource: Any | None = None,
    forecast: bool = False,
) -> LiveRunbook:
    """A runbook with its streams, tasks and runbook teams (the runbook GET skipped if given)."""
    live, _ = await read_runbook(client, lookups, runbook_id, resource=resource, forecast=forecast)
    return live


async def read_runbook(
    client: CutoverClient,
    lookups: Lookups,
    runbook_id: str,
    *,
    resource: Any | None = None,
    forecast: bool = False,
    parts: RunbookParts | None = None,
) -> tuple[LiveRunbook, RunbookParts]:
    """`fetch_runbook`, with the parts read beside the tasks; given `parts`, only the task
    list is read and the runbook is built from it and them, as a whole read would build it."""
    read = await read_rows(client, runbook_id, resource=resource, forecast=forecast, parts=parts)
    return await live_of(client, lookups, read), read.parts


@dataclass(frozen=True)
class RunbookRead:
    """What Cutover answered for one runbook, before it is made a `LiveRunbook` (`live_of`):
    a plan's kept diffs (`plan.kept`) are found again by these rows."""

    runbook_id: str
    parts: RunbookParts
    tasks: RowPages[TaskRow]

    @property
    def task_rows(self) -> list[TaskRow]:
        """The task rows, decoded from the pages' bodies when first asked for (`RowPages`)."""
        return self.tasks.rows()

    def has_links(self) -> bool:
        """Whether a task links a runbook (their names are read separately, by `live_of`)."""
        return any(row.attrs.get("task_links") and row.links() for row in self.task_rows)


async def read_rows(
    client: CutoverClient,
    runbook_id: str,
    *,
    resource: Any | None = None,
    forecast: bool = False,
    parts: RunbookParts | None = None,
) -> RunbookRead:
    """The runbook's streams, tasks and runbook teams as Cutover sends them (the runbook GET
    skipped if `resource` is given; only the tasks when `parts` are)."""
    base = f"/core/runbooks/{runbook_id}"
    # A forecast answer holds every task in one response; its links.next is never followed.
    tasks = (
        client.rows_unpaged(f"{base}/tasks", TaskRow, {"forecast": "true"})
        if forecast
        else client.list_rows(f"{base}/tasks", TaskRow, page_size=PAGE_SIZE)
    )
    try:
        if parts is None:
            stream_rows, task_rows, team_rows, found = await asyncio.gather(
                client.list(f"{base}/streams", page_size=PAGE_SIZE),
                tasks,
                client.list(f"{base}/runbook_teams", page_size=PAGE_SIZE),
                _runbook_resource(client, base, resource),
            )
            parts = RunbookParts(found, list(stream_rows), list(team_rows))
        else:
            task_rows = await tasks
    except NotFound:
        raise PlanError(
            f"runbook id {runbook_id} is not in Cutover (archived or deleted)"
        ) from None
    return RunbookRead(runbook_id, parts, task_rows)


async def _runbook_resource(client: CutoverClient, path: str, resource: Any | None) -> Any:
    """`resource` when the caller has it, else the runbook's GET."""
    return resource if resource is not None else await client.get(path)


async def live_of(client: CutoverClient, lookups: Lookups, read: RunbookRead) -> LiveRunbook:
    """The runbook as the plan compares it: names for ids, the linked runbooks' names read."""
    parts, task_rows = read.parts, read.task_rows
    try:
        live = runbook_of(parts.resource, lookups)
        streams = streams_of(parts.stream_rows)
        teams = runbook_teams_of(parts.team_rows, lookups)
        live.streams = streams
        live.runbook_teams = teams
        live.team_members = team_members_of(parts.team_rows, lookups)
        live.tasks = tasks_of(task_rows, streams, teams, lookups)
        live.rto = rto_of(parts.resource, live.tasks)
        link_ids = {str(link["id"]) for row in task_rows for link in row.links()}
    except (ValidationError, TypeError, ValueError, KeyError, AttributeError) as err:
        # Cutover's data is untrusted: a value of a type no runbook holds is a clear error.
        raise UnexpectedResponse(
            "GET",
            f"/core/runbooks/{read.runbook_id}",
            reason=f"runbook data runform cannot read: {_what(err)}",
        ) from None
    if link_ids:
        templates = await linked_templates(client, link_ids)
        for task, row in zip(live.tasks, task_rows, strict=True):
            links = [templates[str(link["id"])] for link in row.links()]
            task.state = task.state.model_copy(update={"links": tuple(links)})
    return live


async def linked_templates(client: CutoverClient, ids: Iterable[str]) -> dict[str, TaskLink]:
    """What each linked runbook stands for: a template is itself; in a runbook that is not a
    template a link names a fresh copy, whose `source_runbook` is the template linked."""
    ids = sorted(ids)
    rows = await asyncio.gather(*(_linked(client, i) for i in ids))
    return dict(zip(ids, rows, strict=True))


async def _linked(client: CutoverClient, runbook_id: str) -> TaskLink:
    try:
        row = await client.get(f"/core/runbooks/{runbook_id}")
        source = row.rel_id("source_runbook")
        if not row.attributes.get("is_template") and source:
            row = await client.get(f"/core/runbooks/{source}")
    except NotFound:
        return TaskLink(template=f"(runbook {runbook_id}, gone)", id=runbook_id)
    return TaskLink(template=str(row.attributes.get("name") or ""), id=str(row.id))


def _what(err: Exception) -> str:
    """The first unreadable value, named by its field (never a library's whole report)."""
    if isinstance(err, ValidationError):
        first = err.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ())) or "a value"
        return f"{where} = {shown(repr(first.get('input')), 60)}"
    return shown(f"{type(err).__name__}: {err}", 120)


async def list_workspace_runbooks(
    client: CutoverClient, workspace_id: str, *, archived: bool = False
) -> list[Any]:
    """Every non-archived (or, with `archived`, every archived) runbook of one workspace.

    Finding a runbook by name always goes through this listing, never through `query`:
    Cutover's `query` is a fuzzy search with an unknown ranking and indexing delay, so it may
    miss a runbook made moments ago (a lost create's) or bury it among near matches.
    """
    params = {"workspace_id": workspace_id, "archived": "true" if archived else "false"}
    return list(await client.list("/core/runbooks", params, page_size=PAGE_SIZE))


async def index_runbooks(
    client: CutoverClient, lookups: Lookups, workspaces: Iterable[str], *, archived: bool = False
) -> RunbookIndex:
    """Every non-archived (or archived) runbook of the given workspaces, listed once, by
    (workspace, name)."""
    spaces = sorted({lookups.get("workspace", w).id for w in workspaces})
    lists = await asyncio.gather(
        *(list_workspace_runbooks(client, s, archived=archived) for s in spaces)
    )
    index: RunbookIndex = defaultdict(list)
    for rows in lists:
        for row in rows:
            if bool(row.attributes.get("archived")) != archived:
                continue
            workspace = lookups.name_of("workspace", row.rel_id("workspace")) or ""
            index[(workspace, str(row.attributes.get("name") or ""))].append(row)
    return dict(index)


async def find_runbook(
    client: CutoverClient,
    lookups: Lookups,
    tree: RunbookTree,
    index: RunbookIndex | None = None,
    *,
    forecast: bool = False,
) -> LiveRunbook | None:
    """The live runbook a tree names: its pinned id, else the one of that name in its workspace."""
    read = await find_runbook_rows(client, lookups, tree, index, forecast=forecast)
    return None if read is None else await live_of(client, lookups, read)


async def find_runbook_rows(
    client: CutoverClient,
    lookups: Lookups,
    tree: RunbookTree,
    index: RunbookIndex | None = None,
    *,
    forecast: bool = False,
) -> RunbookRead | None:
    """`find_runbook`, as Cutover answered (`read_rows`), not yet a `LiveRunbook`."""
    found = await locate_runbook(client, lookups, tree, index)
    if found is None:
        return None
    runbook_id, resource = found
    return await read_rows(client, runbook_id, resource=resource, forecast=forecast)


async def locate_runbook(
    client: CutoverClient, lookups: Lookups, tree: RunbookTree, index: RunbookIndex | None = None
) -> tuple[str, Any] | None:
    """The id and resource of the live runbook a tree names, or None when there is none."""
    name = tree.runbook.name
    if tree.pinned_id:
        try:
            resource = await client.get(f"/core/runbooks/{tree.pinned_id}")
        except NotFound:
            resource = None
        if resource is None or resource.attributes.get("archived"):
            if tree.archived:
                return None  # archived already, or never there: `archive.find_archived` says
            raise PlanError(
                f'runbook "{shown(name)}": pinned id {tree.pinned_id} is not in Cutover '
                "(archived or deleted); remove the id to create it again"
            )
        return tree.pinned_id, resource
    workspace = workspace_of(lookups, tree)
    if index is None:  # one runbook alone (apply's recovery): list its workspace
        index = await index_runbooks(client, lookups, [workspace])
    rows = named_rows(tree, workspace, index)
    if len(rows) > 1 and "is_template" in tree.runbook.model_fields_set:
        # A task linking a template makes a copy under the template's name in its workspace:
        # a template's file knows its runbook from those copies by the flag it writes.
        wanted = bool(tree.runbook.is_template)
        rows = [r for r in rows if bool(r.attributes.get("is_template")) == wanted] or rows
    if len(rows) > 1:
        raise PlanError(duplicate_names_message(name, workspace, rows, tree.where()))
    if not rows:
        return None
    return str(rows[0].id), rows[0]


def named_rows(tree: RunbookTree, workspace: str, index: RunbookIndex) -> list[Any]:
    """The listed runbooks a tree's name matches: its name, else its `renamed_from` name.

    Both names live is refused: renaming one onto the other would leave two of one name.
    """
    name, old = tree.runbook.name, tree.runbook_renamed_from
    rows = index.get((workspace, name), [])
    previous = index.get((workspace, old), []) if old and old != name else []
    if rows and previous:
        new_ids = ", ".join(str(r.id) for r in rows)
        old_ids = ", ".join(str(r.id) for r in previous)
        raise PlanError(
            f'runbook "{shown(name)}" is renamed from "{shown(old or "")}", but workspace '
            f'{shown(workspace)} has both: "{shown(name)}" (id {new_ids}) and '
            f'"{shown(old or "")}" (id {old_ids}); archive or rename one of them in Cutover, '
            f"or drop renamed_from in {tree.where()}"
        )
    return rows or previous


def workspace_of(lookups: Lookups, tree: RunbookTree) -> str:
    """The canonical name of the workspace a tree's runbook belongs in."""
    if not tree.runbook.workspace:
        default = lookups.entries("workspace")
        if len(default) == 1:
            return default[0].name
        raise ResolveError(
            f'runbook "{shown(tree.runbook.name)}" ({tree.where()}): no workspace given; set '
            "`workspace:` in the file or in runform.yaml"
        )
    return lookups.resolve("workspace", tree.runbook.workspace)


async def find_template(
    client: CutoverClient, lookups: Lookups, copy: CopySpec, workspace: str | None = None
) -> LiveRunbook:
    """The template a copy starts from, by id or by name (its own workspace preferred)."""
    if copy.template_id:
        return await fetch_runbook(client, lookups, copy.template_id)
    rows = await list_templates(client)
    named = [r for r in rows if r.attributes.get("name") == copy.template]
    if len(named) > 1 and workspace:
        space = lookups.find("workspace", workspace)
        local = [r for r in named if space is not None and r.rel_id("workspace") == space.id]
        named = local or named
    if len(named) > 1:
        ids = ", ".join(str(r.id) for r in named)
        raise PlanError(
            f'template "{copy.template}" is ambiguous (ids {ids}); name it by `id:` instead'
        )
    if not named:
        choices = choices_text({str(r.attributes.get("name")) for r in rows}) or "none"
        raise ResolveError(f'unknown template "{shown(copy.template)}" (templates: {choices})')
    return await fetch_runbook(client, lookups, str(named[0].id), resource=named[0])


async def list_templates(client: CutoverClient) -> list[Resource]:
    """Every non-archived template runbook, all pages (by name: listed, never `query`)."""
    params = {"is_template": "true", "archived": "false"}
    return list(await client.list("/core/runbooks", params, page_size=PAGE_SIZE))


def duplicate_names_message(name: str, workspace: str, rows: list[Any], where: str) -> str:
    """Which runbooks share the name (id and when each was made) and how to pin one."""
    listed = []
    for row in rows:
        made = row.attributes.get("created_at")
        listed.append(f"{row.id} (created {shown(str(made), 40)})" if made else str(row.id))
    return (
        f'runbook "{shown(name)}": {len(rows)} runbooks in workspace {shown(workspace)} have '
        f"this name (ids {', '.join(listed)}); pin the right one with `id:` in {where}, e.g.\n"
        f"  runbook:\n    name: {shown(name)}\n    id: {rows[0].id}"
    )
