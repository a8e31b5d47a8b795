"""The apply's event records (`apply --json`): a lost answer ends its change `uncertain`, the
re-read says what happened, and every change that starts ends."""

from __future__ import annotations

import asyncio
import io

from tests.apply.support import DATA, client_for, plan_files

from runform.core.events import JsonProgress, parse_event
from runform.providers.cutover.apply import ApplyStatus, Journal, apply_plan


def test_a_lost_answer_is_noted_uncertain_then_recovered(sandbox, tmp_path) -> None:
    async def scenario():
        async with client_for(sandbox) as client:
            plan, lookups = await plan_files(client, [DATA / "plain.yaml"])
            sandbox.faults.drop_next = 2  # the runbook's create is made, its answer lost
            stream = io.StringIO()
            with Journal(tmp_path) as journal:
                result = await apply_plan(
                    client, plan, lookups, journal=journal, progress=JsonProgress(stream)
                )
            lines = stream.getvalue().splitlines()
            return plan, result, [parse_event(line) for line in lines]

    plan, result, events = asyncio.run(scenario())
    assert result.status is ApplyStatus.COMPLETE and result.recoveries >= 1
    open_changes: set[str] = set()
    for event in events:  # every change that starts ends, once, before it starts again
        if event.type == "change_start":
            assert event.address not in open_changes
            open_changes.add(event.address)
        elif event.type == "change_end":
            open_changes.remove(event.address)
    assert open_changes == set()
    ends = [e for e in events if e.type == "change_end"]
    uncertain = [e for e in ends if e.outcome == "uncertain"]
    assert uncertain and all(e.message for e in uncertain)
    notes = [e for e in events if e.type == "note"]
    assert {n.kind for n in notes} >= {"uncertain", "recovered"}
    recovered = {n.address for n in notes if n.kind == "recovered"}
    assert recovered <= {e.address for e in uncertain}
    # Each change ends done once or is recovered by the re-read: none twice, none lost.
    done = [e.address for e in ends if e.outcome == "done"]
    assert len(done) == len(set(done)) and not set(done) & recovered
    assert set(done) | recovered == {c.address for c in plan.changes()}
