"""Names ↔ ids for the directory objects runbooks refer to, read once per run."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from runform.errors import ConfigError, ResolveError
from runform.providers.cutover.api.client import CutoverClient
from runform.providers.cutover.api.errors import NotFound
from runform.text.safe import CHOICES_SHOWN, shown
from runform.text.suggest import closest

KINDS = ("workspace", "folder", "runbook_type", "task_type", "team", "user", "custom_field")
LABELS = {
    "workspace": "workspace",
    "folder": "folder",
    "runbook_type": "runbook type",
    "task_type": "task type",
    "team": "team",
    "user": "user",
    "custom_field": "custom field",
}
# Which attributes also identify an object (the canonical name comes first).
ALIASES = {
    "workspace": ("key",),
    "folder": ("key",),
    "runbook_type": ("key",),
    "task_type": ("key",),
    "team": (),
    "user": ("handle",),
    "custom_field": ("display_name",),
}


@dataclass(frozen=True)
class Entry:
    """One directory object: its id, canonical name, other names, and raw attributes."""

    kind: str
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    workspace_id: str | None = None  # folders only
    attributes: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def describe(self) -> str:
        others = [a for a in self.aliases if a and a != self.name]
        return f"{self.name} ({', '.join(others)})" if others else self.name


def canonical_name(kind: str, attributes: dict[str, Any]) -> str:
    """Users are known by email (unique and readable); everything else by its name."""
    if kind == "user":
        return str(attributes.get("email") or attributes.get("handle") or "")
    return str(attributes.get("name") or "")


def entry_of(kind: str, resource: Any, workspace_id: str | None = None) -> Entry:
    attributes = dict(resource.attributes)
    aliases = tuple(str(attributes[a]) for a in ALIASES[kind] if attributes.get(a))
    return Entry(
        kind=kind,
        id=str(resource.id),
        name=canonical_name(kind, attributes),
        aliases=aliases,
        workspace_id=workspace_id,
        attributes=attributes,
    )


class Lookups:
    """Workspaces, folders, types, teams, users and custom fields, by id, key or name."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self._entries: dict[str, list[Entry]] = {kind: [] for kind in KINDS}
        self._by_id: dict[tuple[str, str], Entry] = {}
        for entry in entries:
            self._entries[entry.kind].append(entry)
            self._by_id[(entry.kind, entry.id)] = entry

    @classmethod
    async def fetch(cls, client: CutoverClient, workspaces: Iterable[str] | None = None) -> Lookups:
        """Read the directory once; folders only for `workspaces` (key, name or id) if given."""
        directory = await cls.fetch_directory(client)
        return await directory.with_folders(client, workspaces)

    @classmethod
    async def fetch_directory(cls, client: CutoverClient) -> Lookups:
        """Everything but folders, which need the workspaces' ids first."""
        paths = {
            "workspace": "/core/workspaces",
            "runbook_type": "/core/runbook_types",
            "task_type": "/core/task_types",
            "team": "/core/teams",
            "user": "/core/users",
            "custom_field": "/core/custom_fields",
        }
        reads = [asyncio.ensure_future(client.list(p, page_size=100)) for p in paths.values()]
        try:
            results = await asyncio.gather(*reads)
        except NotFound:
            # Whichever 404 came first: a 404 on the workspaces too means the URL is wrong.
            workspaces = await asyncio.gather(reads[0], return_exceptions=True)
            if isinstance(workspaces[0], NotFound):
                raise wrong_base_url(client) from None
            raise
        finally:
            for read in reads:
                read.cancel()
        return cls(
            entry_of(kind, r) for kind, rows in zip(paths, results, strict=True) for r in rows
        )

    async def with_folders(
        self, client: CutoverClient, workspaces: Iterable[str] | None = None
    ) -> Lookups:
        """These lookups plus the folders of `workspaces` (every workspace when None)."""
        wanted = self.entries("workspace")
        if workspaces is not None:
            ids = {e.id for w in workspaces if (e := self.find("workspace", w)) is not None}
            wanted = [w for w in wanted if w.id in ids]
        folder_lists = await asyncio.gather(
            *(client.list(f"/core/workspaces/{w.id}/folders", page_size=100) for w in wanted)
        )
        entries = [e for kind in KINDS if kind != "folder" for e in self._entries[kind]]
        for workspace, rows in zip(wanted, folder_lists, strict=True):
            entries += [entry_of("folder", r, workspace.id) for r in rows]
        return Lookups(entries)

    def entries(self, kind: str, workspace: str | None = None) -> list[Entry]:
        """Objects of one kind (folders of one workspace when it is given)."""
        found = self._entries[kind]
        if kind == "folder" and workspace is not None:
            space = self.find("workspace", workspace)
            found = [e for e in found if space is not None and e.workspace_id == space.id]
        return found

    def find(self, kind: str, ref: str, workspace: str | None = None) -> Entry | None:
        """The object a reference names: id, canonical name, or alias; exact before case-blind."""
        ref = str(ref)
        candidates = self.entries(kind, workspace)
        for matches in (
            [e for e in candidates if e.id == ref],
            [e for e in candidates if e.name == ref],
            [e for e in candidates if ref in e.aliases],
            [
                e
                for e in candidates
                if ref.casefold() in {n.casefold() for n in (e.name, *e.aliases)}
            ],
        ):
            if len(matches) == 1:
                return matches[0]
            if len(matches) > 1:
                names = ", ".join(f"{shown(e.describe(), 60)} [id {e.id}]" for e in matches[:20])
                raise ResolveError(f'{LABELS[kind]} "{shown(ref)}" is ambiguous: {names}')
        return None

    def get(self, kind: str, ref: str, workspace: str | None = None) -> Entry:
        """Like `find`, but an unknown reference is a ResolveError listing the choices."""
        entry = self.find(kind, ref, workspace)
        if entry is None:
            entries = self.entries(kind, workspace)
            listed = [shown(e.describe(), 60) for e in entries[:CHOICES_SHOWN]]
            if len(entries) > CHOICES_SHOWN:
                listed.append(f"and {len(entries) - CHOICES_SHOWN} more")
            close = closest(str(ref), [e.name for e in entries])
            hint = f'; did you mean "{shown(close)}"?' if close else ""
            where = f" in workspace {shown(workspace)}" if workspace and kind == "folder" else ""
            raise ResolveError(
                f'unknown {LABELS[kind]} "{shown(ref)}"{where}{hint} '
                f"(choices: {', '.join(listed) or 'none'})"
            )
        return entry

    def resolve(self, kind: str, ref: str, workspace: str | None = None) -> str:
        """The canonical name for an id, key or name."""
        return self.get(kind, ref, workspace).name

    def id_of(self, kind: str, name: str, workspace: str | None = None) -> str:
        """The id for a canonical name (or any reference `resolve` accepts)."""
        return self.get(kind, name, workspace).id

    def name_of(self, kind: str, id: str | int | None) -> str | None:
        """The canonical name for an id (None for None; the id itself when unknown)."""
        if id is None:
            return None
        entry = self._by_id.get((kind, str(id)))
        return entry.name if entry else str(id)

    def default(self, kind: str) -> Entry | None:
        """The object marked `default`, else the one keyed `normal`, else the first."""
        entries = self._entries[kind]
        marked = [e for e in entries if e.attributes.get("default")]
        normal = [e for e in entries if e.attributes.get("key") == "normal"]
        return next(iter(marked or normal or entries), None)

    def default_durations(self) -> dict[str, int]:
        """Task type name → default duration in seconds (for schedules of new tasks)."""
        return {
            e.name: int(e.attributes.get("default_duration") or 0)
            for e in self._entries["task_type"]
        }

    def is_dynamic(self, runbook_type: str | None) -> bool:
        entry = self.find("runbook_type", runbook_type) if runbook_type else None
        return bool(entry and entry.attributes.get("dynamic"))


def wrong_base_url(client: CutoverClient) -> ConfigError:
    """Every Cutover lists its workspaces: a 404 on that first read means the base URL points
    somewhere else (a path too many or too few), not that something was archived."""
    where = getattr(client, "base_url", None) or "the API"
    return ConfigError(
        f"GET /core/workspaces answered 404 at {where}: the base URL is probably wrong. Set "
        "CUTOVER_API_URL (or api_url in runform.yaml) to where Cutover's API starts, the part "
        "before /core/..., such as https://api.cutover.net or https://api.<instance>; no /core "
        "or other path at its end"
    )
