"""Addresses: `root["Key"].child["Key"]`, the one way changes, targets and journals name objects.

A key is written in double quotes with `\\` and `\"` escaped, so any name round-trips. A part
its parent has at most one of (a runbook's `rto`) has no key: `root["Key"].part`, held as the
key "".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

_SEGMENT = re.compile(r'([a-z_][a-z0-9_]*)\["((?:[^"\\]|\\.)*)"\]', re.DOTALL)
_PART = re.compile(r"([a-z_][a-z0-9_]*)(?=\.|\Z)")
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

    def part(self, kind: str) -> Address:
        """The keyless part `kind` of this object (one per parent)."""
        return Address((*self.segments, (kind, "")))

    def __str__(self) -> str:
        return ".".join(
            kind if index and not key else f"{kind}[{quote(key)}]"
            for index, (kind, key) in enumerate(self.segments)
        )


def quote(key: str) -> str:
    return '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'


@lru_cache(maxsize=8192)
def parse(text: str) -> Address:
    """The address written as `text`; AddressError when it is not one."""
    segments: list[tuple[str, str]] = []
    position = 0
    while True:
        found = _SEGMENT.match(text, position)
        if found is not None:
            segments.append((found.group(1), _ESCAPED.sub(r"\1", found.group(2))))
        elif segments and (found := _PART.match(text, position)) is not None:
            segments.append((found.group(1), ""))
        else:
            raise AddressError(f"not an address: {text!r}")
        position = found.end()
        if position == len(text):
            return Address(tuple(segments))
        if text[position] != ".":
            raise AddressError(f"not an address: {text!r}")
        position += 1


def address_pattern(glob: str) -> re.Pattern[str]:
    """A glob over addresses: `*` and `?` are wildcards, brackets and quotes are literal."""
    parts = []
    for char in glob:
        parts.append({"*": ".*", "?": "."}.get(char, re.escape(char)))
    return re.compile("".join(parts), re.DOTALL)


def address_matches(address: str, globs: Sequence[str]) -> bool:
    """True when a glob matches the address or one of its parents (a root covers its parts)."""
    parsed = parse(address)
    candidates = [address] if parsed.parent is None else [address, str(parsed.root)]
    return any(address_pattern(g).fullmatch(a) for g in globs for a in candidates)
