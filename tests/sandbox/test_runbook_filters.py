"""The runbook list's filters the reference names, and nothing it does not."""

from __future__ import annotations

import pytest

from .support import all_pages, create_runbook, errors_of

pytestmark = pytest.mark.anyio


async def test_runbook_id_narrows_the_list(sandbox):
    # The reference, 3.1 GET /core/runbooks, lists a `runbook_id` query parameter.
    async with sandbox.client() as client:
        a = await create_runbook(client, "Alpha")
        b = await create_runbook(client, "Beta")
        one = await all_pages(client, "/core/runbooks", {"runbook_id": a["id"]})
        both = await all_pages(client, "/core/runbooks", {"runbook_id": f"{a['id']},{b['id']}"})
        none = await all_pages(client, "/core/runbooks", {"runbook_id": "x"})
    assert [r["id"] for r in one] == [a["id"]]
    assert [r["id"] for r in both] == [a["id"], b["id"]]
    assert none == []


async def test_an_unknown_parameter_is_refused_not_ignored(sandbox):
    # Round 2, Task reads: an unknown filter must never silently widen a result; the same
    # holds for runbooks (a misspelt `folder` would otherwise list the whole tenant).
    async with sandbox.client() as client:
        misspelt = await client.get("/core/runbooks", params={"folder": "5"})
        known = await client.get(
            "/core/runbooks",
            params={"workspace_id": "1", "archived": "false", "page[size]": "2"},
        )
    assert misspelt.status_code == 400
    assert errors_of(misspelt) == [("invalid", "folder")]
    assert known.status_code == 200
