"""Archiving a runbook through the engine: one DELETE, safe to lose, and found archived after."""

from __future__ import annotations

import asyncio

import pytest
from tests.apply.support import apply_files, client_for, plan_files

from runform.providers.cutover.apply import ApplyStatus

FILE = """\
runbook:
  name: Archived release
  workspace: default
{keys}streams:
  - name: Main
tasks:
  - name: Step 1
    stream: Main
    duration: 5m
"""


@pytest.mark.parametrize("with_replan", [False, True], ids=["rematch", "replan"])
def test_an_archive_whose_answer_is_lost_is_settled_by_a_re_read(
    sandbox, tmp_path, with_replan
) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(FILE.format(keys=""))

    async def scenario():
        async with client_for(sandbox) as client:
            await apply_files(client, [path], tmp_path)
            path.write_text(FILE.format(keys="  archived: true\n"))
            sandbox.faults.drop_next = 1  # the archive is made, its answer lost
            result = await apply_files(client, [path], tmp_path, with_replan=with_replan)
            deletes = client.stats.count("DELETE", "/core/runbooks/{id}")
            again, _ = await plan_files(client, [path])
            return result, deletes, again

    result, deletes, again = asyncio.run(scenario())
    assert result.status is ApplyStatus.COMPLETE, result.failed
    assert result.recoveries == 1
    assert deletes == 1  # never sent twice
    assert again.changes() == []
    assert "as the files ask" in again.roots[0].warnings[-1]


def test_a_pinned_runbook_is_found_archived_by_its_id(sandbox, tmp_path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(FILE.format(keys=""))

    async def scenario():
        async with client_for(sandbox) as client:
            await apply_files(client, [path], tmp_path)
            made, _ = await plan_files(client, [path])
            runbook_id = made.roots[0].live_id
            path.write_text(FILE.format(keys=f"  id: '{runbook_id}'\n  archived: true\n"))
            planned, _ = await plan_files(client, [path])
            await apply_files(client, [path], tmp_path)
            again, _ = await plan_files(client, [path])
            return runbook_id, planned, again

    runbook_id, planned, again = asyncio.run(scenario())
    assert [(c.kind, c.action.value, c.id) for c in planned.changes()] == [
        ("runbook", "delete", runbook_id)
    ]
    assert again.changes() == []
    assert again.roots[0].warnings == [f"archived in Cutover (id {runbook_id}), as the files ask"]
