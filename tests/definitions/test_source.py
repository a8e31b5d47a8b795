"""Reading YAML: positions, the YAML 1.2 scalars, and one clear error for each kind of bad file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from runform.core.source import (
    MAX_ALIAS_CHARS,
    MAX_ALIAS_NODES,
    MAX_DEPTH,
    MAX_INT_DIGITS,
    parse_source,
    read_source,
)
from runform.errors import DefinitionError
from runform.providers.cutover.definitions import load_definitions
from runform.providers.cutover.definitions.project import ProjectConfig


def one_problem(raw: bytes) -> str:
    with pytest.raises(DefinitionError) as caught:
        parse_source("f.yaml", raw)
    assert len(caught.value.problems) == 1
    return str(caught.value.problems[0])


def test_positions_of_keys_and_items() -> None:
    source = parse_source(
        "f.yaml", b"runbook:\n  name: x\ntasks:\n  - name: a\n    after: [b, c]\n"
    )
    assert source.position(("runbook", "name")) == (2, 3)
    assert source.position(("tasks", 0)) == (4, 5)
    assert source.position(("tasks", 0, "after", 1)) == (5, 16)
    # A path that is not written falls back to its nearest written ancestor.
    assert source.position(("tasks", 0, "duration")) == (4, 5)


def test_scalars_follow_yaml_1_2() -> None:
    text = b"a: off\nb: yes\nc: true\nd: 15\ne: 1.5\nf: 2026-12-05T22:00:00\ng: ~\nh: '7'\n"
    data = parse_source("f.yaml", text).data
    assert data == {
        "a": "off",
        "b": "yes",
        "c": True,
        "d": 15,
        "e": 1.5,
        "f": "2026-12-05T22:00:00",
        "g": None,
        "h": "7",
    }


def test_malformed_yaml_names_line_and_column() -> None:
    assert one_problem(b"runbook:\n  name: [x\n").startswith("f.yaml:3:1: YAML syntax error")


def test_tab_indentation_is_named() -> None:
    assert one_problem(b"runbook:\n\tname: x\n") == (
        "f.yaml:2:1: tab character: YAML indents with spaces"
    )


@pytest.mark.parametrize("raw", [b"", b"\n\n", b"# only a comment\n", b"---\n"])
def test_empty_file(raw: bytes) -> None:
    assert "file is empty" in one_problem(raw)


def test_binary_file() -> None:
    assert (
        one_problem(b"\x89PNG\r\n\x1a\n\x00\x00\x00") == "f.yaml:1:1: file is binary, not YAML text"
    )


def test_invalid_utf8() -> None:
    message = one_problem(b"runbook:\n  name: caf\xe9\n")
    assert message.startswith("f.yaml:2:12: file is not UTF-8 text (bad byte 0xe9")


def test_alias_bomb_is_refused() -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for level in "bcdef":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [{', '.join([f'*{previous}'] * 9)}]")
    message = one_problem("\n".join(lines).encode())
    assert f"aliases expand to more than {MAX_ALIAS_NODES} values" in message


def test_small_aliases_are_fine() -> None:
    data = parse_source("f.yaml", b"x: &who [team: A]\ny: *who\n").data
    assert data["y"] == [{"team": "A"}]


def test_nesting_past_the_limit_is_refused_at_its_position() -> None:
    raw = b"a:\n" + b"  " * 1 + b"[" * (MAX_DEPTH + 5)
    assert one_problem(raw).startswith(f"f.yaml:2:{2 + MAX_DEPTH}: nesting is deeper than")


def test_runaway_nesting_is_one_positioned_error_without_crashing() -> None:
    # The YAML parser may stop such a file before runform counts the levels; either way the
    # user gets one error with its line and column.
    assert re.match(r"f\.yaml:1:\d+: ", one_problem(b"[" * 100_000))


def test_several_documents() -> None:
    assert "more than one YAML document" in one_problem(b"a: 1\n---\nb: 2\n")


def test_duplicate_key() -> None:
    assert one_problem(b"a: 1\na: 2\n") == "f.yaml:2:1: duplicate key 'a'"


def test_unsupported_tag() -> None:
    assert "unsupported YAML tag" in one_problem(b"a: !!python/object:os.system x\n")


def test_file_over_size_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    line = b"# " + b"x" * 1021 + b"\n"
    with big.open("wb") as handle:
        for _ in range(50 * 1024):
            handle.write(line)
    assert big.stat().st_size == 50 * 1024 * 1024
    with pytest.raises(DefinitionError) as caught:
        read_source(big)
    assert "file is 50.0 MB; runbook files are limited to 10 MB" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "found"),
    [("- a\n- b\n", "a list"), ("just text\n", "the value 'just text'"), ("x: 1\n", "a mapping")],
)
def test_wrong_top_level_type(tmp_path: Path, text: str, found: str) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(text)
    with pytest.raises(DefinitionError) as caught:
        load_definitions([path], project=ProjectConfig())
    assert "expected a mapping with `runbook:`" in str(caught.value)
    assert found in str(caught.value)


@pytest.mark.parametrize("digits", [MAX_INT_DIGITS + 1, 4_301, 20_000])
def test_an_integer_too_large_is_refused_at_its_position(digits: int) -> None:
    message = one_problem(b"runbook:\n  name: x\n  id: " + b"7" * digits + b"\n")
    assert message.startswith("f.yaml:3:7: number 777")
    assert f"at most {MAX_INT_DIGITS} digits" in message and len(message) < 300


def test_the_largest_integer_allowed_is_read() -> None:
    assert parse_source("f.yaml", b"a: " + b"9" * MAX_INT_DIGITS + b"\n").data["a"] == int(
        "9" * MAX_INT_DIGITS
    )


def test_a_decimal_that_overflows_is_refused() -> None:
    assert one_problem(b"a: 1\nb: -2e999\n").startswith("f.yaml:2:4: number -2e999 is too large")


@pytest.mark.parametrize(
    ("raw", "where"),
    [
        (b"runbook:\n  name: a\x07b\n", "f.yaml:2:10:"),
        (b"runbook:\n  name: 'a\x1b[31m'\n", "f.yaml:2:11:"),
        (b"a: 1\n" + b"b: " + b"x" * 9_000 + b"\nc: \x00\n", "f.yaml:3:4:"),
        ("a: 1\nb: x\u009by\n".encode(), "f.yaml:2:5:"),  # C1, in UTF-8
    ],
)
def test_a_control_character_is_named_at_its_line_and_column(raw: bytes, where: str) -> None:
    message = one_problem(raw)
    assert message.startswith(where), message
    assert "control character \\x" in message and "\x1b" not in message and "\x07" not in message


def test_aliases_of_a_long_text_are_budgeted_by_characters() -> None:
    big = "x" * (MAX_ALIAS_CHARS // 2 + 1)
    raw = f'a: &a "{big}"\nb: [*a, *a, *a]\n'.encode()
    message = one_problem(raw)
    assert message.startswith("f.yaml:2:") and "characters of text" in message
    assert len(message) < 300


def test_a_short_text_may_be_aliased_many_times() -> None:
    raw = b"a: &a team-one\nb: [" + b", ".join([b"*a"] * 1_000) + b"]\n"
    assert parse_source("f.yaml", raw).data["b"] == ["team-one"] * 1_000


@pytest.mark.parametrize("raw", [b"a:\n  - b\n  c", b"a: [1,\n  2", b'x: "unterminated'])
def test_a_syntax_error_at_the_end_of_a_file_is_placed_inside_it(raw: bytes) -> None:
    lines = raw.split(b"\n")
    message = one_problem(raw)
    assert message.startswith(f"f.yaml:{len(lines)}:{len(lines[-1]) + 1}: YAML syntax error")
