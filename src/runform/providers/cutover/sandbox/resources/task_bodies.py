"""Tasks as JSON text, kept between reads until a write they depend on.

Rendering and encoding each task is most of what a read of a runbook's tasks costs, and a
forecast read answers all of them in one document (docs/benchmarks.md, "Sandbox serving at
scale"). A task's text depends on more than its own row: on its runbook (the schedule, the
stage, its successors, its predecessors' progress: predecessors are of the same runbook) and
on the directory (the custom fields' names). So a runbook's texts are dropped at any write
to that runbook or its contents (its revision) or to the directory (`Store.directory_revision`),
and all of them when the store reloads (another process committed, a transaction failed).
Texts are kept per base URL, as their links are absolute, and only for reads of every field;
a sparse read renders as before.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Protocol

from runform.providers.cutover.sandbox.context import Context
from runform.providers.cutover.sandbox.store import Record, Store

MEMO_KEY = "task_bodies"
# A task's text in three parts: up to its last attribute, forecast mode's attributes, the rest.
Parts = tuple[str, str, str]


class View(Protocol):
    """What `tasks.TaskView` offers for one runbook's tasks."""

    runbook: Record
    forecast: bool

    def render_as(self, record: Record, *, forecast: bool) -> dict[str, object]: ...

    def forecast_ids(self, record: Record) -> dict[str, object]: ...


def encoder(ctx: Context, view: View) -> Callable[[Record], str]:
    """A task's resource object as compact JSON text, as `view.render` and `json.dumps` write it."""
    kept = _kept(ctx.store, (ctx.base_url, view.runbook["id"]))
    forecast = view.forecast

    def encode(record: Record) -> str:
        parts = kept.get(record["id"])
        if parts is None:
            parts = kept[record["id"]] = split(view, record)
        head, middle, tail = parts
        return f"{head}{middle}{tail}" if forecast else f"{head}{tail}"

    return encode


def split(view: View, record: Record) -> Parts:
    """The task's text cut where forecast mode's attributes go (after all the others): the
    two documents, with and without them, differ only there."""
    document = view.render_as(record, forecast=False)
    attributes = _compact(document["attributes"])
    # The attributes written apart, a null in their place: only the id and type come before
    # them, so the first `"attributes":null` is that place.
    rest = _compact({**document, "attributes": None})
    before, _, after = rest.partition(_PLACE)
    assert before == f'{{"id":"{record["id"]}","type":"task",', rest
    assert attributes.endswith("}") and attributes != "{}", attributes  # every field is read
    middle = _compact(view.forecast_ids(record))
    return f"{before}{_PLACE[:-4]}{attributes[:-1]}", f",{middle[1:-1]}", f"}}{after}"


def _kept(store: Store, key: tuple[str, object]) -> dict[object, Parts]:
    """The texts kept for one runbook read at one base URL, as of its and the directory's
    latest writes."""
    kept: dict[tuple[str, object], tuple[tuple[int, int], dict[object, Parts]]]
    kept = store.memo.setdefault(MEMO_KEY, {})
    runbook_id = key[1]
    revision = store.revisions.get(runbook_id, 0) if isinstance(runbook_id, int) else 0
    stamp = (revision, store.directory_revision)
    entry = kept.get(key)
    if entry is None or entry[0] != stamp:
        entry = kept[key] = (stamp, {})
    return entry[1]


# What `json.dumps(value, separators=(",", ":"))` writes, without a new encoder per call.
_compact = json.JSONEncoder(separators=(",", ":")).encode
_PLACE = '"attributes":null'
