"""The event builder core/source.py used before it kept the open collection in local variables.

Kept only as the reference the property tests in test_source_properties.py hold the builder to:
the same data, positions and refusals for any YAML text.
"""

from __future__ import annotations

import math
from typing import Any

import yaml

from runform.core.problems import Path
from runform.core.source import (
    _FLOAT,
    _INT,
    _STR_TAG,
    _TAGS,
    MAX_ALIAS_CHARS,
    MAX_ALIAS_NODES,
    MAX_DEPTH,
    MAX_INT_DIGITS,
    _Refused,
    _too_large,
)
from runform.text.safe import quoted

_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_TRUES = frozenset(("true", "True", "TRUE"))
_FALSES = frozenset(("false", "False", "FALSE"))


def _scalar(event: yaml.ScalarEvent) -> Any:
    """Resolve a scalar with the YAML 1.2 core schema (plain text stays text)."""
    value = event.value
    tag = event.tag
    if tag is not None and tag != "!":
        if tag not in _TAGS:
            raise _Refused(f"unsupported YAML tag {tag}", event.start_mark)
        if tag == _STR_TAG:
            return value
    elif event.style:  # quoted or block scalars are text; plain ones have no style
        return value
    if value in _NULLS:
        return None
    if value in _TRUES:
        return True
    if value in _FALSES:
        return False
    first = value[0]
    if first.isdigit() or first in "+-.":
        if _INT.fullmatch(value):
            if len(value.lstrip("+-")) > MAX_INT_DIGITS:
                raise _Refused(_too_large(value), event.start_mark)
            return int(value)
        if _FLOAT.fullmatch(value):
            number = float(value)
            if math.isinf(number):
                raise _Refused(_too_large(value), event.start_mark)
            return number
    return value


def reference_build(
    text: str, positions: dict[Path, tuple[int, int]], depth: int = MAX_DEPTH
) -> Any:
    """Turn libyaml's events into dicts, lists and scalars, recording positions when asked.

    Loading records only the outline (`depth` 2: top-level keys, runbooks, tasks); paths for
    every field cost a third of the time, so a file with a problem is
    built again with them, so every message still names its line and column.
    """
    # Each frame: [container, path, is_mapping, pending key (or _NO_KEY), node count at start,
    # anchor, characters at start]
    stack: list[list[Any]] = []
    anchors: dict[str, tuple[Any, int, int]] = {}
    nodes = 0
    chars = 0  # characters of scalar text so far, aliases counted as expanded
    expanded = 0
    expanded_chars = 0
    documents = 0
    root: Any = None
    positions[()] = (1, 1)
    scalar_event = yaml.ScalarEvent
    stream_end = yaml.StreamEndEvent
    # Pull events straight from libyaml: yaml.parse's generator costs a third of the time.
    next_event = yaml.CSafeLoader(text).get_event
    while True:
        event = next_event()
        kind = type(event)
        if kind is stream_end:
            break
        if kind is scalar_event:
            nodes += 1
            chars += len(event.value)
            if stack and stack[-1][2] and stack[-1][3] is _NO_KEY:
                _take_key(stack[-1], event, positions if len(stack) <= depth else None)
                continue
            value = _scalar(event)
            if event.anchor:
                anchors[event.anchor] = (value, 1, len(event.value))
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            nodes += 1
            if len(stack) >= MAX_DEPTH:
                raise _Refused(f"nesting is deeper than {MAX_DEPTH} levels", event.start_mark)
            if event.tag is not None and event.tag != "!" and event.tag not in _TAGS:
                raise _Refused(f"unsupported YAML tag {event.tag}", event.start_mark)
            is_mapping = kind is yaml.MappingStartEvent
            path = _child_path(stack, event, positions) if len(stack) <= depth else ()
            if stack and stack[-1][2] and stack[-1][3] is _NO_KEY:
                raise _Refused("mapping keys must be plain text, not collections", event.start_mark)
            stack.append(
                [{} if is_mapping else [], path, is_mapping, _NO_KEY, nodes, event.anchor, chars]
            )
            continue
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            frame = stack.pop()
            value = frame[0]
            if frame[5]:
                anchors[frame[5]] = (value, nodes - frame[4] + 1, chars - frame[6])
            _attach(stack, value)
            if not stack:
                root = value
            continue
        elif kind is yaml.AliasEvent:
            if event.anchor not in anchors:
                raise _Refused(f"alias *{event.anchor} names no anchor", event.start_mark)
            value, size, text_size = anchors[event.anchor]
            nodes += size
            expanded += size
            chars += text_size
            expanded_chars += text_size
            if expanded > MAX_ALIAS_NODES:
                raise _Refused(
                    f"aliases expand to more than {MAX_ALIAS_NODES} values; "
                    "refusing what looks like an alias bomb",
                    event.start_mark,
                )
            if expanded_chars > MAX_ALIAS_CHARS:
                raise _Refused(
                    f"aliases expand to more than {MAX_ALIAS_CHARS:,} characters of text; "
                    "refusing what looks like an alias bomb",
                    event.start_mark,
                )
            if stack and stack[-1][2] and stack[-1][3] is _NO_KEY:
                raise _Refused("an alias cannot be a mapping key", event.start_mark)
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise _Refused(
                    "file holds more than one YAML document; use one per file or `runbooks:`",
                    event.start_mark,
                )
            continue
        else:
            continue
        if not stack:
            root = value
            continue
        if len(stack) <= depth and not stack[-1][2]:
            positions[(*stack[-1][1], len(stack[-1][0]))] = _mark(event)
        _attach(stack, value)
    return root


class _NoKey:
    """Marks a mapping frame that waits for its next key."""


_NO_KEY = _NoKey()


def _mark(event: Any) -> tuple[int, int]:
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1)


def _take_key(
    frame: list[Any], event: yaml.ScalarEvent, positions: dict[Path, tuple[int, int]] | None
) -> None:
    """Record a mapping key (always text, as written) and where it is."""
    key = event.value
    if key in frame[0]:
        raise _Refused(f"duplicate key {quoted(key)}", event.start_mark)
    frame[3] = key
    if positions is not None:
        positions[(*frame[1], key)] = _mark(event)


def _child_path(stack: list[list[Any]], event: Any, positions: dict[Path, tuple[int, int]]) -> Path:
    """The path of a collection that starts now, recording sequence items' positions."""
    if not stack:
        return ()
    parent = stack[-1]
    if parent[2]:
        if parent[3] is _NO_KEY:
            raise _Refused("mapping keys must be plain text, not collections", event.start_mark)
        return (*parent[1], parent[3])
    path = (*parent[1], len(parent[0]))
    positions[path] = _mark(event)
    return path


def _attach(stack: list[list[Any]], value: Any) -> None:
    """Put a finished value into the collection on top of the stack."""
    if not stack:
        return
    frame = stack[-1]
    if frame[2]:
        frame[0][frame[3]] = value
        frame[3] = _NO_KEY
    else:
        frame[0].append(value)
