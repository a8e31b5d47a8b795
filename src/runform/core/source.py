"""Fast YAML reading with positions: libyaml events built into plain data and a path→position map.

ruamel.yaml's round-trip loader is ten times slower than libyaml, and PyYAML's C composer crashes
on deeply nested input, so files are built here straight from libyaml's event stream. That also
gives one place to refuse what a runbook file never needs: alias bombs, deep nesting, binary
content, huge files, several documents. Scalars follow the YAML 1.2 core schema, so `off`, `yes`
and `no` stay text (`status: off` means the status "off") and timestamps stay text for pydantic.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path as FilePath
from typing import TYPE_CHECKING, Any

from runform.core.problems import Path, Problem, definition_error
from runform.text.safe import quoted, shown

if TYPE_CHECKING:
    import yaml

    from runform.core.source_cache import SourceCache

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 64
MAX_ALIAS_NODES = 5_000
# What aliases may add to the file, in characters of text: a small anchor repeated five thousand
# times is fine, a megabyte name repeated eleven times is not.
MAX_ALIAS_CHARS = 1_000_000
# Integers runform reads have at most this many digits (ids and seconds fit in far fewer);
# longer ones are refused before Python converts them (it refuses beyond 4,300 digits itself).
MAX_INT_DIGITS = 18

_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
# Plain scalars that are not text: the nulls and booleans of the core schema.
_CONSTANTS: dict[str, Any] = {
    **dict.fromkeys(("", "~", "null", "Null", "NULL")),
    **dict.fromkeys(("true", "True", "TRUE"), True),
    **dict.fromkeys(("false", "False", "FALSE"), False),
}
# The first characters _INT and _FLOAT can match: any other plain scalar is text.
_NUMBER_STARTS = frozenset("0123456789+-.")
_STR_TAG = "tag:yaml.org,2002:str"
_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "map", "seq")
)


@dataclass
class Source:
    """One file's plain data and where each field path starts in it (1-based line, column)."""

    name: str
    data: Any
    text: str = ""
    has_placeholders: bool = True
    known_positions: dict[Path, tuple[int, int]] | None = field(default=None, repr=False)
    outline: dict[Path, tuple[int, int]] = field(default_factory=dict, repr=False)

    @property
    def positions(self) -> dict[Path, tuple[int, int]]:
        """Where each path starts; recovered by a second parse only when a message needs one."""
        if self.known_positions is None:
            self.known_positions = {}
            _build(self.text, self.known_positions)
        return self.known_positions

    def position(self, path: Path, *, outline: bool = False) -> tuple[int, int]:
        """The position of `path`, or of its nearest written ancestor (`outline`: no re-parse)."""
        positions = self.outline if outline else self.positions
        found = positions.get(tuple(path))
        if found is not None:  # the usual case: the path itself is written
            return found
        for end in range(len(path) - 1, -1, -1):
            found = positions.get(tuple(path[:end]))
            if found is not None:
                return found
        return (1, 1)

    def problem(self, path: Path, message: str) -> Problem:
        """A problem at `path` in this file."""
        from runform.core.problems import format_path

        line, column = self.position(path)
        return Problem(self.name, line, column, format_path(path), message)


class _Refused(Exception):
    """Raised inside the builder for input the format refuses; carries a position."""

    def __init__(self, message: str, mark: Any) -> None:
        super().__init__(message)
        self.message = message
        self.line = mark.line + 1 if mark is not None else 1
        self.column = mark.column + 1 if mark is not None else 1


def read_source(
    path: str | FilePath, *, max_bytes: int = MAX_FILE_BYTES, cache: SourceCache | None = None
) -> Source:
    """Read one YAML file into a Source, raising DefinitionError with one clear problem
    (`cache`: parses kept from earlier runs, see runform.core.source_cache)."""
    name = str(path)
    file_path = FilePath(path)
    try:
        size = file_path.stat().st_size
        if size > max_bytes:
            raise _whole_file(
                name,
                f"file is {size / 1048576:.1f} MB; runbook files are limited to "
                f"{max_bytes / 1048576:.0f} MB",
            )
        raw = file_path.read_bytes()
    except OSError as err:
        raise _whole_file(name, f"cannot read file: {err.strerror or err}") from None
    return parse_source(name, raw, max_bytes=max_bytes, cache=cache)


