"""Scalar values as they are written in files: durations, datetimes, strings safe to re-read."""

from __future__ import annotations

import contextlib
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

_STR_TAG = "tag:yaml.org,2002:str"
_RESOLVER = yaml.resolver.Resolver()


def format_datetime(value: datetime, timezone: str | None) -> str:
    """ISO 8601 with its offset, shown in the runbook's timezone when it has one."""
    if timezone and value.tzinfo is not None:
        with contextlib.suppress(ZoneInfoNotFoundError, ValueError):
            value = value.astimezone(ZoneInfo(timezone))
    return value.isoformat()


def text(value: str) -> str:
    """A string that any YAML 1.1 or 1.2 reader reads back as the same string.

    ruamel (YAML 1.2) leaves `yes`, `off` or `1:30` plain, but YAML 1.1 readers such as
    libyaml turn them into booleans and numbers, so those are quoted. Multi-line text is
    written as a literal block when that keeps it exact.
    """
    # ruamel annotates its scalar strings' `__new__` as returning Any (they are str subclasses).
    if "\n" in value and _fits_literal_block(value):
        return LiteralScalarString(value)  # type: ignore[no-any-return]
    if not value.isprintable():
        # Escapes keep control and break characters.
        return DoubleQuotedScalarString(value)  # type: ignore[no-any-return]
    if _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) != _STR_TAG:
        return SingleQuotedScalarString(value)  # type: ignore[no-any-return]
    return value


def _fits_literal_block(value: str) -> bool:
    """A literal block keeps text exactly unless it has odd whitespace or control characters."""
    if value != value.strip(" \t") or value.startswith("\n") or "\r" in value:
        return False
    if value.endswith("\n\n"):
        return False  # `|+` would end the document with `...`
    if any(line != line.rstrip(" \t") for line in value.split("\n")):
        return False
    return all(ch.isprintable() or ch == "\n" for ch in value)
