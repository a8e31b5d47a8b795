"""Applying plans against the sandbox: order, template copies, convergence, the journal."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from tests.apply.support import (
    DATA,
    apply_files,
    client_for,
    comparable,
    plan_files,
    read_runbook,
)

from runform.core.sandbox_kit.transport import InProcessTransport
from runform.providers.cutover.apply import ApplyStatus, Journal, apply_plan, make_applier
from runform.providers.cutover.sandbox import SANDBOX_TOKEN

ROOT = Path(__file__).resolve().parents[2]
# Runbook examples (examples/cycloid is the Cycloid provider's: tests/cycloid applies it).
EXAMPLES = sorted(
    p
    for p in (ROOT / "examples").rglob("*.y*ml")
    if p.name != "runform.yaml" and "cycloid" not in p.relative_to(ROOT / "examples").parts
)
FILES = [*EXAMPLES, DATA / "plain.yaml", DATA / "template.yaml"]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_each_example_applies_and_then_plans_no_changes(sandbox, tmp_path, path):
    async def scenario():
        async with client_for(sandbox) as client:
            result = await apply_files(client, [path], tmp_path)
            assert result.ok, result.failed
            assert result.counts()["created"] > 0
            again, _ = await plan_files(client, [path])
            assert [c.address for c in again.changes()] == []

    asyncio.run(scenario())


def test_a_template_runbook_is_one_copy_plus_patches(sandbox, tmp_path):
    async def scenario():
        async with client_for(sandbox) as client:
            plan, _ = await plan_files(client, [DATA / "template.yaml"])
            before = client.stats.requests.copy()
            result = await apply_files(client, [DATA / "template.yaml"], tmp_path)
            assert result.ok, result.failed
            writes = {
                key: n - before.get(key, 0)
                for key, n in client.stats.requests.items()
                if key[0] != "GET" and n - before.get(key, 0)
            }
            assert writes == {
                ("POST", "/core/runbooks"): 1,  # the copy brings 4 streams and 12 tasks
                ("POST", "/core/runbooks/{id}/streams"): 1,  # Rollback
                ("POST", "/core/runbooks/{id}/tasks"): 1,  # Prepare rollback
                ("PATCH", "/core/runbooks/{id}/tasks/{id}"): 2,  # duration, predecessors
                ("DELETE", "/core/runbooks/{id}/tasks/{id}"): 1,  # Smoke test (absent)
            }
            live = await read_runbook(client, "Payments release 2026.12")
            tasks = {t.state.name: t.state for t in live.tasks}
            assert "Smoke test" not in tasks and len(tasks) == 12
            assert tasks["Deploy application"].duration == 45 * 60
            assert set(tasks["Business verification"].predecessors) == {
                "Check monitoring dashboards",
                "Prepare rollback",
            }
            assert [str(a) for a in tasks["Prepare rollback"].assignees] == [
                "team:Release managers"
            ]
            assert all(
                t.source_runbook_id for t in live.tasks if t.state.name != "Prepare rollback"
            )
            assert plan.counts()["create"] == result.counts()["created"]

    asyncio.run(scenario())


def test_parallelism_one_gives_the_same_runbooks(tmp_path):
    from runform.providers.cutover.sandbox import create_app

    async def applied(parallelism: int):

        app = create_app(":memory:")

        class Handle:
            base_url = "http://sandbox.local"
            token = SANDBOX_TOKEN
            transport = InProcessTransport(app=app)

        async with client_for(Handle) as client:
            for path in (DATA / "plain.yaml", DATA / "template.yaml"):
                result = await apply_files(client, [path], tmp_path, parallelism=parallelism)
                assert result.ok, result.failed
            return [
                comparable(await read_runbook(client, "Ledger migration", "payments")),
                comparable(await read_runbook(client, "Payments release 2026.12")),
            ]

    assert asyncio.run(applied(1)) == asyncio.run(applied(10))


def test_the_journal_lists_every_write_and_never_the_token(sandbox, tmp_path):
    async def scenario():
        async with client_for(sandbox) as client:
            before = client.stats.total_requests
            result = await apply_files(client, [DATA / "plain.yaml"], tmp_path)
            writes = sum(n for (method, _), n in client.stats.requests.items() if method != "GET")
            return result, writes, client.stats.total_requests - before

    result, writes, requests = asyncio.run(scenario())
    journals = list((tmp_path / "journal").glob("*.jsonl"))
    assert len(journals) == 1
    text = journals[0].read_text()
    entries = [json.loads(line) for line in text.splitlines()]
    assert len(entries) == writes == 8
    assert {e["method"] for e in entries} == {"POST"}
    assert all(e["id"] and e["address"].startswith('runbook["Ledger migration"]') for e in entries)
    summary = json.loads((tmp_path / "last-apply.json").read_text())
    assert summary["status"] == "complete"
    assert summary["counts"] == {"created": 8, "updated": 0, "deleted": 0}
    assert summary["journal"] == str(journals[0])
    assert SANDBOX_TOKEN not in text and SANDBOX_TOKEN not in json.dumps(summary)
    # The apply itself read only its new runbook's workspace: just before the create (a
    # runbook made since the plan is adopted) and just after it (a racing create).
    assert result.requests == writes + 2 < requests
    assert result.summary_line().startswith("Apply complete: 8 created, 0 updated, 0 deleted.")


def test_updates_and_deletes_converge(sandbox, tmp_path):
    first = tmp_path / "first.yaml"
    first.write_text((DATA / "plain.yaml").read_text())
    changed = tmp_path / "changed.yaml"
    text = (DATA / "plain.yaml").read_text()
    text = text.replace("duration: 45m", "duration: 50m").replace(
        "  - name: Verify balances\n    stream: Database\n    type: milestone\n"
        "    after: [migrate, freeze]\n",
        "",
    )
    text = text.replace("name: Announce change freeze", "name: Announce the change freeze")
    text = text.replace(
        "  - key: freeze\n", "  - key: freeze\n    renamed_from: Announce change freeze\n"
    )
    changed.write_text(text)

    async def scenario():
        async with client_for(sandbox) as client:
            assert (await apply_files(client, [first], tmp_path)).ok
            result = await apply_files(client, [changed], tmp_path, allow_deletes=True)
            assert result.ok, result.failed
            assert result.counts() == {"created": 0, "updated": 2, "deleted": 1}
            again, _ = await plan_files(client, [changed])
            assert again.changes() == []
            live = await read_runbook(client, "Ledger migration", "payments")
            tasks = {t.state.name: t.state for t in live.tasks}
            assert "Verify balances" not in tasks
            assert tasks["Back up ledger database"].duration == 50 * 60
            assert "Announce the change freeze" in tasks and "Announce change freeze" not in tasks

    asyncio.run(scenario())


def test_a_refused_call_stops_new_work_and_reports_exactly(sandbox, tmp_path):
    base = tmp_path / "base.yaml"
    base.write_text(
        (DATA / "plain.yaml").read_text().replace("\nstreams:\n", "\nstreams:\n  - name: Spare\n")
    )
    extra = tmp_path / "more.yaml"
    extra.write_text(
        base.read_text()
        + "  - key: step1\n    name: Step one\n    stream: Spare\n"
        + "  - name: Step two\n    stream: Spare\n    after: [step1]\n"
    )

    async def scenario():
        async with client_for(sandbox) as client:
            assert (await apply_files(client, [base], tmp_path)).ok
            plan, lookups = await plan_files(client, [extra])
            live = await read_runbook(client, "Ledger migration", "payments")
            stream_id = next(s.id for s in live.streams if s.state.name == "Spare")
            # The stream vanishes between plan and apply: the create of "Step one" is refused.
            await client.delete(f"/core/runbooks/{live.id}/streams/{stream_id}")
            journal = Journal(tmp_path / "second").open()
            result = await apply_plan(client, plan, lookups, journal=journal)
            journal.close()
            return result

    result = asyncio.run(scenario())
    assert result.status is ApplyStatus.FAILED
    assert [f.address for f in result.failed] == ['runbook["Ledger migration"].task["Step one"]']
    assert "Step one" in result.failed[0].message
    assert result.not_attempted == ['runbook["Ledger migration"].task["Step two"]']
    assert result.done == []
    assert "failed" in result.summary_line() and "2 changes not made" in result.summary_line()
    summary = json.loads((tmp_path / "second" / "last-apply.json").read_text())
    assert summary["status"] == "failed" and summary["not_attempted"] == result.not_attempted


class _InterruptAfter:
    """A progress listener that interrupts the apply after `count` completed changes."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.applier = None
        self.seen = 0

    def start(self, runbook, total): ...
    def retotal(self, runbook, total): ...
    def note(self, message): ...
    def close(self): ...

    def advance(self, runbook, address, action, object_id):
        self.seen += 1
        if self.seen == self.count:
            self.applier.interrupt()


def test_an_interrupt_finishes_calls_in_flight_and_a_rerun_converges(sandbox, tmp_path):
    async def scenario():
        async with client_for(sandbox) as client:
            plan, lookups = await plan_files(client, [DATA / "plain.yaml"])
            listener = _InterruptAfter(3)
            journal = Journal(tmp_path).open()
            applier = make_applier(
                client, plan, lookups, parallelism=2, journal=journal, progress=listener
            )
            listener.applier = applier
            result = await applier.run()
            journal.close()
            rerun = await apply_files(client, [DATA / "plain.yaml"], tmp_path)
            return result, rerun, journal

    result, rerun, journal = asyncio.run(scenario())
    assert result.status is ApplyStatus.INTERRUPTED
    assert 3 <= len(result.done) <= 4  # the one call still in flight finished
    assert len(result.done) + len(result.not_attempted) == 8
    lines = journal.path.read_text().splitlines()
    assert len(lines) == len(result.done)
    assert rerun.ok and rerun.counts()["created"] == len(result.not_attempted)
