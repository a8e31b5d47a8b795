"""Durations as people write them (`90s`, `15m`, `1h30m`, `2d`) and as the API wants them."""

from __future__ import annotations

import re
from functools import lru_cache

from runform.text.safe import quoted

_DURATION = re.compile(r"(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?")
_UNITS = (("d", 86400), ("h", 3600), ("m", 60), ("s", 1))
DURATION_HELP = (
    "use seconds (5400) or days/hours/minutes/seconds in that order, e.g. 90s, 15m, 1h30m, 2d"
)
# Cutover keeps durations as 32-bit seconds (about 68 years); longer ones cannot be sent.
MAX_DURATION = 2**31 - 1
DURATION_PATTERN = r"^\s*([0-9]+|([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?)\s*$"


def parse_duration(value: object) -> int:
    """Seconds from an int or a text like `1h30m`; ValueError says what is allowed."""
    # Text first: files write durations as text, once per task.
    seconds = _parse_text(value) if type(value) is str else _seconds(value)
    if seconds > MAX_DURATION:
        raise ValueError(
            f"duration {quoted(value)} is too long: at most {MAX_DURATION} seconds (about 68 years)"
        )
    return seconds


def _seconds(value: object) -> int:
    if isinstance(value, bool):
        raise ValueError(f"{quoted(value)} is not a duration; {DURATION_HELP}")
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"duration {value} is negative; {DURATION_HELP}")
        return value
    if isinstance(value, float) and value.is_integer() and value >= 0:
        return int(value)
    if isinstance(value, str):
        return _parse_text(value)
    raise ValueError(f"{quoted(value)} is not a duration; {DURATION_HELP}")


@lru_cache(maxsize=1024)
def _parse_text(value: str) -> int:
    """Parse duration text (cached: files repeat the same few durations)."""
    if value:
        text = value.strip()
        if text.isdigit():
            return int(text)
        match = _DURATION.fullmatch(text)
        if text and match:
            days, hours, minutes, seconds = (int(part or 0) for part in match.groups())
            return days * 86400 + hours * 3600 + minutes * 60 + seconds
    raise ValueError(f"{quoted(value)} is not a duration; {DURATION_HELP}")


def format_duration(seconds: int) -> str:
    """The shortest readable text for a number of seconds (`0s`, `15m`, `1h30m`, `2d`)."""
    if seconds < 0:
        raise ValueError("durations are never negative")
    if seconds == 0:
        return "0s"
    parts = []
    for unit, size in _UNITS:
        amount, seconds = divmod(seconds, size)
        if amount:
            parts.append(f"{amount}{unit}")
    return "".join(parts)
