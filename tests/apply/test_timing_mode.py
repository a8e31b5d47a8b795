"""A runbook moved between a planned and a scheduled start converges."""

from __future__ import annotations

import asyncio

from tests.apply.support import apply_files, client_for, plan_files

PLANNED = """\
runbook:
  name: Timed release
  workspace: payments
  start_planned: 2026-03-02T09:00:00Z
tasks:
  - name: Deploy
    duration: 30m
"""


def test_switching_between_planned_and_scheduled_start_converges(sandbox, tmp_path):
    # The reference: start_planned "Must not be passed if `start_scheduled` is passed" (Round 2:
    # not even as null), so a switch of timing mode sends only the start being set.
    path = tmp_path / "timed.yaml"
    scheduled = PLANNED.replace("start_planned", "start_scheduled")

    async def scenario():
        async with client_for(sandbox) as client:
            for text in (PLANNED, scheduled, PLANNED):
                path.write_text(text)
                result = await apply_files(client, [path], tmp_path)
                assert result.ok, result.failed
                again, _ = await plan_files(client, [path])
                assert again.changes() == [], text

    asyncio.run(scenario())