def parse_source(
    name: str, raw: bytes, *, max_bytes: int = MAX_FILE_BYTES, cache: SourceCache | None = None
) -> Source:
    """Parse YAML bytes (already read) into a Source; a file `cache` holds is not parsed again
    (only a file that parses is kept, so every problem is still found by parsing)."""
    if len(raw) > max_bytes:
        raise _whole_file(name, f"file is larger than {max_bytes / 1048576:.0f} MB")
    if b"\0" in raw[:8192]:
        raise _whole_file(name, "file is binary, not YAML text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        column = (
            len(raw[raw.rfind(b"\n", 0, err.start) + 1 : err.start].decode("utf-8", "replace")) + 1
        )
        message = f"file is not UTF-8 text (bad byte 0x{raw[err.start]:02x} at offset {err.start})"
        raise definition_error([Problem(name, line, column, "", message)]) from None
    source = Source(name, None, text=text, has_placeholders="${" in text)
    key = cache.key(raw) if cache is not None else ""
    kept = cache.get(key) if cache is not None else None
    if kept is not None:
        source.data, source.outline = kept
        return source
    import yaml  # here, not at the top: a plan whose files are all in the cache needs none of it

    try:
        source.data = _build(text, source.outline, depth=2)
    except _Refused as err:
        raise definition_error([Problem(name, err.line, err.column, "", err.message)]) from None
    except yaml.MarkedYAMLError as err:
        raise definition_error([_syntax_problem(name, text, err)]) from None
    except yaml.reader.ReaderError as err:
        raise definition_error([_character_problem(name, text, err)]) from None
    except yaml.YAMLError as err:
        raise _whole_file(name, f"YAML syntax error: {err}") from None
    if source.data is None:
        raise _whole_file(name, "file is empty; expected a mapping with `runbook:` or `runbooks:`")
    if cache is not None:
        cache.put(key, source.data, source.outline)
    return source


def _whole_file(name: str, message: str) -> Exception:
    return definition_error([Problem(name, 1, 1, "", message)])


def _syntax_problem(name: str, text: str, err: yaml.MarkedYAMLError) -> Problem:
    """A YAML syntax error, naming tabs plainly because they are the usual cause."""
    mark = err.problem_mark or err.context_mark
    line = mark.line + 1 if mark else 1
    column = mark.column + 1 if mark else 1
    lines = text.splitlines()
    if mark and mark.line < len(lines):
        current = lines[mark.line]
        indent = current[: len(current) - len(current.lstrip(" \t"))]
        if "\t" in indent or current[mark.column : mark.column + 1] == "\t":
            tab_column = (indent.index("\t") if "\t" in indent else mark.column) + 1
            return Problem(name, line, tab_column, "", "tab character: YAML indents with spaces")
    detail = err.problem or "invalid YAML"
    if err.context:
        detail = f"{detail} ({err.context})"
    last = text.count("\n") + 1
    if line > last:  # the end of a file without a final newline: its last line's end
        line = last
        column = len(text) - (text.rfind("\n") + 1) + 1
    return Problem(name, line, column, "", f"YAML syntax error: {detail}")


def _character_problem(name: str, text: str, err: yaml.reader.ReaderError) -> Problem:
    """A character YAML text may not hold, at its line and column."""
    offset = min(max(err.position, 0), len(text))
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    character = err.character if isinstance(err.character, str) else chr(err.character or 0)
    return Problem(
        name,
        line,
        column,
        "",
        f"control character {shown(character)} is not allowed in YAML text "
        f'(inside a double-quoted string, write it as the escape "{shown(character)}")',
    )


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
    if value in _CONSTANTS:
        return _CONSTANTS[value]
    if value[0] in _NUMBER_STARTS:
        return _number(value, event)
    return value


def _number(value: str, event: yaml.ScalarEvent) -> Any:
    """A plain scalar that starts like a number: an int, a float, or text after all."""
    if not _FLOAT.fullmatch(value):  # every _INT is a _FLOAT too: text like `15m` fails once
        return value
    if _INT.fullmatch(value):
        if len(value.lstrip("+-")) > MAX_INT_DIGITS:
            raise _Refused(_too_large(value), event.start_mark)
        return int(value)
    number = float(value)
    if math.isinf(number):
        raise _Refused(_too_large(value), event.start_mark)
    return number


def _too_large(value: str) -> str:
    return (
        f"number {shown(value, 30)} is too large: integers have at most {MAX_INT_DIGITS} digits "
        "and decimals must be finite (quote it if it is text)"
    )


