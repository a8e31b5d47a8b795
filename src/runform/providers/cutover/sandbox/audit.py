"""The audit trail: one `action_log` row for every change the sandbox makes.

Every write path calls `created`, `updated` or `deleted` inside its own transaction, so a
change and its entry commit (or roll back) together. `GET /core/action_logs` and, for one
runbook, `GET /core/activities` read them back (resources/audit_logs.py).

`changes` follows the plainest reading of Cutover's examples (`{"name": "Test Runbook"}` for
a created runbook): a created or deleted resource lists its fields and values, an update lists
each changed field as `[old, new]`. Field names are the stored ones (`stream_id`, `stage`).
"""

from __future__ import annotations

from typing import Any

from runform.providers.cutover.sandbox.store import Record, Store

# Bookkeeping that is not part of what changed.
HIDDEN = frozenset({"id", "created_at", "updated_at", "status_updated_at", "next_internal_id"})
# Stored names that Cutover shows under another name.
RENAMED = {"progress": "stage"}


def created(store: Store, kind: str, record: Record, runbook: Record | None) -> None:
    """Log a new resource with all its fields."""
    _write(store, "created", kind, record["id"], runbook, _fields(record))


def deleted(store: Store, kind: str, record: Record, runbook: Record | None) -> None:
    """Log a resource gone, with the fields it had."""
    _write(store, "deleted", kind, record["id"], runbook, _fields(record))


def updated(
    store: Store,
    kind: str,
    old: Record,
    new: Record,
    runbook: Record | None,
    event: str = "updated",
) -> None:
    """Log the fields that changed as `[old, new]`; a plain update that changed nothing is
    not logged, a named action (`started`, `skipped`, ...) always is."""
    changes = {
        RENAMED.get(name, name): [old.get(name), value]
        for name, value in new.items()
        if name not in HIDDEN and old.get(name) != value
    }
    if changes or event != "updated":
        _write(store, event, kind, new["id"], runbook, changes)


def _fields(record: Record) -> dict[str, object]:
    return {RENAMED.get(k, k): v for k, v in record.items() if k not in HIDDEN}


def _write(
    store: Store,
    event: str,
    kind: str,
    resource_id: object,
    runbook: Record | None,
    changes: dict[str, Any],
) -> None:
    """One entry: the resource it is about and its context (the runbook holding it, or for a
    runbook its workspace). The sandbox's tokens belong to no seeded user: no author."""
    if runbook is None:
        context: tuple[str | None, object] = (None, None)
    elif kind == "runbook":
        context = ("workspace", runbook.get("workspace_id"))
    else:
        context = ("runbook", runbook["id"])
    store.insert(
        "action_log",
        {
            "runbook_id": runbook["id"] if runbook is not None else None,
            "workspace_id": runbook.get("workspace_id") if runbook is not None else None,
            "author_id": None,
            "event": event,
            "description": f"{kind.replace('_', ' ').capitalize()} {event}",
            "changes": changes,
            "resource_type": kind,
            "resource_id": resource_id,
            "context_type": context[0],
            "context_id": context[1],
            "created_at": store.now(),
        },
    )
