"""What a provider's resources look like: types, their parent, key, fields and references.

The core plans, orders and checks changes from this description alone: a field's compare mode
decides whether it differs, and a reference (a field naming other resources of the same root by
key) decides what must exist before a change and what a deletion must wait for.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from runform.core.compare import Compare


@dataclass(frozen=True)
class FieldSpec:
    """One managed field."""

    name: str
    compare: Compare = Compare.EXACT
    references: str | None = None  # the resource type whose keys this field holds


@dataclass(frozen=True)
class ResourceType:
    """One kind of resource; `parent` is None for a root (what a plan groups changes by)."""

    name: str
    fields: tuple[FieldSpec, ...] = ()
    parent: str | None = None
    key: str = "name"
    archives: bool = False  # deleting it archives it (journaled as `archive`, not `delete`)
    limited: bool = True  # its deletions count toward a plan's delete limit
    _by_name: dict[str, FieldSpec] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_name.update({spec.name: spec for spec in self.fields})

    def field(self, name: str) -> FieldSpec:
        """The field's spec; a field the schema does not list compares exactly."""
        return self._by_name.get(name) or FieldSpec(name)

    @property
    def references(self) -> tuple[FieldSpec, ...]:
        return tuple(spec for spec in self.fields if spec.references)


@dataclass(frozen=True)
class Schema:
    """All resource types of one provider."""

    types: tuple[ResourceType, ...]
    _by_name: dict[str, ResourceType] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_name.update({kind.name: kind for kind in self.types})
        for kind in self.types:
            if kind.parent is not None and kind.parent not in self._by_name:
                raise ValueError(f"{kind.name}: unknown parent type {kind.parent}")
            for spec in kind.references:
                if spec.references not in self._by_name:
                    raise ValueError(f"{kind.name}.{spec.name}: unknown type {spec.references}")

    def type(self, name: str) -> ResourceType:
        return self._by_name[name]

    def compare_of(self, kind: str, name: str) -> Compare:
        return self.type(kind).field(name).compare

    def roots(self) -> Iterable[ResourceType]:
        return (kind for kind in self.types if kind.parent is None)
