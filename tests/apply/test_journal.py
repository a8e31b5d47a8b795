"""The journal: one durable JSON line per completed call, and the last-apply summary."""

from __future__ import annotations

import json

from runform.core.journal import Journal


def test_entries_are_on_disk_as_soon_as_recorded(tmp_path):
    journal = Journal(tmp_path / ".runform").open()
    journal.record(
        address='runbook["R"]', action="create", id="7", method="POST", path="/core/runbooks"
    )
    # Readable before close: a killed process still leaves its completed calls behind.
    lines = journal.path.read_text().splitlines()
    assert json.loads(lines[0])["id"] == "7"
    assert journal.path.parent == tmp_path / ".runform" / "journal"
    assert journal.path.suffix == ".jsonl"
    journal.record(address='runbook["R"].task["T"]', action="create", id="8")
    journal.close()
    entries = [json.loads(line) for line in journal.path.read_text().splitlines()]
    assert [e["id"] for e in entries] == ["7", "8"]
    assert all(e["time"].endswith("Z") for e in entries)


def test_summary_replaces_the_previous_one(tmp_path):
    journal = Journal(tmp_path)
    journal.write_summary({"status": "failed"})
    path = journal.write_summary({"status": "complete"})
    assert json.loads(path.read_text()) == {"status": "complete"}
    assert path.name == "last-apply.json"
    assert not list(tmp_path.glob("*.tmp"))
