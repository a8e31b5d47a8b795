"""A runbook's length from durations and predecessors: the critical path reviewers care about."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from runform.errors import PlanError
from runform.providers.cutover.plan.model import Schedule


def compute_schedule(
    runbook: str,
    durations: Mapping[str, int],
    predecessors: Mapping[str, Sequence[str]],
    start: datetime | None = None,
) -> Schedule:
    """Longest chain of tasks by duration; predecessors naming unknown tasks are ignored."""
    finish: dict[str, int] = {}
    previous: dict[str, str | None] = {}
    state: dict[str, int] = {}  # 1 visiting, 2 done
    for name in durations:
        if name in finish:
            continue
        stack: list[tuple[str, bool]] = [(name, False)]
        while stack:
            node, expanded = stack.pop()
            if expanded:
                best, best_from = 0, None
                for pred in predecessors.get(node, ()):
                    if pred in finish and finish[pred] > best:
                        best, best_from = finish[pred], pred
                finish[node] = best + durations[node]
                previous[node] = best_from
                state[node] = 2
                continue
            if state.get(node) == 2:
                continue
            state[node] = 1
            stack.append((node, True))
            for pred in predecessors.get(node, ()):
                if pred not in durations:
                    continue
                if state.get(pred) == 1:
                    raise PlanError(
                        f'runbook "{runbook}": tasks in a predecessor cycle: '
                        + _cycle_path(durations, predecessors, pred, node)
                    )
                if state.get(pred) != 2:
                    stack.append((pred, False))
    if not finish:
        return Schedule(planned_end=start.isoformat() if start else None)
    last = max(finish, key=lambda n: (finish[n], n))
    chain: list[str] = []
    step: str | None = last
    while step is not None:
        chain.append(step)
        step = previous[step]
    length = finish[last]
    return Schedule(
        task_count=len(durations),
        critical_path_seconds=length,
        critical_path=tuple(reversed(chain)),
        planned_end=_end(start, length),
    )


def _cycle_path(
    durations: Mapping[str, int], predecessors: Mapping[str, Sequence[str]], first: str, last: str
) -> str:
    """`a → b → c → a` for a cycle through `first` and `last` (as in `runform validate`)."""
    from runform.providers.cutover.definitions.cycles import find_cycles

    graph = {name: [p for p in predecessors.get(name, ()) if p in durations] for name in durations}
    for cycle in find_cycles(graph):
        if first in cycle and last in cycle:
            return " → ".join(f'"{name}"' for name in [*cycle, cycle[0]])
    return f'"{first}" and "{last}"'


def _end(start: datetime | None, seconds: int) -> str | None:
    """When a schedule of `seconds` from `start` ends; past the year 9999 is a plan error."""
    if start is None:
        return None
    try:
        return (start + timedelta(seconds=seconds)).isoformat()
    except OverflowError:
        raise PlanError(
            f"the schedule starting {start.isoformat()} would end after the year 9999 "
            f"({seconds} seconds of critical path): check the start date and durations"
        ) from None
