from __future__ import annotations

from runform.core.http.stats import path_template
from runform.providers.cutover.api import ApiStats


def test_ids_become_placeholders():
    assert path_template("/core/runbooks/12/tasks/345?page[number]=2") == (
        "/core/runbooks/{id}/tasks/{id}"
    )
    assert path_template("/core/workspaces/payments/folders") == "/core/workspaces/payments/folders"
    assert path_template("/x/123e4567-e89b-12d3-a456-426614174000") == "/x/{id}"


def test_counts_and_summary():
    stats = ApiStats()
    stats.record("get", "/core/runbooks/1", 200)
    stats.record("GET", "/core/runbooks/2", 429)
    stats.record("POST", "/core/runbooks", None)
    assert stats.count("GET", "/core/runbooks/{id}") == 2
    assert stats.count("GET", "/core/runbooks/99") == 2
    assert stats.throttled == 1
    assert stats.total_requests == 3
    lines = stats.summary_lines()
    assert lines[0].split() == ["2", "GET", "/core/runbooks/{id}"]
    assert lines[-1].startswith("3 requests, 1 throttled")
