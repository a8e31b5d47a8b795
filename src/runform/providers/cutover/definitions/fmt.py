"""`runform fmt`: canonical key order and layout, keeping comments and blank-line groups.

ruamel.yaml keeps a comment that stands on its own line(s) as the tail of the entry *above*
it. Before keys move, such tails are split off and handed to whichever entry ends up above
the key they introduce, so a comment stays with the key it was written for.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.tokens import CommentToken

from runform.core.problems import Problem, definition_error
from runform.core.source import MAX_FILE_BYTES
from runform.providers.cutover.definitions.canonical import (
    PROJECT_ORDER,
    RTO_ORDER,
    RUNBOOK_ORDER,
    STREAM_ORDER,
    TASK_ORDER,
    TEMPLATE_ORDER,
    TOP_ORDER,
    ordered_keys,
)

__all__ = [
    "PROJECT_ORDER",
    "RTO_ORDER",
    "RUNBOOK_ORDER",
    "STREAM_ORDER",
    "TASK_ORDER",
    "TEMPLATE_ORDER",
    "TOP_ORDER",
    "format_text",
    "ordered_keys",
    "round_trip_yaml",
]


def round_trip_yaml() -> YAML:
    """A ruamel.yaml round-trip instance with runform's layout (2-space maps, `  - ` lists)."""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    return yaml


def format_text(text: str, name: str = "<text>", *, project: bool = False) -> str:
    """The canonical form of a runbook file (or of runform.yaml when `project`)."""
    yaml = round_trip_yaml()
    try:
        data = yaml.load(text)
    except Exception as err:  # ruamel raises many unrelated types for bad input
        mark = getattr(err, "problem_mark", None)
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        message = f"YAML syntax error: {problem}"
        if "'\\t'" in problem:  # valid YAML that ruamel.yaml's round trip cannot read
            message = (
                "a tab character outside quotes: fmt cannot rewrite this file while it is "
                "there; replace the tab with spaces (or quote the value)"
            )
        raise definition_error([Problem(name, line, column, "", message)]) from None
    if not isinstance(data, CommentedMap):
        return text
    if project:
        _reorder(data, PROJECT_ORDER)
    else:
        _format_file(data)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def format_file(path: str | Path) -> tuple[str, str]:
    """The file's current text and its canonical form."""
    file_path = Path(path)
    size = file_path.stat().st_size
    if size > MAX_FILE_BYTES:
        message = f"file is {size / 1048576:.1f} MB; runbook files are limited to 10 MB"
        raise definition_error([Problem(str(path), 1, 1, "", message)])
    text = file_path.read_text(encoding="utf-8")
    return text, format_text(text, str(path), project=file_path.name == "runform.yaml")


def _format_file(data: CommentedMap) -> None:
    _reorder(data, TOP_ORDER)
    documents = data.get("runbooks")
    if isinstance(documents, CommentedSeq):
        for document in documents:
            if isinstance(document, CommentedMap):
                _format_document(document)
    _format_document(data)


def _format_document(document: CommentedMap) -> None:
    _reorder(document, TOP_ORDER)
    runbook = document.get("runbook")
    if isinstance(runbook, CommentedMap):
        _reorder(runbook, RUNBOOK_ORDER, _above_first_key(runbook))
        if isinstance(runbook.get("template"), CommentedMap):
            _reorder(runbook["template"], TEMPLATE_ORDER, _above_first_key(runbook["template"]))
        if isinstance(runbook.get("rto"), CommentedMap):
            _reorder(runbook["rto"], RTO_ORDER, _above_first_key(runbook["rto"]))
    _format_streams(document.get("streams"))
    tasks = document.get("tasks")
    if isinstance(tasks, CommentedSeq):
        for index, task in enumerate(tasks):
            if isinstance(task, CommentedMap):
                _reorder(task, TASK_ORDER, _above_item(tasks, index))


def _format_streams(streams: Any) -> None:
    if not isinstance(streams, CommentedSeq):
        return
    for index, stream in enumerate(streams):
        if isinstance(stream, CommentedMap):
            _reorder(stream, STREAM_ORDER, _above_item(streams, index))
            _format_streams(stream.get("streams"))


