"""Write a live runbook as a file in the project's format: names not ids, defaults left out.

A runbook copied from a template is written as a full listing (no `template:`): the file
then describes every stream and task, and it still matches the live runbook by workspace and
name, so plan shows no changes and the file stands on its own if the template changes later.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from runform.providers.cutover.definitions.canonical import (
    RUNBOOK_ORDER,
    STREAM_ORDER,
    TASK_ORDER,
    ordered_keys,
)
from runform.providers.cutover.definitions.durations import format_duration
from runform.providers.cutover.export import defaults as cutover
from runform.providers.cutover.export.defaults import ExportDefaults
from runform.providers.cutover.export.slugs import unique_slugs
from runform.providers.cutover.export.values import format_datetime, text
from runform.providers.cutover.state.shapes import (
    LiveRunbook,
    LiveStream,
    LiveTask,
    RunbookState,
    TaskState,
)

SCHEMA_URL = "schemas/runbook.schema.json"


def dump_runbook(
    live: LiveRunbook,
    defaults: ExportDefaults,
    *,
    pin_id: bool = False,
    notes: Sequence[str] = (),
    schema_url: str = SCHEMA_URL,
) -> str:
    """The file text for `live`; the same live runbook always gives the same bytes."""
    tasks = ordered_tasks(live.tasks)
    sections = [section("runbook", _runbook_map(live, defaults, pin_id))]
    if live.streams:
        sections.append(section("streams", _stream_seq(live.streams)))
    if tasks:
        sections.append(section("tasks", _task_seq(tasks, live.state.timezone, defaults)))
    header = [f"# yaml-language-server: $schema={schema_url}"]
    for note in [*notes, *_duplicate_notes(tasks)]:
        header += [f"# {line}" for line in note.splitlines()]
    return "\n".join(header) + "\n" + "\n".join(sections)


def ordered_tasks(tasks: Iterable[LiveTask]) -> list[LiveTask]:
    """Tasks in Cutover's own numbering (internal id), so the file reads like the runbook."""
    indexed = list(enumerate(tasks))
    indexed.sort(key=lambda pair: (pair[1].internal_id is None, pair[1].internal_id or 0, pair[0]))
    return [task for _, task in indexed]


def duplicate_task_names(live: LiveRunbook) -> list[str]:
    """Task names used by more than one task (names are identity, so such a file is refused)."""
    seen: dict[str, int] = {}
    for task in live.tasks:
        seen[task.state.name] = seen.get(task.state.name, 0) + 1
    return sorted(name for name, count in seen.items() if count > 1)


def _duplicate_notes(tasks: list[LiveTask]) -> list[str]:
    names = duplicate_task_names(LiveRunbook(id="", state=RunbookState(name=""), tasks=tasks))
    if not names:
        return []
    listed = ", ".join(repr(name) for name in names)
    return [
        f"NOTE: several tasks share a name in Cutover: {listed}.\n"
        "Task names identify tasks, so `runform validate` refuses this file until the\n"
        "tasks are renamed in Cutover (then export again) or here (with renamed_from)."
    ]


def section(key: str, value: Any) -> str:
    """One top-level key as YAML text (sections are joined with a blank line between)."""
    yaml = YAML()
    yaml.width = 4096
    yaml.allow_unicode = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    out = io.StringIO()
    yaml.dump({key: value}, out)
    return out.getvalue()


def _runbook_map(live: LiveRunbook, defaults: ExportDefaults, pin_id: bool) -> CommentedMap:
    state = live.state
    zone = state.timezone
    out = CommentedMap()
    if pin_id:
        out["id"] = text(live.id)
    out["name"] = text(state.name)
    if live.archived:
        out["archived"] = True  # so the file plans no changes, never a new runbook
    _put(out, "workspace", state.workspace)
    _put(out, "folder", state.folder)
    if state.type and state.type != defaults.runbook_type:
        out["type"] = text(state.type)
    _put(out, "timezone", zone)
    for field in ("start_planned", "start_scheduled", "end_scheduled"):
        value = getattr(state, field)
        if value is not None:
            out[field] = text(format_datetime(value, zone))
    if state.status and state.status != cutover.RUNBOOK_STATUS:
        out["status"] = text(state.status)
    _put(out, "status_message", state.status_message)
    _put(out, "description", state.description)
    if state.is_template:
        out["is_template"] = True
        _put(out, "template_status", state.template_status)
    _put_custom_fields(out, state.custom_fields)
    return _canonical(out, RUNBOOK_ORDER)


