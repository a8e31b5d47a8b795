"""A running runbook of a type that is not dynamic: its RAG status still changes, nothing else."""

from __future__ import annotations

import asyncio

from tests.apply.support import DATA, apply_files, client_for, plan_files, read_runbook


def test_a_running_runbook_takes_a_new_status_and_then_plans_no_changes(sandbox, tmp_path):
    path = tmp_path / "plain.yaml"
    text = (DATA / "plain.yaml").read_text()
    path.write_text(text)
    rag = "  status: amber\n  status_message: Migration running late\n"

    async def scenario():
        async with client_for(sandbox) as client:
            assert (await apply_files(client, [path], tmp_path)).ok
            live = await read_runbook(client, "Ledger migration", "payments")
            await client.action(
                f"/core/runbooks/{live.id}/start", {"run_type": "live", "comms": "off"}
            )
            path.write_text(text.replace("  timezone:", rag + "  timezone:"))
            plan, _ = await plan_files(client, [path])
            runbook = plan.roots[0]
            assert runbook.appliable, runbook.refusal
            assert [f.field for c in plan.changes() for f in c.fields] == [
                "status",
                "status_message",
            ]
            result = await apply_files(client, [path], tmp_path)
            assert result.ok, result.failed
            again, _ = await plan_files(client, [path])
            assert again.changes() == []
            live = await read_runbook(client, "Ledger migration", "payments")
            assert live.stage == "active"
            assert (live.state.status, live.state.status_message) == (
                "amber",
                "Migration running late",
            )
            # Any other edit is still refused while it runs.
            path.write_text(path.read_text().replace("duration: 45m", "duration: 50m"))
            refused, _ = await plan_files(client, [path])
            assert refused.roots[0].appliable is False

    asyncio.run(scenario())
