"""The generic diff: desired resources against current ones, matched by address.

A desired resource matches the current one at its address, or at its `renamed_from` key; it is
created when neither exists. A current resource nothing matches is deleted. Matched resources
are updated on the fields whose values differ by the schema's compare modes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from runform.core.compare import Compare, differs
from runform.core.model import Action, Change, FieldChange
from runform.core.order import with_dependencies
from runform.core.resources import Resource, RootState
from runform.core.schema import Schema


def diff_root(
    desired: RootState, current: RootState | None, schema: Schema
) -> tuple[list[Change], dict[str, int]]:
    """The changes that make `current` into `desired`, ordered; and no-op counts by kind."""
    root_key = desired.root.key
    live = {r.address: r for r in current.resources} if current else {}
    matched: set[Any] = set()
    changes: list[Change] = []
    unchanged: dict[str, int] = {}
    for wanted in desired.resources:
        base = live.get(wanted.address)
        if base is None and wanted.renamed_from is not None and wanted.address.parent:
            base = live.get(wanted.address.parent.child(wanted.kind, wanted.renamed_from))
        if base is not None:
            matched.add(base.address)
        change = _change(wanted, base, root_key, schema)
        if change.action is Action.NOOP:
            unchanged[wanted.kind] = unchanged.get(wanted.kind, 0) + 1
        else:
            changes.append(change)
    for address, base in live.items():
        if address not in matched:
            changes.append(
                Change(
                    address=str(address),
                    kind=base.kind,
                    action=Action.DELETE,
                    root=root_key,
                    name=base.key,
                    id=base.id,
                    before=dict(base.values),
                )
            )
    return with_dependencies(changes, schema), unchanged


def _change(wanted: Resource, base: Resource | None, root: str, schema: Schema) -> Change:
    common: dict[str, Any] = {
        "address": str(wanted.address),
        "kind": wanted.kind,
        "root": root,
        "name": wanted.key,
        "after": dict(wanted.values),
    }
    if base is None:
        return Change(**common, action=Action.CREATE)
    kind = schema.type(wanted.kind)
    fields = _field_changes(
        wanted.values, base.values, [kind.field(n).compare for n in wanted.values]
    )
    renamed = base.key != wanted.key
    if renamed:
        fields = (FieldChange(field=kind.key, before=base.key, after=wanted.key), *fields)
    before = {name: base.values.get(name) for name in wanted.values}
    return Change(
        **common,
        action=Action.UPDATE if fields else Action.NOOP,
        id=base.id,
        before=before,
        fields=fields,
        renamed_from=base.key if renamed else None,
        drift=any(f.field != kind.key for f in fields),
    )


def _field_changes(
    desired: dict[str, Any], live: dict[str, Any], modes: Sequence[Compare]
) -> tuple[FieldChange, ...]:
    return tuple(
        FieldChange(field=name, before=live.get(name), after=value)
        for (name, value), mode in zip(desired.items(), modes, strict=True)
        if differs(mode, value, live.get(name))
    )
