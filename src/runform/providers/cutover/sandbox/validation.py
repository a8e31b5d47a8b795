"""Checks on request bodies that answer 422 with Cutover's codes and JSON pointers."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from runform.providers.cutover.sandbox.jsonapi import ApiFailure, ErrorObject

_HEX_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
_RGB_COLOR = re.compile(r"^rgba?\(\s*\d{1,3}\s*,\s*\d{1,3}\s*,\s*\d{1,3}\s*(,\s*[\d.]+\s*)?\)$")


def attribute_pointer(name: str) -> str:
    return f"/data/attributes/{name}"


def relationship_pointer(name: str) -> str:
    return f"/data/relationships/{name}"


class Problems:
    """Collects every validation error of one request, then raises them together."""

    def __init__(self) -> None:
        self.errors: list[ErrorObject] = []

    def add(self, pointer: str, code: str, detail: str) -> None:
        self.errors.append(ErrorObject(422, detail, code, pointer=pointer))

    def raise_if_any(self) -> None:
        if self.errors:
            raise ApiFailure(422, list(self.errors))

    # Attribute checks: each returns the cleaned value (or None) and records what is wrong.

    def text(
        self, attrs: Mapping[str, object], name: str, *, required: bool = False, limit: int = 255
    ) -> str | None:
        value = attrs.get(name)
        pointer = attribute_pointer(name)
        if value is None:
            if required:
                self.add(pointer, "blank", f"{name} can't be blank")
            return None
        if not isinstance(value, str):
            self.add(pointer, "invalid", f"{name} must be a string")
            return None
        if required and not value.strip():
            self.add(pointer, "blank", f"{name} can't be blank")
            return None
        if len(value) > limit:
            self.add(pointer, "too_long", f"{name} is too long (maximum is {limit} characters)")
            return None
        return value

    def choice(self, attrs: Mapping[str, object], name: str, allowed: Iterable[object]) -> object:
        value = attrs.get(name)
        choices = list(allowed)
        if value not in choices:
            shown = ", ".join("null" if choice is None else str(choice) for choice in choices)
            self.add(
                attribute_pointer(name), "inclusion", f"{name} is not included in the list: {shown}"
            )
            return None
        return value

    def boolean(self, attrs: Mapping[str, object], name: str) -> bool | None:
        value = attrs.get(name)
        if not isinstance(value, bool):
            self.add(attribute_pointer(name), "invalid", f"{name} must be true or false")
            return None
        return value

    def integer(self, attrs: Mapping[str, object], name: str, *, minimum: int = 0) -> int | None:
        value = attrs.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(attribute_pointer(name), "not_an_integer", f"{name} must be an integer")
            return None
        if value < minimum:
            self.add(
                attribute_pointer(name),
                "greater_than_or_equal_to",
                f"{name} must be greater than or equal to {minimum}",
            )
            return None
        return value

    def moment(self, attrs: Mapping[str, object], name: str) -> str | None:
        """An ISO 8601 date-time, returned normalized to UTC with a `Z`."""
        value = attrs.get(name)
        if value is None:
            return None
        parsed = parse_moment(value)
        if parsed is None:
            self.add(attribute_pointer(name), "invalid", f"{name} must be an ISO 8601 date-time")
            return None
        return format_moment(parsed)

    def timezone(self, attrs: Mapping[str, object], name: str) -> str | None:
        value = attrs.get(name)
        if value is None:
            return None
        try:
            if not isinstance(value, str) or not value:
                raise ValueError(value)
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            self.add(attribute_pointer(name), "invalid", f"{name} is not a known IANA time zone")
            return None
        return value

    def color(self, attrs: Mapping[str, object], name: str) -> str | None:
        value = attrs.get(name)
        if value is None:
            return None
        if not isinstance(value, str) or not (_HEX_COLOR.match(value) or _RGB_COLOR.match(value)):
            self.add(attribute_pointer(name), "invalid", f"{name} must be a hex or rgb() colour")
            return None
        return value


def parse_moment(value: object) -> datetime | None:
    """A timezone-aware datetime from an ISO 8601 string (naive means UTC), or None."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def format_moment(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def relationship_id(
    relationships: Mapping[str, object], name: str, problems: Problems
) -> tuple[bool, str | None]:
    """(was it given, its id) for a to-one relationship `{"data": {"id", "type"}}`."""
    if name not in relationships:
        return False, None
    value = relationships[name]
    data = value.get("data") if isinstance(value, dict) else value
    if data is None:
        return True, None
    if isinstance(data, dict) and data.get("id") is not None:
        return True, str(data["id"])
    problems.add(relationship_pointer(name), "invalid", f"{name} must be {{data: {{id, type}}}}")
    return True, None


def relationship_list(
    relationships: Mapping[str, object], name: str, problems: Problems
) -> list[dict[str, str]] | None:
    """The identifiers of a to-many relationship, or None when not given."""
    if name not in relationships:
        return None
    value = relationships[name]
    data = value.get("data") if isinstance(value, dict) else value
    if data is None:
        return []
    if not isinstance(data, list) or not all(
        isinstance(item, dict) and item.get("id") is not None for item in data
    ):
        problems.add(
            relationship_pointer(name), "invalid", f"{name} must be a list of {{id, type}}"
        )
        return None
    return [{"id": str(item["id"]), "type": str(item.get("type") or "")} for item in data]


def as_int(ident: str | None) -> int | None:
    """An id from a request as an integer, or None when it cannot be one of ours."""
    if ident is None:
        return None
    try:
        return int(ident)
    except ValueError:
        return None
