"""A task linking a template: sent as `task_links`, read back through the copy's source."""

from __future__ import annotations

import asyncio

import pytest
from tests.apply.support import apply_files, client_for, plan_files, read_runbook
from tests.export.support import export_to

from runform.errors import ResolveError

TEMPLATE = """\
runbook:
  name: Database failover
  workspace: default
  is_template: true
tasks:
  - name: Promote replica
  - name: Repoint applications
    after: [Promote replica]
"""

OTHER = TEMPLATE.replace("Database failover", "Cache failover")

RELEASE = """\
runbook:
  name: Payments release
  workspace: default
tasks:
  - name: Prepare
  - name: Database failover
    type: linked
    links: [{template: Database failover}]
    after: [Prepare]
"""


def test_a_link_is_created_and_converges(sandbox, tmp_path):
    template, other, release = (tmp_path / n for n in ("t.yaml", "o.yaml", "r.yaml"))
    template.write_text(TEMPLATE)
    other.write_text(OTHER)
    release.write_text(RELEASE)

    async def scenario():
        async with client_for(sandbox) as client:
            result = await apply_files(client, [template, other], tmp_path)
            assert result.ok, result.failed
            source = await read_runbook(client, "Database failover")
            plan, _ = await plan_files(client, [release])
            changes = {c.address: c for c in plan.changes()}
            task = changes['runbook["Payments release"].task["Database failover"]']
            assert task.action.value == "create"
            assert task.after["links"] == [{"template": "Database failover", "id": source.id}]
            result = await apply_files(client, [release], tmp_path)
            assert result.ok, result.failed
            live = await read_runbook(client, "Payments release")
            linked = next(t for t in live.tasks if t.state.name == "Database failover")
            # Cutover links a fresh copy; read back, the link is the template it came from.
            assert [link.id for link in linked.state.links or ()] == [source.id]
            again, _ = await plan_files(client, [release])
            assert again.changes() == []
            # The copy bears the template's name in its workspace; the template's file still
            # finds its template.
            again, _ = await plan_files(client, [template, other, release])
            assert again.changes() == []
            # Exported, the task names its type and the template it links.
            await export_to(client, tmp_path / "out", runbooks=["Payments release"])
            (exported,) = (tmp_path / "out").rglob("*.yaml")
            text = exported.read_text()
            assert "type: Linked runbook" in text
            assert "links: [template: Database failover]" in text
            again, _ = await plan_files(client, [exported])
            assert again.changes() == []

            # Linking another template: an update of the links (and the name it takes).
            release.write_text(
                RELEASE.replace("Database failover", "Cache failover").replace(
                    "type: linked\n", "type: linked\n    renamed_from: Database failover\n"
                )
            )
            plan, _ = await plan_files(client, [release])
            (change,) = plan.changes()
            assert change.action.value == "update"
            assert {f.field for f in change.fields} == {"name", "links"}
            result = await apply_files(client, [release], tmp_path)
            assert result.ok, result.failed
            again, _ = await plan_files(client, [release])
            assert again.changes() == []

    asyncio.run(scenario())


def test_a_link_needs_the_linked_task_type_and_a_known_template(sandbox, tmp_path):
    template, release = tmp_path / "t.yaml", tmp_path / "r.yaml"
    template.write_text(TEMPLATE)

    async def scenario():
        async with client_for(sandbox) as client:
            assert (await apply_files(client, [template], tmp_path)).ok
            release.write_text(RELEASE.replace("type: linked", "type: normal"))
            with pytest.raises(ResolveError, match='task type with key "linked"'):
                await plan_files(client, [release])
            release.write_text(RELEASE.replace("Database failover", "Databse failover"))
            with pytest.raises(ResolveError, match='unknown template "Databse failover"'):
                await plan_files(client, [release])

    asyncio.run(scenario())
