"""The one comparison of a field's desired and live values, by the field's compare mode.

Plan and apply both ask `differs`, over model values and their JSON forms alike, so apply never
sends a change the plan did not show (and never skips one it did).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel


class Compare(StrEnum):
    """How a field's values are compared."""

    EXACT = "exact"  # equal values
    TEXT = "text"  # text where "" and null are one value
    SET = "set"  # a list whose order carries no meaning; empty and null are one value
    SEQUENCE = "sequence"  # a list whose order matters; empty and null are one value
    SUBSET_MAP = "subset-map"  # only the keys desired sets are compared; list values as sets
    INSTANT = "instant"  # a point in time, however written (`Z`, an offset, a datetime)


def differs(mode: Compare, desired: Any, live: Any) -> bool:
    """Whether `live` must change to become `desired`."""
    if mode is Compare.TEXT:  # the most common modes first, without the general path's cost
        return (None if desired == "" else desired) != (None if live == "" else live)
    if mode is Compare.EXACT:
        return bool(desired != live)
    if mode is Compare.SUBSET_MAP:
        present: Mapping[str, Any] = live or {}
        live = {key: present.get(key) for key in desired or {}}
    return bool(normalized(mode, live) != normalized(mode, desired))


def normalized(mode: Compare, value: Any) -> Any:
    """The value as compared."""
    if mode is Compare.SET:
        if not value:
            return []
        if all(type(item) is str for item in value):
            return sorted(value)  # the common case (names), without the general path's cost
        return _sorted(value)
    if mode is Compare.SEQUENCE:
        return [_frozen(item) for item in value or ()]
    if value == "" and mode in (Compare.TEXT, Compare.INSTANT):
        return None
    if mode is Compare.SUBSET_MAP and value is not None:
        return {key: _as_set(item) for key, item in value.items()}
    if mode is Compare.INSTANT:
        return _instant(value)
    return value


_PLAIN = (str, int, float, bool, type(None))


def _frozen(value: Any) -> Any:
    """A hashable, orderable stand-in: a model and its JSON dict compare equal."""
    if type(value) in _PLAIN:
        return value
    if isinstance(value, BaseModel):
        plain = value.__dict__
        if all(type(v) in _PLAIN for v in plain.values()):
            # A model of plain values is its own JSON form; dumping it costs far more.
            return tuple(sorted(plain.items()))
        value = value.model_dump(mode="json")
    if isinstance(value, Mapping):
        return tuple(sorted((str(k), _frozen(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_frozen(item) for item in value)
    return value


def _sorted(items: Any) -> list[Any]:
    """Items in a fixed order: their own where they have one, else by their text."""
    frozen = [_frozen(item) for item in items]
    try:
        return sorted(frozen)
    except TypeError:
        return sorted(frozen, key=repr)


def _as_set(value: Any) -> Any:
    return _sorted(value) if isinstance(value, list | tuple) else value


def _instant(value: Any) -> Any:
    """An instant as an aware datetime in UTC. Comparing in one zone matters: Python never
    finds a local time in a daylight-saving gap or overlap equal to a time in another zone
    (PEP 495), so 02:30 New York on the spring-forward day would differ from its own UTC
    reading, and plan it again after every apply."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC)
    return value
