"""The cost of one page of 100 tasks, whole or with a sparse fieldset, from the sandbox
in-process: what reading whole tasks (runform's reads since the documented `fields[task]`
names leave out assignees) costs per page."""

from __future__ import annotations

import asyncio
import time

import httpx

from runform.core.sandbox_kit.transport import InProcessTransport
from runform.providers.cutover.sandbox import create_app

READS = 20


async def main() -> None:
    app = create_app(":memory:")
    headers = {"Authorization": f"Bearer {app.state.token}", "Api-Version": "2022-02-22"}
    transport = InProcessTransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://sandbox.local", headers=headers
    ) as client:
        runbook = {
            "type": "runbook",
            "attributes": {"name": "Bench"},
            "relationships": {"workspace": {"data": {"type": "workspace", "id": "1"}}},
        }
        made = await client.post("/core/runbooks", json={"data": runbook})
        tasks = f"/core/runbooks/{made.json()['data']['id']}/tasks"
        for index in range(100):
            task = {"type": "task", "attributes": {"name": f"Task {index}", "duration": 60}}
            await client.post(tasks, json={"data": task})
        for label, fields in (
            ("whole tasks", {}),
            (
                "fields[task]=name,duration,stream,predecessors",
                {"fields[task]": "name,duration,stream,predecessors"},
            ),
        ):
            started = time.perf_counter()
            for _ in range(READS):
                page = await client.get(tasks, params={"page[size]": 100, **fields})
            each = (time.perf_counter() - started) / READS
            print(f"{label}: {each * 1000:.1f} ms per page, {len(page.content):,} bytes")


if __name__ == "__main__":
    asyncio.run(main())
