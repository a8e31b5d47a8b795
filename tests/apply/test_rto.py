"""A runbook's RTO names its own tasks: planned after them, applied by id, read back by name."""

from __future__ import annotations

import asyncio

from tests.apply.support import apply_files, client_for, plan_files, read_runbook

from runform.core.order import missing_dependencies
from runform.providers.cutover.schema import CUTOVER

TEMPLATE = """\
runbook:
  name: Failover plan
  workspace: default
  type: Disaster recovery
  is_template: true
  rto: {duration: 4h, start: begin, end: Restore service}
streams:
  - name: Recovery
tasks:
  - key: begin
    name: Declare disaster
    stream: Recovery
  - name: Restore service
    stream: Recovery
    after: [begin]
"""


def _rto(live):
    return live.rto.model_dump()


def test_rto_is_applied_after_its_new_tasks_and_converges(sandbox, tmp_path):
    path = tmp_path / "failover.yaml"
    path.write_text(TEMPLATE)

    async def scenario():
        async with client_for(sandbox) as client:
            plan, _ = await plan_files(client, [path])
            changes = {c.address: c for c in plan.changes()}
            rto = changes['runbook["Failover plan"].rto']
            assert rto.action.value == "create"
            assert rto.after == {
                "rto": 14400,
                "rto_start_task": "Declare disaster",
                "rto_end_task": "Restore service",
            }
            assert set(rto.depends_on) == {
                'runbook["Failover plan"]',
                'runbook["Failover plan"].task["Declare disaster"]',
                'runbook["Failover plan"].task["Restore service"]',
            }
            # The tasks wait for the runbook, never for the RTO: no cycle.
            assert all(rto.address not in c.depends_on for c in plan.changes())
            result = await apply_files(client, [path], tmp_path)
            assert result.ok, result.failed
            live = await read_runbook(client, "Failover plan")
            assert _rto(live) == rto.after
            again, _ = await plan_files(client, [path])
            assert again.changes() == []

            # A new start task and the old one deleted: the RTO moves first, then the delete.
            moved = TEMPLATE.replace("start: begin", "start: Page on-call").replace(
                "  - key: begin\n    name: Declare disaster\n    stream: Recovery\n",
                "  - key: begin\n    name: Page on-call\n    stream: Recovery\n",
            )
            path.write_text(moved.replace("rto: {duration: 4h,", "rto: {duration: 2h30m,"))
            plan, _ = await plan_files(client, [path], allow_deletes=True)
            changes = {c.address: c for c in plan.changes()}
            rto = changes['runbook["Failover plan"].rto']
            assert rto.action.value == "update" and not rto.drift  # no base: no drift claim
            assert {f.field for f in rto.fields} == {"rto", "rto_start_task"}
            assert 'runbook["Failover plan"].task["Page on-call"]' in rto.depends_on
            deleted = changes['runbook["Failover plan"].task["Declare disaster"]']
            assert deleted.action.value == "delete" and rto.address in deleted.depends_on
            assert missing_dependencies(plan.changes(), CUTOVER) == []
            result = await apply_files(client, [path], tmp_path, allow_deletes=True)
            assert result.ok, result.failed
            live = await read_runbook(client, "Failover plan")
            assert _rto(live) == {
                "rto": 9000,
                "rto_start_task": "Page on-call",
                "rto_end_task": "Restore service",
            }
            again, _ = await plan_files(client, [path])
            assert again.changes() == []

    asyncio.run(scenario())


COPY = """\
runbook:
  name: Failover 2026
  workspace: default
  template: {name: Failover plan}
  rto: {duration: 1h, start: Declare disaster, end: Verify}
tasks:
  - name: Verify
    stream: Recovery
    after: [Restore service]
"""


def test_a_copy_takes_the_template_rto_and_the_file_changes_it(sandbox, tmp_path):
    template, copy = tmp_path / "template.yaml", tmp_path / "copy.yaml"
    template.write_text(TEMPLATE)

    async def scenario():
        async with client_for(sandbox) as client:
            assert (await apply_files(client, [template], tmp_path)).ok
            copy.write_text(COPY)
            plan, _ = await plan_files(client, [copy])
            rto = next(c for c in plan.changes() if c.kind == "rto")
            assert (rto.action.value, rto.from_template) == ("update", True)
            assert rto.before == {
                "rto": 14400,
                "rto_start_task": "Declare disaster",
                "rto_end_task": "Restore service",
            }
            assert 'runbook["Failover 2026"].task["Verify"]' in rto.depends_on
            result = await apply_files(client, [copy], tmp_path)
            assert result.ok, result.failed
            live = await read_runbook(client, "Failover 2026")
            assert _rto(live) == {
                "rto": 3600,
                "rto_start_task": "Declare disaster",
                "rto_end_task": "Verify",
            }
            assert (await plan_files(client, [copy]))[0].changes() == []

            # A copy whose file asks for the template's RTO has nothing to patch.
            fresh = COPY.replace("Failover 2026", "Failover 2027").replace(
                "1h, start: Declare disaster, end: Verify", "4h, start: begin, end: Restore service"
            )
            copy.write_text(fresh.replace("start: begin", "start: Declare disaster"))
            plan, _ = await plan_files(client, [copy])
            assert not [c for c in plan.changes() if c.kind == "rto"]
            assert (await apply_files(client, [copy], tmp_path)).ok
            live = await read_runbook(client, "Failover 2027")
            assert _rto(live)["rto_end_task"] == "Restore service"
            assert (await plan_files(client, [copy]))[0].changes() == []

    asyncio.run(scenario())
