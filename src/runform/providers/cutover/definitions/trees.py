"""Turn validated runbook documents into RunbookTrees: only the fields the file writes are set."""

from __future__ import annotations

from datetime import datetime
from typing import Any, get_args

from pydantic import BaseModel, TypeAdapter

from runform.providers.cutover.definitions.checks import LoadedRunbook, resolve_after
from runform.providers.cutover.definitions.fieldtypes import DateTime
from runform.providers.cutover.definitions.models import RtoSpec, RunbookSpec, StreamSpec, TaskSpec
from runform.providers.cutover.definitions.project import ProjectConfig
from runform.providers.cutover.definitions.times import aware, clock_change_warning
from runform.providers.cutover.state.shapes import (
    CopySpec,
    RtoState,
    RunbookState,
    RunbookTree,
    StreamState,
    TaskState,
)

_RUNBOOK_SKIP = frozenset(("id", "template", "rto", "renamed_from", "archived"))
_TASK_SKIP = frozenset(("key", "after", "renamed_from", "absent", "assignees", "links"))


def _time_fields(model: type[BaseModel]) -> frozenset[str]:
    """The model's DateTime fields: the only ones whose values can be datetimes."""
    return frozenset(
        name
        for name, info in model.model_fields.items()
        if info.annotation == DateTime or DateTime in get_args(info.annotation)
    )


# A runbook's tasks validated in one call: one step into pydantic-core, not one per task.
_TASK_STATES = TypeAdapter(tuple[TaskState, ...])

# Looked at for every task, so found once from the models.
TIME_FIELDS: dict[type[BaseModel], frozenset[str]] = {
    model: _time_fields(model) for model in (RunbookSpec, TaskSpec)
}


def build_tree(loaded: LoadedRunbook, project: ProjectConfig) -> RunbookTree:
    """The desired state one runbook document describes."""
    document = loaded.document
    spec = document.runbook
    timezone = spec.timezone
    fields = _written(spec, _RUNBOOK_SKIP, timezone)
    if "workspace" not in fields and project.workspace is not None:
        fields["workspace"] = project.workspace
    if "folder" not in fields and project.folder is not None:
        fields["folder"] = project.folder
    keys = loaded.keys
    names = loaded.names
    task_fields = []
    absent = []
    renamed: dict[str, str] = {}
    sources: dict[str, str] = {}
    for index, task in enumerate(document.tasks):
        task_line, task_column = loaded.source.position(
            (*loaded.base, "tasks", index), outline=True
        )
        sources.setdefault(task.name, f"{loaded.source.name}:{task_line}:{task_column}")
        if task.absent:
            absent.append(task.name)
            continue
        task_fields.append(_task_fields(task, keys, timezone))
        if task.renamed_from is not None:
            renamed[task.name] = task.renamed_from
    line, _ = loaded.source.position((*loaded.base, "runbook"), outline=True)
    return RunbookTree(
        runbook=RunbookState(**fields),
        pinned_id=spec.id,
        runbook_renamed_from=spec.renamed_from,
        archived=spec.archived,
        copy_from=_copy_spec(loaded),
        rto=_rto_state(spec.rto, keys, names),
        streams=tuple(_stream_states(document.streams, None)),
        tasks=_TASK_STATES.validate_python(task_fields),
        renamed_from=renamed,
        stream_renamed_from=_stream_renames(document.streams),
        absent=tuple(absent),
        source=f"{loaded.source.name}:{line}",
        task_sources=sources,
        warnings=tuple(_clock_changes(loaded)),
        uses_variables=loaded.source.has_placeholders,
    )


def _clock_changes(loaded: LoadedRunbook) -> list[str]:
    """A warning at each naive time that falls in a daylight-saving gap or overlap."""
    document = loaded.document
    timezone = document.runbook.timezone
    written: list[tuple[BaseModel, tuple[str | int, ...]]] = [(document.runbook, ("runbook",))]
    written += [(task, ("tasks", index)) for index, task in enumerate(document.tasks)]
    warnings = []
    for spec, path in written:
        for name in sorted(spec.model_fields_set & TIME_FIELDS[type(spec)]):
            value = getattr(spec, name)
            if not isinstance(value, datetime):
                continue
            message = clock_change_warning(value, timezone)
            if message is not None:
                # Rare, so the full positions (a second parse) are worth it here.
                line, column = loaded.source.position((*loaded.base, *path, name))
                warnings.append(f"{loaded.source.name}:{line}:{column}: {name}: {message}")
    return warnings


def _written(spec: Any, skip: frozenset[str], timezone: str | None) -> dict[str, Any]:
    """The fields written in the file, with naive datetimes read in the runbook's timezone."""
    written = spec.model_fields_set - skip
    fields = {name: getattr(spec, name) for name in written}
    for name in written & TIME_FIELDS[type(spec)]:
        value = fields[name]
        if isinstance(value, datetime):
            fields[name] = aware(value, timezone)
    return fields


def _copy_spec(loaded: LoadedRunbook) -> CopySpec | None:
    template = loaded.document.runbook.template
    if template is None:
        return None
    return CopySpec(
        template=template.name if template.name is not None else str(template.id),
        template_id=template.id,
        tasks=template.tasks,
        teams=template.teams,
        users=template.users,
    )


def _rto_state(rto: RtoSpec | None, keys: dict[str, str], names: set[str]) -> RtoState | None:
    """The RTO with its tasks as names (a name the file lacks may be a template task's)."""
    if rto is None:
        return None
    return RtoState(
        rto=rto.duration,
        rto_start_task=resolve_after(rto.start, keys, names) or rto.start,
        rto_end_task=resolve_after(rto.end, keys, names) or rto.end,
    )


_STREAM_SKIP = frozenset(("streams", "renamed_from"))


def _stream_renames(streams: list[StreamSpec]) -> dict[str, str]:
    """Stream name -> the old name it may still carry live, substreams included."""
    renames: dict[str, str] = {}
    for stream in streams:
        if stream.renamed_from is not None:
            renames.setdefault(stream.name, stream.renamed_from)
        renames.update(
            (name, old)
            for name, old in _stream_renames(stream.streams or []).items()
            if name not in renames
        )
    return renames


def _stream_states(streams: list[StreamSpec], parent: str | None) -> list[StreamState]:
    states = []
    for stream in streams:
        fields = {name: getattr(stream, name) for name in stream.model_fields_set - _STREAM_SKIP}
        if parent is not None:
            fields["parent"] = parent
        states.append(StreamState(**fields))
        states.extend(_stream_states(stream.streams or [], stream.name))
    return states


def _task_fields(task: TaskSpec, keys: dict[str, str], timezone: str | None) -> dict[str, Any]:
    """A TaskState's fields (assignees and links as theirs), validated a runbook at a time."""
    fields = _written(task, _TASK_SKIP, timezone)
    if task.after is not None:
        # A key stands for its task; a task name, or a template task's, is kept as written.
        fields["predecessors"] = tuple(keys.get(reference, reference) for reference in task.after)
    if task.assignees is not None:
        fields["assignees"] = tuple(
            {"kind": "team", "name": a.team}
            if a.team is not None
            else {"kind": "user", "name": str(a.user)}
            for a in task.assignees
        )
    if task.links is not None:
        fields["links"] = tuple({"template": link.template} for link in task.links)
    return fields
