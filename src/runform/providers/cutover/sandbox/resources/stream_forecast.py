"""The times `GET .../streams?forecast=true` adds to each stream, from its tasks' schedule.

A stream spans its own tasks and its substreams' tasks. The sandbox keeps no baseline apart
from the current plan, so `start_latest_planned`/`end_latest_planned` equal the planned
times; `*_display` is the actual time once there is one (start: the first task started; end:
the last task finished, once all are complete), else the planned one. An empty stream has
none of them (null).
"""

from __future__ import annotations

from runform.providers.cutover.sandbox.schedule import as_text, planned_times
from runform.providers.cutover.sandbox.store import Record, Store

FIELDS = (
    "start_planned",
    "end_planned",
    "start_latest_planned",
    "end_latest_planned",
    "start_display",
    "end_display",
)


def stream_times(store: Store, runbook: Record) -> dict[int, dict[str, object]]:
    """The forecast attributes of every stream of the runbook, by stream id."""
    times = planned_times(store, runbook)
    streams = store.of_runbook("stream", runbook["id"])
    parent_of = {s["id"]: s.get("parent_id") for s in streams}
    members: dict[int, list[Record]] = {s["id"]: [] for s in streams}
    for task in store.of_runbook("task", runbook["id"]):
        stream_id = task.get("stream_id")
        while stream_id is not None and stream_id in members:
            members[stream_id].append(task)
            stream_id = parent_of.get(stream_id)
    return {stream_id: _span(tasks, times) for stream_id, tasks in members.items()}


def _span(tasks: list[Record], times: dict[int, tuple[float, float]]) -> dict[str, object]:
    planned = [times[t["id"]] for t in tasks if t["id"] in times]
    if not planned:
        return dict.fromkeys(FIELDS)
    start = as_text(min(begin for begin, _ in planned))
    end = as_text(max(finish for _, finish in planned))
    started = sorted(str(t["start_actual"]) for t in tasks if t.get("start_actual"))
    finished = sorted(str(t["end_actual"]) for t in tasks if t.get("end_actual"))
    all_done = all(t.get("progress") == "complete" for t in tasks)
    return {
        "start_planned": start,
        "end_planned": end,
        "start_latest_planned": start,
        "end_latest_planned": end,
        "start_display": started[0] if started else start,
        "end_display": finished[-1] if all_done and finished else end,
    }