def _build(text: str, positions: dict[Path, tuple[int, int]], depth: int = MAX_DEPTH) -> Any:
    """Turn libyaml's events into dicts, lists and scalars, recording positions when asked.

    Loading records only the outline (`depth` 2: top-level keys, runbooks, tasks); paths for
    every field cost a third of the time, so a file with a problem is
    built again with them, so every message still names its line and column.
    The open collection lives in local variables (a file has tens of thousands of events, and
    each step saved per event counts); `stack` keeps the collections around it.
    """
    # Each saved frame: (container, is_mapping, pending key, path, recording, of the collection
    # around; then for the one it holds: node count at its start, anchor, characters at start)
    stack: list[tuple[Any, bool, Any, Path, bool, int, str | None, int]] = []
    container: Any = None  # the open collection (None at the top level)
    is_mapping = False
    key: Any = _NO_KEY  # the open mapping's key waiting for its value, or _NO_KEY
    path: Path = ()
    level = 0  # how many collections are open
    recording = True  # whether positions inside the open collection are recorded
    anchors: dict[str, tuple[Any, int, int]] = {}
    nodes = 0
    chars = 0  # characters of scalar text so far, aliases counted as expanded
    expanded = 0
    expanded_chars = 0
    documents = 0
    root: Any = None
    positions[()] = (1, 1)
    constants = _CONSTANTS
    number_starts = _NUMBER_STARTS
    import yaml

    scalar_event = yaml.ScalarEvent
    mapping_start = yaml.MappingStartEvent
    sequence_start = yaml.SequenceStartEvent
    mapping_end = yaml.MappingEndEvent
    sequence_end = yaml.SequenceEndEvent
    stream_end = yaml.StreamEndEvent
    # Pull events straight from libyaml: yaml.parse's generator costs a third of the time.
    next_event = yaml.CSafeLoader(text).get_event
    while True:
        event = next_event()
        kind = type(event)
        if kind is scalar_event:
            value = event.value
            size = len(value)
            nodes += 1
            chars += size
            if key is _NO_KEY and is_mapping:  # a mapping key: always text, as written
                if value in container:
                    raise _Refused(f"duplicate key {quoted(value)}", event.start_mark)
                key = value
                if recording:
                    mark = event.start_mark
                    positions[(*path, value)] = (mark.line + 1, mark.column + 1)
                continue
            if event.tag is not None:
                value = _scalar(event)
            elif not event.style:  # plain: perhaps a null, a boolean or a number
                if value in constants:
                    value = constants[value]
                elif value[0] in number_starts:
                    value = _number(value, event)
            if event.anchor:
                anchors[event.anchor] = (value, 1, size)
        elif kind is mapping_start or kind is sequence_start:
            nodes += 1
            if level >= MAX_DEPTH:
                raise _Refused(f"nesting is deeper than {MAX_DEPTH} levels", event.start_mark)
            if event.tag is not None and event.tag != "!" and event.tag not in _TAGS:
                raise _Refused(f"unsupported YAML tag {event.tag}", event.start_mark)
            if key is _NO_KEY and is_mapping:
                raise _Refused("mapping keys must be plain text, not collections", event.start_mark)
            if not level or not recording:
                child: Path = ()
            elif is_mapping:
                child = (*path, key)
            else:
                child = (*path, len(container))
                mark = event.start_mark
                positions[child] = (mark.line + 1, mark.column + 1)
            stack.append((container, is_mapping, key, path, recording, nodes, event.anchor, chars))
            is_mapping = kind is mapping_start
            container = {} if is_mapping else []
            key = _NO_KEY
            path = child
            level += 1
            recording = level <= depth
            continue
        elif kind is mapping_end or kind is sequence_end:
            value = container
            container, is_mapping, key, path, recording, start, anchor, start_chars = stack.pop()
            level -= 1
            if anchor:
                anchors[anchor] = (value, nodes - start + 1, chars - start_chars)
            if not level:
                root = value
            elif is_mapping:
                container[key] = value
                key = _NO_KEY
            else:
                container.append(value)
            continue
        elif kind is stream_end:
            break
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
            if key is _NO_KEY and is_mapping:
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
        # A scalar or an alias: the value of the pending key, or the open sequence's next item.
        if not level:
            root = value
        elif is_mapping:
            container[key] = value
            key = _NO_KEY
        else:
            if recording:
                mark = event.start_mark
                positions[(*path, len(container))] = (mark.line + 1, mark.column + 1)
            container.append(value)
    return root


class _NoKey:
    """Marks a mapping frame that waits for its next key."""


_NO_KEY = _NoKey()
