"""A runbook's recovery time objective: `rto` seconds between two of its own tasks.

Round 2, Runbooks: `rto` (seconds) with relationships `rto_start_task` and `rto_end_task`,
and runbook types carry `enable_rto`. That the type must enable RTO before a runbook takes
one is the plainest reading, not documented; so is that the two tasks belong to the runbook.
"""

from __future__ import annotations

from collections.abc import Mapping

from runform.providers.cutover.sandbox.jsonapi import ref
from runform.providers.cutover.sandbox.store import Record, Store
from runform.providers.cutover.sandbox.validation import (
    Problems,
    as_int,
    attribute_pointer,
    relationship_id,
    relationship_pointer,
)

RTO_TASKS = ("rto_start_task", "rto_end_task")


def check_rto(
    store: Store,
    relationships: Mapping[str, object],
    changes: dict[str, object],
    old: Record | None,
    problems: Problems,
) -> None:
    """Add the RTO tasks to `changes`; refuse RTO on a type that does not enable it."""
    runbook_id = (old or {}).get("id")
    for name in RTO_TASKS:
        given, ident = relationship_id(relationships, name, problems)
        if not given:
            continue
        task = store.get("task", as_int(ident) or -1) if ident is not None else None
        if ident is not None and (task is None or task.get("runbook_id") != runbook_id):
            problems.add(relationship_pointer(name), "not_found", f"task {ident} not found")
        else:
            changes[f"{name}_id"] = task["id"] if task else None
    merged = {**(old or {}), **changes}
    type_id = merged.get("runbook_type_id")
    kind = store.get("runbook_type", type_id) if isinstance(type_id, int) else None
    if kind is None or kind.get("enable_rto"):
        return
    for name, pointer in (
        ("rto", attribute_pointer("rto")),
        *((f"{n}_id", relationship_pointer(n)) for n in RTO_TASKS),
    ):
        if changes.get(name) is not None:
            problems.add(pointer, "invalid", f"runbook type {kind['name']} does not enable RTO")


def rto_relationships(store: Store, record: Record) -> dict[str, object]:
    """The RTO tasks as read back (null once a task is gone from the runbook)."""
    out: dict[str, object] = {}
    for name in RTO_TASKS:
        ident = record.get(f"{name}_id")
        task = store.get("task", ident) if isinstance(ident, int) else None
        alive = task is not None and task.get("runbook_id") == record["id"]
        out[name] = ref("task", ident if alive else None)
    return out
