"""Helpers for export tests: runbooks made through the API, export, plan the exported files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from runform.providers.cutover.api import CutoverClient, Ref, RetryPolicy
from runform.providers.cutover.definitions import load_definitions
from runform.providers.cutover.engine import make_plan
from runform.providers.cutover.export.run import ExportReport, export_runbooks
from runform.providers.cutover.export.select import selection_for
from runform.providers.cutover.live.lookups import Lookups
from runform.providers.cutover.plan.model import Plan

FAST_RETRY = RetryPolicy(max_attempts=8, base_delay=0.001, max_delay=0.01)


def client_for(sandbox: Any) -> CutoverClient:
    """The real client over the sandbox's transport (in-process) or its socket (served)."""
    return CutoverClient(sandbox.base_url, sandbox.token, sandbox.transport, retry=FAST_RETRY)


async def make_runbook(
    client: CutoverClient,
    name: str,
    *,
    workspace: str = "1",
    streams: list[tuple[str, str | None]] = (),  # type: ignore[assignment]
    tasks: list[tuple[str, str, list[int]]] = (),  # type: ignore[assignment]
    attributes: dict[str, Any] | None = None,
) -> str:
    """A runbook made call by call; tasks are (name, stream, indexes of earlier predecessors)."""
    runbook = await client.create(
        "/core/runbooks",
        "runbook",
        {"name": name, **(attributes or {})},
        {"workspace": Ref(id=workspace, type="workspace")},
    )
    base = f"/core/runbooks/{runbook.id}"
    stream_ids: dict[str, str] = {}
    for stream_name, parent in streams:
        relationships = {"parent": Ref(id=stream_ids[parent], type="stream")} if parent else None
        created = await client.create(
            f"{base}/streams", "stream", {"name": stream_name}, relationships
        )
        stream_ids[stream_name] = created.id
    task_ids: list[str] = []
    for task_name, stream, predecessors in tasks:
        created = await client.create(
            f"{base}/tasks",
            "task",
            {"name": task_name},
            {
                "stream": Ref(id=stream_ids[stream], type="stream"),
                "predecessors": [Ref(id=task_ids[i], type="task") for i in predecessors],
            },
        )
        task_ids.append(created.id)
    return runbook.id


async def export_to(client: CutoverClient, out_dir: Path, **selection: Any) -> ExportReport:
    lookups = await Lookups.fetch(client)
    return await export_runbooks(client, lookups, selection_for(lookups, **selection), out_dir)


async def plan_dir(client: CutoverClient, directory: Path) -> Plan:
    plan, _ = await make_plan(client, load_definitions([str(directory)]))
    return plan


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every file under `directory`, by relative path, as bytes."""
    return {
        str(path.relative_to(directory)): path.read_bytes()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }
