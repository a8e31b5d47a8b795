"""fmt: canonical order, comments and blank lines kept, same data, idempotent."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from runform.errors import DefinitionError
from runform.providers.cutover.definitions.canonical import TASK_ORDER, ordered_keys
from runform.providers.cutover.definitions.fmt import format_text

MESSY = """\
# Release runbook
tasks:
  - duration: 5m   # five minutes
    # the name comes first
    name: Deploy

  - after: [Deploy]
    name: Check
runbook:
  workspace: default
  name: R   # identity
"""


def comments(text: str) -> list[str]:
    return sorted(line.split("#", 1)[1].strip() for line in text.splitlines() if "#" in line)


def test_canonical_order_keeps_comments() -> None:
    out = format_text(MESSY)
    assert out.index("runbook:") < out.index("tasks:")
    assert out.index("name: Deploy") < out.index("duration: 5m")
    assert out.index("name: R") < out.index("workspace: default")
    assert comments(out) == comments(MESSY)
    assert "duration: 5m   # five minutes" in out
    assert "\n\n  - name: Check" in out  # the blank line between tasks survives
    assert YAML(typ="safe").load(out) == YAML(typ="safe").load(MESSY)
    assert format_text(out) == out


def test_examples_are_formatted() -> None:
    examples = Path(__file__).parents[2] / "examples"
    for path in examples.glob("*.yaml"):
        text = path.read_text()
        assert format_text(text) == text, path


def test_ordered_keys_keeps_unknown_keys_last() -> None:
    assert ordered_keys(["zzz", "duration", "name"], TASK_ORDER) == ["name", "duration", "zzz"]


_value = st.one_of(
    st.integers(0, 10_000),
    st.sampled_from(["15m", "Deploy app", "Release managers", "x y"]),
)
_key = st.sampled_from(list(TASK_ORDER))
_comment = st.sampled_from(["", "  # note", "\n    # above", "\n"])


@st.composite
def task_files(draw: st.DrawFn) -> str:
    lines = ["runbook:", "  name: R", "tasks:"]
    for _ in range(draw(st.integers(1, 4))):
        keys = draw(st.lists(_key, min_size=1, max_size=6, unique=True))
        for position, key in enumerate(keys):
            prefix = "  - " if position == 0 else "    "
            lines.append(f"{prefix}{key}: {draw(_value)!s}{draw(_comment)}")
    return "\n".join(lines) + "\n"


@settings(max_examples=60, deadline=None)
@given(task_files())
def test_fmt_is_idempotent_and_keeps_data_and_comments(text: str) -> None:
    once = format_text(text)
    assert format_text(once) == once
    assert YAML(typ="safe").load(once) == YAML(typ="safe").load(text)
    assert comments(once) == comments(text)


def test_an_own_line_comment_stays_above_its_key_when_that_key_moves_first() -> None:
    text = (
        "runbook:\n  workspace: default\n  # The name is the identity\n  name: R\n"
        "tasks:\n  - stream: S\n    # why this task\n    name: t\n"
        "  - duration: 5m\n    # second why\n    name: u\n"
    )
    assert format_text(text) == (
        "runbook:\n  # The name is the identity\n  name: R\n  workspace: default\n"
        "tasks:\n  # why this task\n  - name: t\n    stream: S\n"
        "  # second why\n  - name: u\n    duration: 5m\n"
    )


def test_a_tab_fmt_cannot_rewrite_is_named_with_its_position() -> None:
    with pytest.raises(DefinitionError) as refused:
        format_text("runbook:\n  name: x\t# c\n", "tab.yaml")
    assert "tab.yaml:2:10: a tab character outside quotes" in str(refused.value)
