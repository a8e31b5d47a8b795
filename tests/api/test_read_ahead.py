"""The client's reading ahead: early GETs answer the same GETs asked later, once each, their
failures included, and the record of reads survives anything a file can hold."""

from __future__ import annotations

import asyncio
import json

from hypothesis import given
from hypothesis import strategies as st

from runform.core.http.read_ahead import MAX_READS, ReadRecord, read_key
from runform.core.sandbox_kit.transport import InProcessTransport
from runform.providers.cutover.api import CutoverClient, NotFound


def _client(sandbox) -> CutoverClient:
    return CutoverClient(sandbox.base_url, sandbox.token, InProcessTransport(app=sandbox.app))


def test_a_read_ahead_answers_the_same_get_once(sandbox):
    async def scenario():
        async with _client(sandbox) as api:  # the last run: its reads are recorded
            recording = api.read_ahead_from([])
            await api.list("/core/workspaces")
        async with _client(sandbox) as api:
            ahead = api.read_ahead_from([*recording.recorded, "/core/teams"])
            first = await api.list("/core/workspaces")
            again = await api.list("/core/workspaces")  # taken already: read again
            await ahead.discard()
            return api.stats, ahead, first, again, recording

    stats, ahead, first, again, recording = asyncio.run(scenario())
    assert [r.id for r in first] == [r.id for r in again] and first
    assert recording.recorded and recording.recorded[0].startswith("/core/workspaces")
    assert stats.count("GET", "/core/workspaces") == 2  # one early (used), one asked again
    assert stats.count("GET", "/core/teams") <= 1  # started; never asked for
    assert (ahead.started, ahead.used) == (len(recording.recorded) + 1, len(recording.recorded))
    assert ahead.recorded == recording.recorded  # the same reads, recorded for the next run


def test_a_failed_read_ahead_is_the_failure_of_the_get_asked_later(sandbox):
    async def scenario():
        async with _client(sandbox) as api:
            api.read_ahead_from(["/core/runbooks/424242"])
            try:
                await api.get("/core/runbooks/424242")
            except NotFound as err:
                return api.stats, err
            raise AssertionError("a missing runbook was found")

    stats, err = asyncio.run(scenario())
    assert err.status == 404
    assert stats.count("GET", "/core/runbooks/424242") == 1  # not sent a second time


def test_reads_ahead_nobody_asks_for_are_stopped_without_a_complaint(sandbox, capfd):
    async def scenario():
        async with _client(sandbox) as api:
            ahead = api.read_ahead_from([f"/core/runbooks/{9000 + n}" for n in range(30)])
            await asyncio.sleep(0.05)
            await ahead.discard()
            return ahead

    ahead = asyncio.run(scenario())
    assert ahead.used == 0 and ahead.started == 30
    assert "exception" not in capfd.readouterr().err.lower()


def test_a_stale_record_holds_at_most_its_window(sandbox):
    async def scenario():
        async with _client(sandbox) as api:
            ahead = api.read_ahead_from([f"/core/runbooks/{7000 + n}" for n in range(40)], 5)
            await asyncio.sleep(0.2)  # long enough for every one to have been read
            await ahead.discard()
            return api.stats, ahead

    stats, ahead = asyncio.run(scenario())
    assert ahead.started == 5 and ahead.used == 0
    assert stats.total_requests <= 5  # the other 35 were never sent


def test_a_window_smaller_than_the_record_still_answers_every_read(sandbox):
    lists = ["/core/workspaces", "/core/teams", "/core/users", "/core/task_types"]

    async def scenario():
        async with _client(sandbox) as api:  # the last run: its reads are recorded
            recording = api.read_ahead_from([])
            for path in lists:
                await api.list(path)
        async with _client(sandbox) as api:
            ahead = api.read_ahead_from(recording.recorded, 2)
            for path in lists:
                await api.list(path)
            await ahead.discard()
            return api.stats, ahead, recording

    stats, ahead, recording = asyncio.run(scenario())
    assert len(recording.recorded) == len(lists)
    assert (ahead.started, ahead.used) == (4, 4)
    assert stats.total_requests == 4  # each read once: early, then taken


def test_the_key_is_the_path_and_query_the_request_is_sent_with():
    assert read_key("/core/runbooks", None) == "/core/runbooks"
    assert (
        read_key("/core/tasks", {"forecast": True, "a b": "c"}) == "/core/tasks?forecast=true&a+b=c"
    )
    assert read_key("/core/tasks?page[number]=2", None) == "/core/tasks?page[number]=2"
    assert read_key("/core/tasks?x=1", {"y": 2}) is None


def test_a_record_round_trips_and_keeps_at_most_its_limit(tmp_path):
    record = ReadRecord(tmp_path / "reads", "one")
    assert record.load() == []  # no file yet
    record.save(["/core/teams", "/core/users?page[size]=100"])
    assert record.load() == ["/core/teams", "/core/users?page[size]=100"]
    record.save([f"/core/runbooks/{n}" for n in range(MAX_READS + 5)])
    assert len(record.load()) == MAX_READS
    assert [p.name for p in (tmp_path / "reads").iterdir()] == ["one.json"]  # no scratch left


def test_a_record_in_a_read_only_place_is_skipped(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    ReadRecord(blocker / "reads", "one").save(["/core/teams"])  # its folder cannot be made
    assert ReadRecord(blocker / "reads", "one").load() == []


@given(st.binary(max_size=300))
def test_any_bytes_in_a_record_load_as_paths_or_nothing(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("record")
    (folder / "reads.json").write_bytes(data)
    reads = ReadRecord(folder, "reads").load()
    assert all(isinstance(r, str) and r.startswith("/") for r in reads)


@given(st.lists(st.one_of(st.text(max_size=20), st.integers(), st.none()), max_size=8))
def test_a_record_of_the_wrong_shape_loads_only_its_paths(tmp_path_factory, reads):
    folder = tmp_path_factory.mktemp("record")
    (folder / "reads.json").write_text(json.dumps({"reads": reads}))
    loaded = ReadRecord(folder, "reads").load()
    if all(isinstance(r, str) for r in reads):
        assert loaded == [r for r in reads if r.startswith("/")]
    else:
        assert loaded == []  # anything not a string: the record is not ours
