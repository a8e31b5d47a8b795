"""Tasks as JSON text, kept between reads until the sandbox's next write.

Rendering and encoding each task is most of what a read of a runbook's tasks costs, and a
forecast read answers all of them in one document (docs/benchmarks.md, "Sandbox serving at
scale"). A task's text depends on more than its own row (the runbook's schedule and stage,
its successors, its predecessors' progress, the custom fields' names), so every text is
dropped at any write to the store or reload of it (`Store.generation`), not only at a write
to its runbook. Texts are kept per base URL, as their links are absolute, and only for reads
of every field; a sparse read renders as before.
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
    """The texts kept for one runbook read at one base URL; all are dropped on any write."""
    memo = store.memo.get(MEMO_KEY)
    if memo is None or memo[0] != store.generation:  # type: ignore[index]
        memo = (store.generation, {})
        store.memo[MEMO_KEY] = memo
    by_runbook: dict[tuple[str, object], dict[object, Parts]] = memo[1]  # type: ignore[index]
    return by_runbook.setdefault(key, {})


# What `json.dumps(value, separators=(",", ":"))` writes, without a new encoder per call.
_compact = json.JSONEncoder(separators=(",", ":")).encode
_PLACE = '"attributes":null'
