"""Putting runbooks into the sandbox through the API, as a user of Cutover would."""

from __future__ import annotations

from typing import Any


def ref(kind: str, id: str) -> dict[str, str]:
    return {"type": kind, "id": str(id)}


async def make_runbook(
    client: Any,
    name: str,
    tasks: list[tuple[str, int, list[str]]],
    *,
    workspace: str = "1",
    stream: str = "Main",
    runbook_type: str | None = None,
) -> dict[str, str]:
    """A runbook with one stream and tasks (name, duration, predecessor names); name → id."""
    relationships: dict[str, Any] = {"workspace": ref("workspace", workspace)}
    if runbook_type:
        relationships["runbook_type"] = ref("runbook_type", runbook_type)
    runbook = await client.create("/core/runbooks", "runbook", {"name": name}, relationships)
    base = f"/core/runbooks/{runbook.id}"
    made = await client.create(f"{base}/streams", "stream", {"name": stream})
    ids = {"runbook": runbook.id, f"stream:{stream}": made.id}
    for task_name, duration, preds in tasks:
        task = await client.create(
            f"{base}/tasks",
            "task",
            {"name": task_name, "duration": duration},
            {
                "stream": ref("stream", made.id),
                "predecessors": [ref("task", ids[p]) for p in preds],
            },
        )
        ids[task_name] = task.id
    return ids
