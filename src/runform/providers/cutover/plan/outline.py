"""A runbook's outline: its streams (nested) and its tasks' predecessors, before and after a plan.

The plan lists only what changes; a dependency graph needs every stream and task. Diffing
already knows both states, so it keeps their outlines on the runbook's plan (and so in the plan
file): `runform graph` and the Markdown plan's graph draw from them, `runform show` included.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    from runform.providers.cutover.plan.current import CurrentRunbook
    from runform.providers.cutover.plan.draft import Draft
    from runform.providers.cutover.state.shapes import RunbookTree, TaskState


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class StreamNode(_Frozen):
    name: str
    parent: str | None = None


class TaskNode(_Frozen):
    name: str
    stream: str | None = None  # None: a new runbook's primary stream, which Cutover names
    predecessors: tuple[str, ...] = ()


class Outline(_Frozen):
    """Streams and tasks in reading order; deleted ones are kept so a graph can show them."""

    streams: tuple[StreamNode, ...] = ()
    tasks: tuple[TaskNode, ...] = ()


def outline_before(current: CurrentRunbook) -> Outline | None:
    """The live runbook's outline; None for a runbook Cutover does not have."""
    if current.live is None:
        return None
    return Outline(
        streams=tuple(
            StreamNode(name=s.state.name, parent=s.state.parent) for s in current.streams
        ),
        tasks=tuple(_task(t.state.name, t.state) for t in current.tasks),
    )


def outline_after(draft: Draft, desired: RunbookTree) -> Outline:
    """The outline once the plan is applied, with the streams and tasks it deletes still in
    (under their current names and places), so they can be drawn as deleted. What exists keeps
    Cutover's order, new streams and tasks follow: with nothing to change, it is the live one."""
    from runform.providers.cutover.plan.model import task_address

    wanted = {s.name: s for s in desired.streams}
    matched = {id(base): name for name, base in draft.streams.items()}
    streams = []
    for stream in draft.current.streams:
        name = matched.get(id(stream)) or draft.stream_name(stream.state.name) or stream.state.name
        if name in wanted:
            streams.append(StreamNode(name=name, parent=wanted.pop(name).parent))
        else:  # kept, or deleted (drawn as such)
            streams.append(StreamNode(name=name, parent=draft.stream_name(stream.state.parent)))
    streams += [StreamNode(name=s.name, parent=s.parent) for s in wanted.values()]
    tasks = [_task(name, state) for name, state in draft.final_tasks.items()]
    for base in draft.deleted_tasks:
        tasks.append(_task(base.state.name, base.state, draft.stream_name(base.state.stream)))
    last = len(draft.positions)
    tasks.sort(key=lambda t: draft.positions.get(task_address(draft.name, t.name), last))
    return Outline(streams=tuple(streams), tasks=tuple(tasks))


def _task(name: str, state: TaskState, stream: str | None = None) -> TaskNode:
    return TaskNode(
        name=name, stream=stream or state.stream, predecessors=tuple(state.predecessors or ())
    )
