"""`export --update`: take Cutover's values into the files for the fields Cutover moved.

Only fields whose source against the base is `cutover` are written (a conflict is left for a
person to settle); each file is edited in place with ruamel.yaml's round trip, so comments,
order and quoting stay as they were.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from runform.core.model import Change, Plan
from runform.providers.cutover.definitions.durations import format_duration
from runform.providers.cutover.definitions.fmt import round_trip_yaml
from runform.providers.cutover.export.values import format_datetime, text
from runform.providers.cutover.plan.model import Kind

FILE_KEYS = {"predecessors": "after"}  # state field -> its key in a runbook file
TIMES = {"start_planned", "start_scheduled", "end_scheduled", "start_fixed", "end_fixed"}


@dataclass
class UpdateReport:
    """What `export --update` wrote: (file, object label, field) per value taken."""

    taken: list[tuple[str, str, str]] = field(default_factory=list)
    left: list[tuple[str, str, str]] = field(default_factory=list)  # conflicts, not written


def take_cutover_values(plan: Plan, sources: dict[str, str]) -> UpdateReport:
    """Write into each runbook's file the values Cutover moved; `sources` maps a runbook's
    name to the file it is written in."""
    report = UpdateReport()
    edits: dict[str, list[tuple[str, Change, str, Any]]] = {}
    for root in plan.roots:
        path = sources.get(root.name)
        if path is None:
            continue
        for change in root.changes:
            for fc in change.fields:
                label = f'{change.kind} "{change.name}"'
                if fc.source == "cutover":
                    edits.setdefault(path, []).append((root.name, change, fc.field, fc.before))
                    report.taken.append((path, label, fc.field))
                elif fc.source == "both":
                    report.left.append((path, label, fc.field))
    for path, items in edits.items():
        _edit_file(Path(path), items)
    return report


def _edit_file(path: Path, items: Iterable[tuple[str, Change, str, Any]]) -> None:
    yaml = round_trip_yaml()
    data = yaml.load(path.read_text(encoding="utf-8"))
    for runbook_name, change, name, value in items:
        document = _document(data, runbook_name)
        if document is None:
            continue
        zone = (document.get("runbook") or {}).get("timezone")
        target = _object(document, change)
        if target is None:
            continue
        key = FILE_KEYS.get(name, name)
        if value is None or value == [] or value == "":
            target.pop(key, None)
        elif name == "custom_fields":
            fields = target.setdefault(key, CommentedMap())
            fields.update({k: v for k, v in value.items()})
        else:
            target[key] = _file_value(name, value, zone)
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(data, handle)


def _document(data: Any, runbook: str) -> Any:
    """The `{runbook, streams, tasks}` mapping of the runbook named `runbook` in a file."""
    documents = data.get("runbooks") if "runbooks" in data else [data]
    for document in documents or []:
        if str((document.get("runbook") or {}).get("name")) == runbook:
            return document
    return None


def _object(document: Any, change: Change) -> Any:
    if change.kind == Kind.RUNBOOK:
        return document.get("runbook")
    listed = document.get("streams" if change.kind == Kind.STREAM else "tasks") or []
    for item in _flattened(listed):
        if str(item.get("name")) == change.name:
            return item
    return None


def _flattened(items: Iterable[Any]) -> Iterable[Any]:
    for item in items:
        yield item
        yield from _flattened(item.get("streams") or [])


def _file_value(name: str, value: Any, zone: str | None) -> Any:
    """A value as a runbook file writes it (durations as `15m`, times in the runbook's zone)."""
    if name == "duration":
        return format_duration(int(value))
    if name in TIMES:
        return text(format_datetime(datetime.fromisoformat(value), zone))
    if name == "predecessors":
        seq = CommentedSeq(text(v) for v in value)
        seq.fa.set_flow_style()
        return seq
    if name == "assignees":
        seq = CommentedSeq()
        for assignee in value:
            entry = CommentedMap()
            entry[assignee["kind"]] = text(assignee["name"])
            seq.append(entry)
        return seq
    return text(value) if isinstance(value, str) else value