# Places the own-line comments that stood above the key which becomes a mapping's first key.
PlaceLead = Callable[[str, int], None]


def _above_first_key(mapping: CommentedMap) -> PlaceLead:
    """Above the new first key of a mapping nested under a key (`runbook:`)."""

    def place(text: str, column: int) -> None:
        mapping.yaml_set_comment_before_after_key(next(iter(mapping)), _lines(text), column)

    return place


def _above_item(sequence: CommentedSeq, index: int) -> PlaceLead:
    """Above a list item (`- name: ...`): ruamel cannot write a comment between `-` and the
    item's first key, and there it describes the item anyway."""

    def place(text: str, column: int) -> None:
        sequence.yaml_set_comment_before_after_key(index, _lines(text), max(column - 2, 0))

    return place


def _lines(text: str) -> str:
    """Own-line comment text as ruamel's `before` argument: the lines without their `# `."""
    lines = []
    for line in text.rstrip("\n").split("\n"):
        stripped = line.strip()
        lines.append(stripped[2:] if stripped.startswith("# ") else stripped.lstrip("#"))
    return "\n".join(lines)


def _reorder(
    mapping: CommentedMap, order: tuple[str, ...], place_lead: PlaceLead | None = None
) -> None:
    """Put the mapping's keys in canonical order, moving own-line comments with their keys."""
    keys = [key for key in mapping if isinstance(key, str)]
    wanted = ordered_keys(keys, order)
    if wanted == keys or len(keys) != len(mapping):
        return
    # The text after each entry's own line introduces the next key (or ends the mapping).
    leads: dict[str, str] = {}
    trailing = ""
    for position, key in enumerate(keys):
        holder, index = _tail_slot(mapping, key)
        own, rest = _split(holder[index].value if holder[index] is not None else "")
        holder[index] = _token(own, holder[index]) if own else None
        if position + 1 < len(keys):
            leads[keys[position + 1]] = rest
        else:
            trailing = rest
    for key in wanted:
        mapping.move_to_end(key)
    # A key that becomes first has no entry above it to carry its comment: the caller knows
    # where it can stand (above the mapping's first key or above its list item); else it
    # follows that key.
    first_lead = leads.pop(wanted[0], "")
    if first_lead.strip() and place_lead is not None:
        place_lead(first_lead, _column_of(first_lead))
        first_lead = ""
    for position, key in enumerate(wanted):
        extra = leads.get(wanted[position + 1], "") if position + 1 < len(wanted) else trailing
        if position == 0:
            extra = first_lead + extra
        if not extra:
            continue
        holder, index = _tail_slot(mapping, key)
        current = holder[index].value if holder[index] is not None else ""
        if not current.endswith("\n"):
            current = (current + "\n") if current else "\n"
        holder[index] = _token(current + extra, holder[index])


def _tail_slot(container: Any, key: Any) -> tuple[list[Any], int]:
    """Where ruamel keeps the comment that follows `container[key]`: (list, index)."""
    value = container[key]
    is_block = not getattr(getattr(value, "fa", None), "flow_style", lambda: True)()
    if isinstance(value, CommentedMap) and len(value) and is_block:
        return _tail_slot(value, list(value)[-1])
    if isinstance(value, CommentedSeq) and len(value) and is_block:
        return _tail_slot(value, len(value) - 1)
    slot = 2 if isinstance(container, CommentedMap) else 0
    entry = container.ca.items.setdefault(key, [None, None, None, None])
    return entry, slot


def _split(text: str) -> tuple[str, str]:
    """An entry's end-of-line comment (up to its newline) and the own-line text after it."""
    if not text:
        return "", ""
    if text.startswith("\n") or text.lstrip(" ").startswith("\n"):
        return "\n", text[text.index("\n") + 1 :]
    end = text.find("\n")
    if end == -1:
        return text, ""
    return text[: end + 1], text[end + 1 :]


def _column_of(text: str) -> int:
    """The column of the first comment in `text`."""
    for line in text.split("\n"):
        if line.strip():
            return len(line) - len(line.lstrip(" "))
    return 0


def _token(value: str, previous: CommentToken | None) -> CommentToken:
    column = previous.column if previous is not None else 0
    return CommentToken(value, CommentMark(column), None)
