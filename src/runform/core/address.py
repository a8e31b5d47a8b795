"""Addresses: `root["Key"].child["Key"]`, the one way changes, targets and journals name objects.

A key is written in double quotes with `\\` and `\"` escaped, so any name round-trips.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_SEGMENT = re.compile(r'([a-z_][a-z0-9_]*)\["((?:[^"\\]|\\.)*)"\]', re.DOTALL)
_ESCAPED = re.compile(r"\\(.)", re.DOTALL)


class AddressError(ValueError):
    """Text that is not an address."""


@dataclass(frozen=True, order=True)
class Address:
    """A path of (type, key) segments from a root resource down."""

    segments: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, kind: str, key: str) -> Address:
        return cls(((kind, key),))

    def child(self, kind: str, key: str) -> Address:
        return Address((*self.segments, (kind, key)))

    @property
    def kind(self) -> str:
        return self.segments[-1][0]

    @property
    def key(self) -> str:
        return self.segments[-1][1]

    @property
    def root(self) -> Address:
        return Address(self.segments[:1])

    @property
    def parent(self) -> Address | None:
        return Address(self.segments[:-1]) if len(self.segments) > 1 else None

    def __str__(self) -> str:
        return ".".join(f"{kind}[{quote(key)}]" for kind, key in self.segments)


def quote(key: str) -> str:
    return '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'


@lru_cache(maxsize=8192)
def parse(text: str) -> Address:
    """The address written as `text`; AddressError when it is not one."""
    segments: list[tuple[str, str]] = []
    position = 0
    while True:
        found = _SEGMENT.match(text, position)
        if found is None:
            raise AddressError(f"not an address: {text!r}")
        segments.append((found.group(1), _ESCAPED.sub(r"\1", found.group(2))))
        position = found.end()
        if position == len(text):
            return Address(tuple(segments))
        if text[position] != ".":
            raise AddressError(f"not an address: {text!r}")
        position += 1
