"""The normalized shapes that both sides of a diff are turned into.

`definitions` (after resolving names) produces *desired* states from the files; `live`
produces *live* states from Cutover. Both speak in canonical **names**, never
ids, so the planner compares like with like: workspace, folder, types, teams and users by
their canonical name, streams and predecessors by name within the runbook. Ids travel
separately (`LiveRunbook`, `LiveStream`, `LiveTask`) so the applier can address objects.

Desired states set only the fields the file manages: `model_fields_set` is the list of
managed fields, and fields outside it are never diffed.
"""

from runform.providers.cutover.state.shapes import (
    Assignee,
    CopySpec,
    LiveRunbook,
    LiveStream,
    LiveTask,
    RunbookState,
    RunbookTree,
    StreamState,
    TaskState,
)

__all__ = [
    "Assignee",
    "CopySpec",
    "LiveRunbook",
    "LiveStream",
    "LiveTask",
    "RunbookState",
    "RunbookTree",
    "StreamState",
    "TaskState",
]
