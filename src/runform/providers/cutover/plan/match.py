"""Matching desired streams and tasks to current ones by name (and `renamed_from`)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from runform.errors import PlanError
from runform.providers.cutover.plan.current import CurrentStream, CurrentTask
from runform.providers.cutover.state.shapes import StreamState, TaskState


def _duplicates(names: Sequence[str]) -> list[str]:
    return sorted(name for name, count in Counter(names).items() if count > 1)


def match_streams(
    runbook: str,
    desired: Sequence[StreamState],
    current: Sequence[CurrentStream],
    renamed_from: dict[str, str] | None = None,
) -> dict[str, CurrentStream]:
    """Desired stream name → current stream, by name, else by its `renamed_from` name.

    A name shared by several live streams is an error unless the parent tells them apart.
    """
    renamed_from = renamed_from or {}
    dupes = _duplicates([s.name for s in desired])
    if dupes:
        raise PlanError(f'runbook "{runbook}": streams listed twice: {", ".join(dupes)}')
    by_name: dict[str, list[CurrentStream]] = defaultdict(list)
    for live in current:
        by_name[live.state.name].append(live)
    desired_names = {s.name for s in desired}
    # A live parent may itself be renamed by the files: compare parents by their new names.
    new_name = {old: new for new, old in renamed_from.items()}
    matches: dict[str, CurrentStream] = {}
    for stream in desired:
        found = _one_stream(runbook, stream, stream.name, by_name, new_name)
        old = renamed_from.get(stream.name)
        if found is None and old is not None:
            if old in desired_names:
                raise PlanError(
                    f'runbook "{runbook}": stream "{stream.name}" is renamed from "{old}", '
                    f'but the files also list a stream "{old}"'
                )
            found = _one_stream(runbook, stream, old, by_name, new_name)
        if found is not None:
            matches[stream.name] = found
    return matches


def _one_stream(
    runbook: str,
    stream: StreamState,
    name: str,
    by_name: dict[str, list[CurrentStream]],
    new_name: dict[str, str],
) -> CurrentStream | None:
    """The one live stream called `name` (told apart by parent when several are)."""
    candidates = by_name.get(name, [])
    if len(candidates) > 1:
        same_parent = [
            c
            for c in candidates
            if new_name.get(c.state.parent or "", c.state.parent) == stream.parent
        ]
        candidates = same_parent if len(same_parent) == 1 else candidates
    if len(candidates) > 1:
        ids = ", ".join(f"id {c.id} (parent {c.state.parent or '-'})" for c in candidates)
        raise PlanError(
            f'runbook "{runbook}": stream "{name}" matches {len(candidates)} '
            f"streams in Cutover: {ids}; rename one of them in Cutover"
        )
    return candidates[0] if candidates else None


def match_tasks(
    runbook: str,
    desired: Sequence[TaskState],
    current: Sequence[CurrentTask],
    renamed_from: dict[str, str],
) -> dict[str, CurrentTask]:
    """Desired task name → current task, by name, else by its `renamed_from` name."""
    dupes = _duplicates([t.name for t in desired])
    if dupes:
        raise PlanError(f'runbook "{runbook}": tasks listed twice: {", ".join(dupes)}')
    by_name: dict[str, list[CurrentTask]] = defaultdict(list)
    for live in current:
        by_name[live.state.name].append(live)
    desired_names = {t.name for t in desired}
    matches: dict[str, CurrentTask] = {}
    for task in desired:
        found = _one(runbook, task.name, by_name.get(task.name, []))
        old = renamed_from.get(task.name)
        if found is None and old is not None:
            if old in desired_names:
                raise PlanError(
                    f'runbook "{runbook}": task "{task.name}" is renamed from "{old}", '
                    f'but the files also list a task "{old}"'
                )
            found = _one(runbook, old, by_name.get(old, []))
        if found is not None:
            matches[task.name] = found
    return matches


def _one(runbook: str, name: str, candidates: list[CurrentTask]) -> CurrentTask | None:
    if len(candidates) > 1:
        labels = ", ".join(c.label for c in candidates)
        raise PlanError(
            f'runbook "{runbook}": task "{name}" matches {len(candidates)} tasks in Cutover: '
            f"{labels}; give them distinct names in Cutover or remove the duplicates"
        )
    return candidates[0] if candidates else None
