"""Durations: the forms people write, and format/parse agreeing for every number of seconds."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from runform.providers.cutover.definitions.durations import format_duration, parse_duration


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("90s", 90),
        ("15m", 900),
        ("1h30m", 5400),
        ("2d", 172800),
        (600, 600),
        ("600", 600),
        ("1d2h3m4s", 93784),
        ("0", 0),
    ],
)
def test_written_forms(text: object, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("bad", ["", "m", "1x", "30m1h", "1.5h", "-5", -5, True, "15 m", None, [1]])
def test_bad_durations_say_what_is_allowed(bad: object) -> None:
    with pytest.raises(ValueError, match="90s, 15m, 1h30m, 2d"):
        parse_duration(bad)


@given(st.integers(min_value=0, max_value=10**8))
def test_format_then_parse_is_identity(seconds: int) -> None:
    assert parse_duration(format_duration(seconds)) == seconds


@given(st.integers(0, 30), st.integers(0, 23), st.integers(0, 59), st.integers(0, 59))
def test_parts_add_up(days: int, hours: int, minutes: int, seconds: int) -> None:
    text = (
        "".join(
            f"{value}{unit}"
            for value, unit in zip((days, hours, minutes, seconds), "dhms", strict=True)
            if value
        )
        or "0s"
    )
    assert parse_duration(text) == days * 86400 + hours * 3600 + minutes * 60 + seconds


@pytest.mark.parametrize("too_long", [2**31, "99999999999999999999", "30000d"])
def test_durations_longer_than_cutover_keeps_are_refused(too_long: object) -> None:
    with pytest.raises(ValueError, match="too long: at most 2147483647 seconds"):
        parse_duration(too_long)
