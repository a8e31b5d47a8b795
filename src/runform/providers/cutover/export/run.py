"""Export runbooks: fetch each chosen runbook concurrently and write one file per runbook."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from runform.errors import PlanError, RunformError
from runform.providers.cutover.api import CutoverClient
from runform.providers.cutover.export.defaults import ExportDefaults
from runform.providers.cutover.export.select import Candidate, Selection, select_runbooks
from runform.providers.cutover.export.slugs import slugify, unique_slugs
from runform.providers.cutover.export.writer import dump_runbook, duplicate_task_names
from runform.providers.cutover.live.fetch import fetch_runbook
from runform.providers.cutover.live.lookups import Entry, Lookups
from runform.providers.cutover.live.normalize import runbook_of
from runform.providers.cutover.state.shapes import LiveRunbook

ARCHIVED_NOTE = (
    "NOTE: this runbook is archived in Cutover, and `archived: true` says so: planning\n"
    "this file changes nothing. Cutover offers no un-archive; without the key, plan\n"
    "would create a new runbook of this name."
)
UNREADABLE_NOTE = (
    "Cutover does not serve the streams and tasks of an archived runbook,\n"
    "so only the runbook's own attributes are exported."
)
SCHEMA_FILE = "runbook.schema.json"

Progress = Callable[[int, int, str], None]
"""Called as (done, total, runbook name) after each runbook is written."""


@dataclass
class ExportedFile:
    """One runbook written: where, and anything the reader of the file should know."""

    runbook: str
    runbook_id: str
    path: Path
    task_count: int = 0
    warnings: list[str] = field(default_factory=list)


@dataclass
class ExportReport:
    """What an export wrote and what it left out (archived runbooks), in file order."""

    files: list[ExportedFile] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        return [warning for exported in self.files for warning in exported.warnings]


def export_defaults(lookups: Lookups) -> ExportDefaults:
    """The tenant's defaults (types and task durations) that exported files leave out.

    The API does not mark the default task type, so when no type says `default`, the one
    keyed `normal` (Cutover's built-in default) is taken.
    """
    runbook_type = lookups.default("runbook_type") or _keyed(lookups, "runbook_type", "normal")
    task_type = lookups.default("task_type") or _keyed(lookups, "task_type", "normal")
    return ExportDefaults(
        runbook_type=runbook_type.name if runbook_type else None,
        task_type=task_type.name if task_type else None,
        task_type_durations=lookups.default_durations(),
    )


def _keyed(lookups: Lookups, kind: str, key: str) -> Entry | None:
    return next((e for e in lookups.entries(kind) if e.attributes.get("key") == key), None)


async def export_runbooks(
    client: CutoverClient,
    lookups: Lookups,
    selection: Selection,
    out_dir: Path,
    *,
    schema_dir: Path | None = None,
    concurrency: int = 10,
    forecast: bool = False,
    progress: Progress | None = None,
) -> ExportReport:
    """Write one file per chosen runbook under `out_dir`, reading runbooks concurrently.

    Each runbook costs three list reads (streams, tasks at 100 a page or all at once with
    `forecast`, runbook teams): the runbook itself comes from the list already read.
    """
    chosen = await select_runbooks(client, selection)
    report = ExportReport(
        skipped=[f"{r.name} (id {r.id}): archived" for r in chosen.archived_skipped]
    )
    names = {entry.id: entry.name for entry in lookups.entries("workspace")}
    paths = file_paths(chosen.runbooks, out_dir, names)
    defaults = export_defaults(lookups)
    limit = asyncio.Semaphore(max(1, concurrency))
    done = 0

    async def export_one(candidate: Candidate, path: Path) -> ExportedFile:
        nonlocal done
        async with limit:
            live, readable = await _read(client, lookups, candidate, forecast)
        pin = (candidate.workspace_id, candidate.name) in chosen.shared_names
        notes = [ARCHIVED_NOTE] if candidate.archived else []
        if not readable:
            notes.append(UNREADABLE_NOTE)
        schema = _schema_reference(schema_dir, path)
        write_file(path, dump_runbook(live, defaults, pin_id=pin, notes=notes, schema_url=schema))
        done += 1
        if progress is not None:
            progress(done, len(paths), candidate.name)
        warnings = _warnings(live, candidate, pin)
        if not readable:
            warnings.append(f"runbook {candidate.name!r} (id {candidate.id}): {UNREADABLE_NOTE}")
        return ExportedFile(candidate.name, candidate.id, path, len(live.tasks), warnings)

    pairs = zip(chosen.runbooks, paths, strict=True)
    report.files = list(await asyncio.gather(*(export_one(c, p) for c, p in pairs)))
    return report


async def _read(
    client: CutoverClient, lookups: Lookups, candidate: Candidate, forecast: bool
) -> tuple[LiveRunbook, bool]:
    """The live runbook, and whether its streams and tasks could be read (not when archived)."""
    try:
        live = await fetch_runbook(
            client, lookups, candidate.id, resource=candidate.resource, forecast=forecast
        )
    except PlanError:
        if not candidate.archived or candidate.resource is None:
            raise
        return runbook_of(candidate.resource, lookups), False
    return live, True


def file_paths(
    runbooks: list[Candidate], out_dir: Path, workspace_names: dict[str, str]
) -> list[Path]:
    """`<dir>/<runbook-slug>.yaml`, under a folder per workspace when several are exported."""
    workspaces = {r.workspace_id for r in runbooks}
    by_dir: dict[Path, list[int]] = {}
    for index, runbook in enumerate(runbooks):
        directory = out_dir
        if len(workspaces) > 1:
            label = workspace_names.get(runbook.workspace_id or "", runbook.workspace_id or "")
            directory = out_dir / slugify(label, fallback="workspace")
        by_dir.setdefault(directory, []).append(index)
    paths: list[Path] = [out_dir] * len(runbooks)
    for directory, indexes in by_dir.items():
        slugs = unique_slugs([runbooks[i].name for i in indexes], fallback="runbook")
        for index, slug in zip(indexes, slugs, strict=True):
            paths[index] = directory / f"{slug}.yaml"
    return paths


def _schema_reference(schema_dir: Path | None, path: Path) -> str:
    """The schema path as seen from the file (editors resolve it relative to the file)."""
    if schema_dir is None:
        return f"schemas/{SCHEMA_FILE}"
    target = os.path.relpath(schema_dir.resolve() / SCHEMA_FILE, path.parent.resolve())
    return Path(target).as_posix()


def _warnings(live: LiveRunbook, candidate: Candidate, pinned: bool) -> list[str]:
    label = f"runbook {candidate.name!r} (id {candidate.id})"
    warnings = []
    repeated = duplicate_task_names(live)
    if repeated:
        names = ", ".join(repr(name) for name in repeated)
        warnings.append(
            f"{label}: several tasks share a name ({names}); validate refuses the file "
            "until they are renamed"
        )
    if pinned:
        warnings.append(f"{label}: another runbook in the workspace has this name; pinned by id")
    if candidate.archived:
        warnings.append(f"{label}: archived in Cutover; written with `archived: true`")
    return warnings


def write_file(path: Path, text: str) -> None:
    """Write `text` atomically (a reader never sees half a file); bytes exactly as given."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.partial")
        partial.write_bytes(text.encode("utf-8"))
        os.replace(partial, path)
    except OSError as err:
        raise RunformError(f"cannot write {path}: {err.strerror or err}") from err
