"""Field types shared by the file models: text, durations, timezones, colours, enums."""

from __future__ import annotations

import zoneinfo
from datetime import datetime
from functools import cache
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema

from runform.providers.cutover.definitions.durations import DURATION_PATTERN, parse_duration
from runform.text.safe import quoted
from runform.text.suggest import Suggester


def _as_text(value: object) -> object:
    """Let numbers stand for text (a key `7`, a ticket `12345`); YAML reads them as numbers."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


@cache
def _timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


@cache
def _timezone_names() -> Suggester:
    return Suggester(_timezones())


def _check_timezone(value: str) -> str:
    """Accept IANA names only, suggesting the nearest one for a typo."""
    if value in _timezones() or value == "UTC":
        return value
    close = _timezone_names().best(value)
    hint = f"; did you mean {close}?" if close else "; use an IANA name such as Europe/London"
    raise ValueError(f"unknown timezone {quoted(value)}{hint}")


Text = Annotated[str, Field(min_length=1)]
"""Non-empty text; numbers written without quotes are read as their text."""

# Cutover refuses over-long text with `too_long` ("is too long (maximum is %{count}
# characters)") but its reference gives no counts; these are runform's bounds, the sandbox's.
NAME_LIMIT = 255
DESCRIPTION_LIMIT = 10_000

Name = Annotated[str, Field(min_length=1, max_length=NAME_LIMIT)]
"""A runbook, stream or task name: non-empty, at most NAME_LIMIT characters."""

Description = Annotated[str, Field(max_length=DESCRIPTION_LIMIT)]

Duration = Annotated[
    int,
    BeforeValidator(parse_duration),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 0},
                {"type": "string", "pattern": DURATION_PATTERN},
            ],
            "description": "Seconds, or text such as 90s, 15m, 1h30m, 2d.",
        }
    ),
]

Timezone = Annotated[
    str,
    AfterValidator(_check_timezone),
    WithJsonSchema({"type": "string", "description": "IANA timezone, e.g. Europe/London."}),
]

Color = Annotated[
    str,
    Field(
        pattern=r"^(#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3}|rgb\(\s*\d{1,3}\s*,\s*\d{1,3}\s*,\s*\d{1,3}\s*\))$",
        description='Hex "#3b82f6" (quoted in YAML) or rgb(59, 130, 246).',
    ),
]

DateTime = Annotated[
    datetime,
    WithJsonSchema(
        {
            "type": "string",
            "description": "ISO 8601; without an offset it is read in the runbook's timezone.",
        }
    ),
]

CustomFieldValue = Annotated[str | list[str], BeforeValidator(_as_text)]

Status = Literal["off", "red", "amber", "green"]
TemplateStatus = Literal["draft", "pending", "approved"]
Level = Literal["level_1", "level_2", "level_3"]
StartRequirements = Literal["any_can_start", "all_must_start"]
EndRequirements = Literal["any_can_end", "all_must_end", "same_must_end"]
ApiVersion = Literal["2021-10-13", "2022-01-10", "2022-02-22"]
