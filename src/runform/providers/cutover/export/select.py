"""Which live runbooks an export writes: by workspace, folder, template flag, name or id."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from runform.errors import RunformError
from runform.providers.cutover.api import CutoverClient, NotFound, Resource
from runform.providers.cutover.live.lookups import Lookups

RUNBOOKS_PATH = "/core/runbooks"
PAGE_SIZE = 100


class ExportSelectionError(RunformError):
    """The export was asked for runbooks that cannot be found or told apart."""


@dataclass(frozen=True)
class Selection:
    """What to export; with no runbook refs, `everything`, `templates` or a folder must be set."""

    workspace_id: str | None = None
    folder_id: str | None = None
    runbooks: tuple[str, ...] = ()
    templates: bool = False
    everything: bool = False
    include_archived: bool = False


@dataclass(frozen=True)
class Candidate:
    """A live runbook chosen for export (from the runbook list, before its tasks are read)."""

    id: str
    name: str
    workspace_id: str | None
    archived: bool
    is_template: bool
    resource: Resource | None = field(default=None, compare=False, repr=False)


@dataclass
class Chosen:
    """The runbooks to export, the archived ones left out, and names shared in a workspace."""

    runbooks: list[Candidate]
    archived_skipped: list[Candidate]
    shared_names: set[tuple[str | None, str]]


async def select_runbooks(client: CutoverClient, selection: Selection) -> Chosen:
    """List the runbooks in scope and pick those the selection asks for."""
    chosen = selection.runbooks or selection.everything or selection.templates
    if not (chosen or selection.folder_id):
        raise ExportSelectionError(
            "say what to export: --runbook NAME|ID, --templates, --folder F, --workspace W or --all"
        )
    listed = await _list_scope(client, selection)
    if selection.runbooks:
        picked = await _pick(client, listed, selection.runbooks)
    elif selection.everything or not selection.templates:  # --all, or a whole --folder
        picked = listed
    else:
        picked = [runbook for runbook in listed if runbook.is_template]
    kept = [r for r in picked if selection.include_archived or not r.archived]
    skipped = [r for r in picked if r.archived and not selection.include_archived]
    return Chosen(_sorted(kept), _sorted(skipped), _shared_names(listed))


async def _list_scope(client: CutoverClient, selection: Selection) -> list[Candidate]:
    """Every runbook in the workspace/folder scope (archived ones too, to report them)."""
    params: dict[str, Any] = {}
    if selection.workspace_id:
        params["workspace_id"] = selection.workspace_id
    if selection.folder_id:
        params["folder_id"] = selection.folder_id
    if selection.templates and not selection.everything and not selection.runbooks:
        params["is_template"] = "true"
    found: dict[str, Candidate] = {}
    # Named runbooks are looked for among archived ones too, to say why they are skipped.
    wide = selection.include_archived or bool(selection.runbooks)
    archived_states = ("false", "true") if wide else ("false",)
    for archived in archived_states:
        listed = await client.list(
            RUNBOOKS_PATH, {**params, "archived": archived}, page_size=PAGE_SIZE
        )
        for resource in listed:
            found.setdefault(resource.id, candidate_of(resource))
    return list(found.values())


async def _pick(
    client: CutoverClient, listed: list[Candidate], refs: Iterable[str]
) -> list[Candidate]:
    """Each ref is an id or a name; a name shared by several runbooks must be given by id."""
    by_id = {runbook.id: runbook for runbook in listed}
    picked: dict[str, Candidate] = {}
    for ref in refs:
        named = [r for r in listed if r.name == ref]
        if not named and ref.strip().isdigit():
            match = by_id.get(ref.strip()) or await _get(client, ref.strip())
            named = [match] if match else []
        if not named:
            raise ExportSelectionError(
                f"no runbook named or numbered {ref!r} in the selected scope"
            )
        if len(named) > 1:
            ids = ", ".join(r.id for r in named)
            raise ExportSelectionError(
                f"{len(named)} runbooks are named {ref!r} (ids {ids}); give the id instead"
            )
        picked.setdefault(named[0].id, named[0])
    return list(picked.values())


async def _get(client: CutoverClient, runbook_id: str) -> Candidate | None:
    try:
        return candidate_of(await client.get(f"{RUNBOOKS_PATH}/{runbook_id}"))
    except NotFound:
        return None


def candidate_of(resource: Resource) -> Candidate:
    """The few runbook-list fields selection needs."""
    attributes = resource.attributes
    return Candidate(
        id=resource.id,
        name=str(attributes.get("name") or ""),
        workspace_id=resource.rel_id("workspace"),
        archived=bool(attributes.get("archived")),
        is_template=bool(attributes.get("is_template")),
        resource=resource,
    )


def _sorted(runbooks: list[Candidate]) -> list[Candidate]:
    """A fixed order (workspace, name, id) so file names come out the same on every export."""
    return sorted(runbooks, key=lambda r: (r.workspace_id or "", r.name, _numeric(r.id)))


def _numeric(value: str) -> tuple[int, str]:
    return (int(value), "") if value.isdigit() else (1 << 62, value)


def _shared_names(listed: list[Candidate]) -> set[tuple[str | None, str]]:
    """(workspace, name) pairs held by more than one live (non-archived) runbook."""
    counts: dict[tuple[str | None, str], int] = {}
    for runbook in listed:
        if not runbook.archived:
            key = (runbook.workspace_id, runbook.name)
            counts[key] = counts.get(key, 0) + 1
    return {key for key, count in counts.items() if count > 1}


def selection_for(
    lookups: Lookups,
    *,
    workspace: str | None = None,
    folder: str | None = None,
    runbooks: Iterable[str] = (),
    templates: bool = False,
    everything: bool = False,
    include_archived: bool = False,
) -> Selection:
    """A selection with workspace and folder references (key, name or id) resolved to ids."""
    workspace_id = lookups.get("workspace", workspace).id if workspace else None
    folder_id = None
    if folder:
        scope = workspace_id
        entry = lookups.get("folder", folder, scope)
        folder_id = entry.id
        workspace_id = workspace_id or entry.workspace_id
    return Selection(
        workspace_id=workspace_id,
        folder_id=folder_id,
        runbooks=tuple(runbooks),
        templates=templates,
        everything=everything,
        include_archived=include_archived,
    )