def _stream_seq(streams: list[LiveStream]) -> CommentedSeq:
    names = {stream.state.name for stream in streams}
    children: dict[str | None, list[LiveStream]] = {}
    for stream in streams:
        parent = stream.state.parent if stream.state.parent in names else None
        children.setdefault(parent, []).append(stream)

    def build(parent: str | None, seen: frozenset[str]) -> CommentedSeq:
        seq = CommentedSeq()
        for stream in children.get(parent, []):
            entry = CommentedMap()
            entry["name"] = text(stream.state.name)
            _put(entry, "color", stream.state.color)
            _put(entry, "description", stream.state.description)
            if stream.state.name not in seen and children.get(stream.state.name):
                entry["streams"] = build(stream.state.name, seen | {stream.state.name})
            seq.append(_canonical(entry, STREAM_ORDER))
        return seq

    return build(None, frozenset())


def _task_seq(tasks: list[LiveTask], zone: str | None, defaults: ExportDefaults) -> CommentedSeq:
    keys = unique_slugs([task.state.name for task in tasks])
    key_of: dict[str, str] = {}
    position: dict[str, int] = {}
    for index, (task, key) in enumerate(zip(tasks, keys, strict=True)):
        key_of.setdefault(task.state.name, key)
        position.setdefault(task.state.name, index)
    seq = CommentedSeq()
    for task, key in zip(tasks, keys, strict=True):
        seq.append(_task_map(task.state, key, key_of, position, zone, defaults))
    return seq


def _task_map(
    task: TaskState,
    key: str,
    key_of: dict[str, str],
    position: dict[str, int],
    zone: str | None,
    defaults: ExportDefaults,
) -> CommentedMap:
    out = CommentedMap()
    out["key"] = text(key)
    out["name"] = text(task.name)
    _put(out, "stream", task.stream)
    if task.type and (task.type != defaults.task_type or task.links):
        out["type"] = text(task.type)  # a linking task's file names its type
    if task.duration is not None and task.duration != defaults.task_duration(task.type):
        out["duration"] = format_duration(task.duration)
    if task.level and task.level != cutover.TASK_LEVEL:
        out["level"] = text(task.level)
    if task.predecessors:
        ordered = sorted(
            set(task.predecessors), key=lambda name: (position.get(name, 1 << 30), name)
        )
        after = CommentedSeq(text(key_of.get(name, name)) for name in ordered)
        after.fa.set_flow_style()
        out["after"] = after
    if task.assignees:
        assignees = CommentedSeq()
        for assignee in sorted(set(task.assignees), key=lambda a: (a.kind, a.name)):
            entry = CommentedMap()
            entry[assignee.kind] = text(assignee.name)
            assignees.append(entry)
        out["assignees"] = assignees
    if task.links:
        links = CommentedSeq()
        for link in task.links:
            entry = CommentedMap()
            entry["template"] = text(link.template)
            entry.fa.set_flow_style()
            links.append(entry)
        links.fa.set_flow_style()
        out["links"] = links
    for field in ("start_fixed", "end_fixed"):
        value = getattr(task, field)
        if value is not None:
            out[field] = text(format_datetime(value, zone))
    if task.start_requirements and task.start_requirements != cutover.TASK_START_REQUIREMENTS:
        out["start_requirements"] = text(task.start_requirements)
    if task.end_requirements and task.end_requirements != cutover.TASK_END_REQUIREMENTS:
        out["end_requirements"] = text(task.end_requirements)
    if task.disable_notify:
        out["disable_notify"] = True
    _put(out, "description", task.description)
    _put_custom_fields(out, task.custom_fields)
    return _canonical(out, TASK_ORDER)


def _canonical(out: CommentedMap, order: tuple[str, ...]) -> CommentedMap:
    """The map with its keys in the order `runform fmt` gives them."""
    return CommentedMap((key, out[key]) for key in ordered_keys(list(out), order))


def _put(out: CommentedMap, key: str, value: str | None) -> None:
    if value:
        out[key] = text(value)


def _put_custom_fields(out: CommentedMap, values: dict[str, str | list[str]] | None) -> None:
    if not values:
        return
    fields = CommentedMap()
    for name in sorted(values):
        value = values[name]
        if value in ("", [], None):
            continue
        fields[text(name)] = text(value) if isinstance(value, str) else [text(v) for v in value]
    if fields:
        out["custom_fields"] = fields
