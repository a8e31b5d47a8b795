"""Values shown safely: controls escaped, long values cut with their length, choices capped."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from runform.text.safe import (
    CHOICES_SHOWN,
    choices_text,
    clip,
    escape_controls,
    quoted,
    safe_line,
    safe_lines,
    shown,
)

RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\u2028\u2029]")


@given(st.text())
def test_nothing_shown_carries_a_raw_control_character(text: str) -> None:
    assert not RAW.search(shown(text))
    assert not RAW.search(escape_controls(text))
    assert not RAW.search(safe_line(text))
    assert "\n" not in shown(text) and "\n" not in safe_line(text)


@given(st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))))
def test_printable_text_is_shown_as_it_is_when_short(text: str) -> None:
    if len(text) <= 120:
        assert shown(text) == text


def test_escapes_are_visible_and_say_which_character() -> None:
    assert shown("a\x1b[31mb\x07\x9b") == "a\\x1b[31mb\\x07\\x9b"
    assert shown("two\nlines\tand tab") == "two\\nlines\\tand tab"
    assert escape_controls("keep\nnewlines\tand tabs\r") == "keep\nnewlines\tand tabs\\x0d"


def test_a_long_value_is_cut_with_its_full_length() -> None:
    text = "n" * 9_000_000
    assert shown(text) == "n" * 120 + "… (9,000,000 characters)"
    assert clip("short") == "short"
    assert len(safe_line("x" * 50_000)) < 2_100
    assert quoted("a'b") == repr("a'b")


def test_several_lines_are_each_made_safe() -> None:
    assert safe_lines("one\x1b\ntwo") == "one\\x1b\ntwo"


def test_choices_are_capped_and_counted() -> None:
    many = {f"name {i:03}" for i in range(100)}
    text = choices_text(many)
    assert text.endswith(f"and {100 - CHOICES_SHOWN} more")
    assert text.startswith("name 000, name 001")
    assert len(choices_text({"x" * 1_000_000, "y"})) < 100
