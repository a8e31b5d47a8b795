"""A runbook made since the plan is adopted, not made twice; two creates that overlap are
settled by the lowest id, the loser archiving its own copy."""

from __future__ import annotations

import asyncio
import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.apply.support import (
    DATA,
    FAST_RETRY,
    apply_files,
    client_for,
    live_task_names,
    plan_files,
)

from runform.core.events import JsonProgress, parse_event
from runform.core.progress import LogProgress
from runform.core.sandbox_kit.transport import InProcessTransport
from runform.providers.cutover.api import CutoverClient
from runform.providers.cutover.apply import ApplyStatus, Journal, apply_plan
from runform.providers.cutover.apply.race import first_made, id_order
from runform.providers.cutover.apply.replan import replanner
from runform.providers.cutover.definitions import load_definitions
from runform.providers.cutover.live.lookups import Lookups
from runform.providers.cutover.plan.options import PlanOptions

NAME = "Ledger migration"
PLAIN = DATA / "plain.yaml"


async def _same_name(client, name: str = NAME, archived: str = "false") -> list[str]:
    lookups = await Lookups.fetch(client)
    space = lookups.get("workspace", "payments").id
    rows = await client.list("/core/runbooks", {"workspace_id": space, "archived": archived})
    return sorted((str(r.id) for r in rows if r.attributes.get("name") == name), key=int)


def _journal(tmp_path) -> list[dict]:
    return [
        json.loads(line)
        for path in (tmp_path / "journal").glob("*.jsonl")
        for line in path.read_text().splitlines()
    ]


@pytest.mark.parametrize("with_replan", [False, True], ids=["saved-plan", "replan"])
def test_a_runbook_made_between_plan_and_apply_is_adopted(sandbox, tmp_path, with_replan):
    async def scenario():
        async with client_for(sandbox) as client:
            plan, lookups = await plan_files(client, [PLAIN])
            # Another clone's apply makes the runbook after this plan was made.
            other = await apply_files(client, [PLAIN], tmp_path / "other")
            assert other.status is ApplyStatus.COMPLETE
            replan = None
            if with_replan:
                replan = replanner(client, load_definitions([PLAIN]), PlanOptions(), lookups)
            stream = io.StringIO()
            progress = LogProgress(stream) if with_replan else JsonProgress(stream)
            with Journal(tmp_path) as journal:
                result = await apply_plan(
                    client, plan, lookups, journal=journal, progress=progress, replan=replan
                )
            ids = await _same_name(client)
            return result, stream.getvalue(), ids, await live_task_names(client, ids[0])

    result, output, ids, tasks = asyncio.run(scenario())
    assert result.status is ApplyStatus.COMPLETE
    assert len(ids) == 1  # adopted, not made a second time
    assert sorted(tasks) == sorted(set(tasks)) and len(tasks) == 4
    assert result.counts() == {"created": 0, "updated": 0, "deleted": 0}
    adopted = [o for o in result.done if o.address == f'runbook["{NAME}"]']
    assert [(o.action, o.id) for o in adopted] == [("adopt", ids[0])]
    said = f'adopted runbook "{NAME}" (id {ids[0]}) made since the plan'
    assert "uncertain" not in output
    events = [e.get("event") for e in _journal(tmp_path)]
    assert "adopted" in events and "uncertain" not in events
    assert {e["type"] for e in _journal(tmp_path) if e.get("event") == "adopted"} == {"info"}
    assert not any(e.get("method") == "POST" for e in _journal(tmp_path))
    if with_replan:
        assert said in output
    else:
        lines = [parse_event(line) for line in output.splitlines()]
        notes = [e for e in lines if e.type == "note"]
        assert notes[0].kind == "adopted" and notes[0].id == ids[0] and said in notes[0].message
        ends = [e for e in lines if e.type == "change_end"]
        assert [e.outcome for e in ends] == ["adopted"]


class _OtherCreate:
    """Another machine's create of the same runbook, landing just before ours (`first`) or
    just after it: the first POST /core/runbooks is sent twice, one answer discarded."""

    def __init__(self, app, *, first: bool) -> None:
        self.app = app
        self.first = first
        self.done = False

    async def __call__(self, scope, receive, send) -> None:
        wanted = scope["type"] == "http" and (scope["method"], scope["path"]) == (
            "POST",
            "/core/runbooks",
        )
        if not wanted or self.done:
            await self.app(scope, receive, send)
            return
        self.done = True
        body, more = b"", True
        while more:
            message = await receive()
            body, more = body + message.get("body", b""), message.get("more_body", False)

        async def replay():
            return {"type": "http.request", "body": body, "more_body": False}

        async def discard(message) -> None:
            pass

        for answer in (discard, send) if self.first else (send, discard):
            await self.app(dict(scope), replay, answer)


