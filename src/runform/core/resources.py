"""Resources as the core sees them: an address, a type, a key, a live id and field values.

A provider turns its files into desired resources and its live reads into current ones; the
core diffs the two by address. Values are JSON-ready and in name space (references by key).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from runform.core.address import Address


@dataclass(frozen=True)
class Resource:
    """One resource, desired or live."""

    address: Address
    values: dict[str, Any] = field(default_factory=dict)  # managed fields (desired) or all (live)
    id: str | None = None  # live id; None for a desired resource
    version: str | None = None  # what changes when the live object does (for stale plans)
    renamed_from: str | None = None  # desired only: the key it may still have live

    @property
    def kind(self) -> str:
        return self.address.kind

    @property
    def key(self) -> str:
        return self.address.key


@dataclass(frozen=True)
class RootState:
    """A root and everything under it: the root resource first, then the others."""

    root: Resource
    children: tuple[Resource, ...] = ()
    source: str | None = None  # where a desired root is written (file:line)

    @property
    def resources(self) -> tuple[Resource, ...]:
        return (self.root, *self.children)
