"""The forward pass: when each task is planned to start and end, from its predecessors."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from functools import lru_cache

from runform.providers.cutover.sandbox.store import Record, Store
from runform.providers.cutover.sandbox.validation import parse_moment


def epoch(value: object) -> float | None:
    moment = parse_moment(value) if isinstance(value, str) else None
    return None if moment is None else moment.timestamp()


def forward_pass(start: float, tasks: Iterable[Record]) -> dict[int, tuple[float, float]]:
    """Planned (start, end) in epoch seconds per task id.

    A task starts when its last predecessor ends (or at the runbook's start), never before
    its `start_fixed`. Tasks caught in a cycle (the API refuses those) start at the
    runbook's start.
    """
    by_id = {task["id"]: task for task in tasks}
    waiting: dict[int, int] = {}
    successors: dict[int, list[int]] = {task_id: [] for task_id in by_id}
    for task_id, task in by_id.items():
        predecessors = [p for p in task.get("predecessor_ids") or [] if p in by_id]
        waiting[task_id] = len(predecessors)
        for predecessor in predecessors:
            successors[predecessor].append(task_id)
    earliest: dict[int, float] = {task_id: start for task_id in by_id}
    ready = deque(task_id for task_id, count in waiting.items() if count == 0)
    times: dict[int, tuple[float, float]] = {}
    while ready:
        task_id = ready.popleft()
        times[task_id] = place(by_id[task_id], earliest[task_id])
        end = times[task_id][1]
        for successor in successors[task_id]:
            earliest[successor] = max(earliest[successor], end)
            waiting[successor] -= 1
            if waiting[successor] == 0:
                ready.append(successor)
    for task_id, task in by_id.items():
        if task_id not in times:
            times[task_id] = place(task, start)
    return times


def place(task: Record, earliest: float) -> tuple[float, float]:
    fixed = epoch(task.get("start_fixed"))
    begin = max(earliest, fixed) if fixed is not None else earliest
    return begin, begin + float(task.get("duration") or 0)


def has_cycle(edges: Mapping[int, Iterable[int]]) -> bool:
    """Whether following predecessor edges from any task can come back to it."""
    state: dict[int, int] = {}
    for root in edges:
        if state.get(root):
            continue
        stack = [(root, iter(edges.get(root, ())))]
        state[root] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
            elif state.get(child) == 1:
                return True
            elif not state.get(child):
                state[child] = 1
                stack.append((child, iter(edges.get(child, ()))))
    return False


@lru_cache(maxsize=65536)
def as_text(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat().replace("+00:00", "Z")


def runbook_start(runbook: Record) -> float:
    """Where the forward pass begins: scheduled start, else planned start, else creation."""
    for name in ("start_scheduled", "start_planned", "created_at"):
        value = epoch(runbook.get(name))
        if value is not None:
            return value
    return 0.0


def planned_times(store: Store, runbook: Record) -> dict[int, tuple[float, float]]:
    """The forward pass for one runbook, computed once per change to it."""
    revision = store.revisions.get(runbook["id"], 0)
    cached = store.memo.get(("schedule", runbook["id"]))
    if cached is not None and cached[0] == revision:
        kept: dict[int, tuple[float, float]] = cached[1]
        return kept
    times = forward_pass(runbook_start(runbook), store.of_runbook("task", runbook["id"]))
    store.memo[("schedule", runbook["id"])] = (revision, times)
    return times
