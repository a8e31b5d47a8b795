"""Which changes must happen before which, derived from the schema alone.

A change under a root waits for the root's own change, and one deeper down for the change
of each object above it; a change that names other resources
(a reference field) waits for the creation of each one it names; a deletion waits for every
change that stops naming the deleted object (its references dropped, or its own deletion),
so successors go before predecessors and children before parents (a deletion
also waits for the deletions of everything under it). The planner writes these
edges into `depends_on`; apply orders by `depends_on` alone and refuses a plan missing one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from runform.core.address import parse
from runform.core.model import Action, Change
from runform.core.schema import Schema


def with_dependencies(changes: Sequence[Change], schema: Schema) -> list[Change]:
    """The changes of one root, each with the `depends_on` the schema requires."""
    required = required_dependencies(changes, schema)
    return [
        change.model_copy(update={"depends_on": required[change.address]})
        if required[change.address] != change.depends_on
        else change
        for change in changes
    ]


def missing_dependencies(changes: Sequence[Change], schema: Schema) -> list[tuple[str, str]]:
    """(change, what it must wait for) for each required edge the changes' `depends_on` lack."""
    by_root: dict[str, list[Change]] = defaultdict(list)
    for change in changes:
        if change.action is not Action.NOOP:
            by_root[str(parse(change.address).root)].append(change)
    missing = []
    for group in by_root.values():
        required = required_dependencies(group, schema)
        for change in group:
            have = set(change.depends_on)
            missing += [(change.address, a) for a in required[change.address] if a not in have]
    return missing


def required_dependencies(changes: Sequence[Change], schema: Schema) -> dict[str, tuple[str, ...]]:
    """Address -> the addresses it must wait for, among `changes` (all of one root)."""
    changes = [c for c in changes if c.action is not Action.NOOP]
    required: dict[str, tuple[str, ...]] = {c.address: () for c in changes}
    if not changes:
        return required
    root = parse(changes[0].address).root
    is_root = {c.address: schema.type(c.kind).parent is None for c in changes}
    root_changes = [c.address for c in changes if is_root[c.address]]
    created = {c.address for c in changes if c.action is Action.CREATE}
    pointing = _pointing(changes, schema)
    for change in changes:
        if is_root[change.address]:
            if change.action is Action.DELETE:  # a root goes after everything under it
                required[change.address] = tuple(c.address for c in changes if c is not change)
            continue
        needs = list(root_changes)
        if change.action is Action.DELETE:
            needs += pointing.get(change.address, [])
            needs += [c.address for c in changes if c.address.startswith(change.address + ".")]
        else:
            needs += _ancestors(change.address)
            for spec in schema.type(change.kind).references:
                for key in _keys((change.after or {}).get(spec.name)):
                    needs.append(str(root.child(spec.references or "", key)))
        required[change.address] = tuple(
            dict.fromkeys(
                a
                for a in needs
                if a != change.address
                and a in required
                and (a in created or a in root_changes or change.action is Action.DELETE)
            )
        )
    return required


def _pointing(changes: Iterable[Change], schema: Schema) -> dict[str, list[str]]:
    """Object address -> the changes that stop naming it (a deletion of it waits for them)."""
    pointing: dict[str, list[str]] = defaultdict(list)
    for change in changes:
        if not change.before:
            continue
        root = parse(change.address).root
        changed = {f.field for f in change.fields}
        for spec in schema.type(change.kind).references:
            if change.action is not Action.DELETE and spec.name not in changed:
                continue
            for key in _keys(change.before.get(spec.name)):
                pointing[str(root.child(spec.references or "", key))].append(change.address)
    return pointing


def _ancestors(address: str) -> list[str]:
    """The objects between the root and `address` (a grandchild waits for its parent)."""
    parent = parse(address).parent
    found: list[str] = []
    while parent is not None and parent.parent is not None:
        found.append(str(parent))
        parent = parent.parent
    return found


def _keys(value: Any) -> list[str]:
    if not value:
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [str(value)]
