"""The event builder gives the same data, positions and refusals as the reference builder."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.definitions.reference_builder import reference_build

from runform.core.source import MAX_DEPTH, _build, _Refused

# Plain, quoted and tagged scalars around every rule of the core schema; then a few the builder
# refuses (an infinite decimal, a 19-digit integer, an unknown tag), drawn rarely.
SCALARS = [
    "x",
    "y z",
    "Work",
    "5m",
    "Task 1",
    "1m",
    "",
    "''",
    "~",
    "null",
    "NULL",
    "true",
    "False",
    "off",
    "yes",
    "15",
    "-3",
    "+7",
    "007",
    "1.5",
    ".5",
    "-.5e3",
    "1e3",
    "0x1F",
    "\u0661\u0662",
    "2026-12-05T22:00:00",
    "123456789012345678",
    "'7'",
    '"true"',
    "!!str 5",
    "!!int 5",
    "!!bool x",
    "! 5",
    "!!null ''",
    "café",
]
REFUSED_SCALARS = ["1e999", "1234567890123456789", "!custom x"]
KEYS = ["a", "b", "c", "name", "tasks", "after", "7", "'d'", "true"]
# Keys the builder refuses: a collection, an alias.
ODD_KEYS = ["[k]", "{k: v}", "*a1"]
ANCHORS = ["a1", "a2"]


def _key(draw: st.DrawFn) -> str:
    if draw(st.integers(0, 49)) == 0:
        return draw(st.sampled_from(ODD_KEYS))
    return draw(st.sampled_from(KEYS))


def _anchored(draw: st.DrawFn, text: str) -> str:
    anchor = draw(st.sampled_from([None, None, None, *ANCHORS]))
    return f"&{anchor} {text}" if anchor else text


@st.composite
def flow_nodes(draw: st.DrawFn, depth: int = 0) -> str:
    """A flow node: a scalar, an alias, or a flow sequence or mapping of flow nodes."""
    choice = draw(st.integers(0, 19 if depth < 3 else 10))
    if choice <= 9:
        rare = draw(st.integers(0, 99)) == 0
        return _anchored(draw, draw(st.sampled_from(REFUSED_SCALARS if rare else SCALARS)))
    if choice == 10 and draw(st.booleans()):
        return f"*{draw(st.sampled_from([*ANCHORS, 'a3']))}"
    items = draw(st.lists(flow_nodes(depth + 1), max_size=3))
    if choice <= 15:
        return _anchored(draw, "[" + ", ".join(items) + "]")
    pairs = ", ".join(f"{_key(draw)}: {item}" for item in items)
    return _anchored(draw, "{" + pairs + "}")


@st.composite
def block_lines(draw: st.DrawFn, indent: int = 0) -> list[str]:
    """A block mapping or sequence whose values are flow nodes or nested blocks."""
    pad = " " * indent
    as_mapping = draw(st.booleans())
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        lead = f"{_key(draw)}:" if as_mapping else "-"
        if indent < 6 and draw(st.integers(0, 3)) == 0:
            lines.append(pad + lead)
            lines += draw(block_lines(indent + 2))
        else:
            lines.append(f"{pad}{lead} {draw(flow_nodes())}")
    return lines


@st.composite
def documents(draw: st.DrawFn) -> str:
    """A YAML text: a block document, sometimes deep, sometimes holding two documents."""
    text = "\n".join(draw(block_lines())) + "\n"
    nesting = draw(st.sampled_from([0] * 18 + [MAX_DEPTH - 2, MAX_DEPTH + 1]))
    if nesting:
        text = f"deep: {'[' * nesting}x{']' * nesting}\n" + text
    if draw(st.integers(0, 29)) == 0:
        text += "---\nsecond: document\n"
    return text


def _typed(value: Any) -> Any:
    """The value with every scalar's type spelt out (so 1, 1.0 and True differ)."""
    if isinstance(value, dict):
        return {key: _typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_typed(item) for item in value]
    return (type(value).__name__, value)


def _outcome(build: Any, text: str, depth: int) -> tuple[Any, ...]:
    positions: dict[Any, tuple[int, int]] = {}
    try:
        data = build(text, positions, depth)
    except _Refused as err:
        return ("refused", err.message, err.line, err.column)
    except yaml.YAMLError as err:
        return ("yaml", type(err).__name__, str(err))
    return ("data", _typed(data), positions)


@settings(max_examples=400)
@given(documents(), st.sampled_from([2, MAX_DEPTH]))
def test_builder_matches_the_reference(text: str, depth: int) -> None:
    assert _outcome(_build, text, depth) == _outcome(reference_build, text, depth)


def test_the_generated_documents_reach_data_and_refusals() -> None:
    """The strategy is not vacuous: some examples build, others are refused."""
    built = _outcome(_build, "a: [&a1 1, *a1, {b: '7'}]\n", 2)
    assert built[0] == "data"
    assert _outcome(_build, "a: *a3\n", 2)[0] == "refused"
