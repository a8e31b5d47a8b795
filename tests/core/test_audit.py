"""The audit trail's reader: entry types (old lines too), time windows, filters, order."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from runform.core.audit import Query, parse_moment, read_trail
from runform.core.journal import ENTRY_TYPES, Journal, entry_type

TASK = 'runbook["R"].task["T"]'


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ({"address": TASK, "action": "create", "method": "POST"}, "create"),
        ({"address": TASK, "action": "copy"}, "create"),
        ({"address": TASK, "action": "update"}, "update"),
        ({"address": TASK, "action": "delete"}, "delete"),
        ({"address": 'runbook["R"]', "action": "delete"}, "archive"),  # Cutover archives roots
        ({"event": "confirmed", "address": TASK, "action": "create"}, "create"),
        ({"event": "failed", "address": TASK, "action": "update"}, "error"),
        ({"event": "uncertain", "address": TASK, "action": "create"}, "info"),
        ({"event": "policy_override", "rule": "no-friday-deploys"}, "info"),
        ({"event": "policy_override", "type": "bogus"}, "info"),  # an unknown type is not kept
        ({"type": "delete", "address": 'runbook["R"]', "action": "delete"}, "delete"),
        ({}, "info"),
    ],
)
def test_entry_types_of_old_and_new_lines(entry, expected):
    assert entry_type(entry) == expected


def test_a_recorded_entry_is_typed_and_carries_the_context(tmp_path):
    context = {"actor": {"login": "ann"}, "reason": "why", "commit": "abc"}
    with Journal(tmp_path, context) as journal:
        journal.record(event="policy_override", rule="freeze")
        journal.record(address=TASK, action="update", reason="its own")
    lines = [json.loads(line) for line in journal.path.read_text().splitlines()]
    assert [line["type"] for line in lines] == ["info", "update"]
    assert lines[0]["actor"] == {"login": "ann"} and lines[0]["commit"] == "abc"
    assert lines[1]["reason"] == "its own"  # an entry's own value wins over the context


NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-01", datetime(2026, 12, 1, tzinfo=UTC)),
        ("2026-12-01T14:30", datetime(2026, 12, 1, 14, 30, tzinfo=UTC)),
        ("2026-12-01T14:30:00Z", datetime(2026, 12, 1, 14, 30, tzinfo=UTC)),
        ("2026-12-01T14:30:00+01:00", datetime(2026, 12, 1, 13, 30, tzinfo=UTC)),
        ("2h", NOW - timedelta(hours=2)),
        ("7d", NOW - timedelta(days=7)),
        ("90s", NOW - timedelta(seconds=90)),
        ("2w", NOW - timedelta(weeks=2)),
    ],
)
def test_moments(text, expected):
    assert parse_moment(text, NOW) == expected


@pytest.mark.parametrize(
    "text", ["", "yesterday", "2h30", "-2h", "2026-13-01", "7 d", "0001-01-01T00:00+01:00"]
)
def test_bad_moments_say_what_is_allowed(text):
    with pytest.raises(ValueError, match="ISO date or time"):
        parse_moment(text, NOW)


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from("smhdw"))
def test_a_duration_is_that_long_before_now(amount, unit):
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}[unit]
    try:
        expected = NOW - timedelta(seconds=amount * seconds)
    except OverflowError:
        with pytest.raises(ValueError, match="before the year 1"):
            parse_moment(f"{amount}{unit}", NOW)
        return
    assert parse_moment(f"{amount}{unit}", NOW) == expected


@given(st.datetimes(timezones=st.just(UTC)))
def test_an_iso_time_reads_back(moment):
    assert parse_moment(moment.isoformat(), NOW) == moment


def _journal(directory, name, lines):
    (directory / "journal").mkdir(parents=True, exist_ok=True)
    text = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines)
    (directory / "journal" / name).write_text(text + "\n")


def test_all_journals_oldest_first_filtered_and_limited(tmp_path):
    _journal(
        tmp_path,
        "20261202T100000.000000Z.jsonl",
        [
            {"time": "2026-12-02T10:00:00.000Z", "address": TASK, "action": "create"},
            {"time": "2026-12-02T10:00:01.000Z", "address": 'runbook["S"]', "action": "update"},
            '{"time": "2026-12-02T10:00:02.000Z", "addr',  # cut short by a killed process
        ],
    )
    _journal(
        tmp_path,
        "20261201T090000.000000Z.jsonl",
        [
            {"time": "2026-12-01T09:00:00.000Z", "address": TASK, "action": "delete"},
            {"time": "2026-12-01T09:00:01.000Z", "event": "policy_override"},
        ],
    )
    everything = read_trail(tmp_path)
    assert everything.unreadable == 1
    assert [e["time"][:19] for e in everything.entries] == [
        "2026-12-01T09:00:00",
        "2026-12-01T09:00:01",
        "2026-12-02T10:00:00",
        "2026-12-02T10:00:01",
    ]
    assert [e["type"] for e in everything.entries] == ["delete", "info", "create", "update"]

    def chosen(**query):
        return [e["type"] for e in read_trail(tmp_path, Query(**query)).entries]

    assert chosen(since=parse_moment("2026-12-02")) == ["create", "update"]
    assert chosen(until=parse_moment("2026-12-01T09:00:00.5Z")) == ["delete"]
    assert chosen(types=("delete", "info")) == ["delete", "info"]
    assert chosen(addresses=('runbook["R"]',)) == ["delete", "create"]  # a root covers its tasks
    assert chosen(addresses=('*.task["T"]',)) == ["delete", "create"]
    assert chosen(limit=2) == ["create", "update"]  # the most recent, still oldest first
    with pytest.raises(ValueError, match="--type nope: one of create, update"):
        Query(types=("nope",))


def test_no_journal_directory_is_an_empty_trail(tmp_path):
    trail = read_trail(tmp_path / "nowhere")
    assert trail.entries == [] and trail.unreadable == 0


@given(st.sampled_from(ENTRY_TYPES))
def test_a_written_type_is_read_as_written(kind):
    assert entry_type({"type": kind, "event": "failed"}) == kind