def _racing_client(sandbox, *, first: bool) -> CutoverClient:
    transport = InProcessTransport(app=_OtherCreate(sandbox.app, first=first))
    return CutoverClient(sandbox.base_url, sandbox.token, transport, retry=FAST_RETRY)


def test_the_later_create_loses_archives_its_copy_and_says_to_plan_again(sandbox, tmp_path):
    async def scenario():
        async with _racing_client(sandbox, first=True) as client:
            result = await apply_files(client, [PLAIN], tmp_path)
            live, archived = await _same_name(client), await _same_name(client, archived="true")
        async with client_for(sandbox) as client:
            again = await apply_files(client, [PLAIN], tmp_path / "again")
            after = await _same_name(client)
            return result, live, archived, again, after, await live_task_names(client, after[0])

    result, live, archived, again, after, tasks = asyncio.run(scenario())
    assert result.status is ApplyStatus.FAILED
    [winner], [ours] = live, archived
    assert int(winner) < int(ours)
    [failure] = result.failed
    assert failure.address == f'runbook["{NAME}"]'
    assert f"another apply made runbook id {winner}" in failure.message
    assert f"archived the one it had just made (id {ours})" in failure.message
    assert "Run `runform plan` again" in failure.message
    assert len(result.not_attempted) == 7 and not result.done
    writes = [(e["method"], e["path"], e["type"]) for e in _journal(tmp_path) if e.get("method")]
    assert writes == [
        ("POST", "/core/runbooks", "create"),
        ("DELETE", f"/core/runbooks/{ours}", "archive"),
    ]
    # Planning again finds the winner and fills it: one runbook, each task once.
    assert again.status is ApplyStatus.COMPLETE and after == [winner]
    assert sorted(tasks) == sorted(set(tasks)) and len(tasks) == 4


def test_the_first_create_wins_and_goes_on(sandbox, tmp_path):
    async def scenario():
        async with _racing_client(sandbox, first=False) as client:
            result = await apply_files(client, [PLAIN], tmp_path)
            return result, await _same_name(client)

    result, live = asyncio.run(scenario())
    assert result.status is ApplyStatus.COMPLETE
    ours = next(o.id for o in result.done if o.address == f'runbook["{NAME}"]')
    assert live == [ours, live[1]] and int(ours) < int(live[1])  # the other side archives its own


@given(st.lists(st.integers(min_value=0, max_value=10**12), min_size=1, unique=True), st.randoms())
def test_every_side_picks_the_same_winner_whatever_order_it_lists(numbers, rng):
    ids = [str(n) for n in numbers]
    shuffled = list(ids)
    rng.shuffle(shuffled)
    assert first_made(shuffled) == first_made(ids) == str(min(numbers))


@given(st.lists(st.text(min_size=1, max_size=8), min_size=1, unique=True), st.randoms())
def test_the_order_is_total_over_any_ids(ids, rng):
    shuffled = list(ids)
    rng.shuffle(shuffled)
    assert first_made(shuffled) == first_made(ids) in ids
    keys = {id_order(i) for i in ids}
    assert len(keys) == len(ids)  # no two ids tie


def test_numeric_ids_compare_by_value_before_other_ids() -> None:
    assert first_made(["10", "9"]) == "9"
    assert first_made(["abc", "12"]) == "12"


def test_a_stream_made_between_plan_and_apply_is_adopted_not_refused(sandbox, tmp_path):
    """Cutover answers `taken` for a second stream of one name: the apply re-reads the runbook
    and goes on with what is left, as after any write made since the plan."""

    async def scenario():
        async with client_for(sandbox) as client:
            first = await apply_files(client, [PLAIN], tmp_path / "first")
            assert first.status is ApplyStatus.COMPLETE
            [runbook_id] = await _same_name(client)
            extended = tmp_path / "extended.yaml"
            text = PLAIN.read_text().replace("streams:\n", "streams:\n  - name: Rollback\n", 1)
            extended.write_text(text)
            plan, lookups = await plan_files(client, [extended])
            # Another apply makes the new stream after this plan was made.
            await client.create(
                f"/core/runbooks/{runbook_id}/streams", "stream", {"name": "Rollback"}
            )
            replan = replanner(client, load_definitions([extended]), PlanOptions(), lookups)
            with Journal(tmp_path) as journal:
                result = await apply_plan(client, plan, lookups, journal=journal, replan=replan)
            streams = await client.list(f"/core/runbooks/{runbook_id}/streams")
            return result, [s.attributes["name"] for s in streams]

    result, streams = asyncio.run(scenario())
    assert result.status is ApplyStatus.COMPLETE, result.failed
    assert streams.count("Rollback") == 1
    assert result.counts()["created"] == 0
    assert any(e.get("event") == "adopted" for e in _journal(tmp_path))
