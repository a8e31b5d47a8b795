"""Task pages decoded straight from the body (`live.task_rows`): null members read as absent,
and an answer runform cannot read is a clear UnexpectedResponse, never a traceback."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from tests.api.support import Recorder

from runform.core.sandbox_kit.transport import InProcessTransport
from runform.providers.cutover.api import CutoverClient
from runform.providers.cutover.api.errors import UnexpectedResponse
from runform.providers.cutover.live.fetch import fetch_runbook
from runform.providers.cutover.live.lookups import Lookups

pytestmark = pytest.mark.anyio

Body = Callable[[bytes], bytes]


def tasks_json(change: Callable[[list[dict[str, Any]]], None]) -> Body:
    def rewrite(body: bytes) -> bytes:
        document = json.loads(body)
        change(document["data"])
        return json.dumps(document).encode()

    return rewrite


async def read_template(sandbox: Any, rewrite: Body | None = None, forecast: bool = False):
    def task_lists(path: str, body: bytes) -> bytes:
        return rewrite(body) if rewrite is not None and path.endswith("/tasks") else body

    app = Recorder(sandbox.app, rewrite=task_lists)
    async with CutoverClient(sandbox.base_url, sandbox.token, InProcessTransport(app=app)) as api:
        lookups = await Lookups.fetch(api)
        runbooks = await api.list("/core/runbooks", {"is_template": "true"})
        template = next(r for r in runbooks if r.attributes["name"] == "Standard release")
        return await fetch_runbook(api, lookups, template.id, forecast=forecast)


@pytest.mark.parametrize("forecast", [False, True])
async def test_null_members_read_as_absent(sandbox, forecast):
    plain = await read_template(sandbox, forecast=forecast)

    def nulls(rows: list[dict[str, Any]]) -> None:
        rows[0]["relationships"]["stream"] = None  # a null relationship object
        rows[1]["relationships"]["assignees"] = {"data": None}
        rows[2]["attributes"]["task_links"] = None
        rows[3]["relationships"] = None
        rows[3]["attributes"]["predecessor_ids"] = None

    changed = await read_template(sandbox, tasks_json(nulls), forecast=forecast)
    before = {t.id: t.state for t in plain.tasks}
    after = {t.id: t.state for t in changed.tasks}
    assert set(before) == set(after) and len(after) == 12
    ids = [t.id for t in plain.tasks]
    assert before[ids[0]].stream is not None and after[ids[0]].stream is None
    assert after[ids[1]].assignees == ()
    assert after[ids[3]].predecessors == () and after[ids[3]].type is None
    assert after[ids[3]].name == before[ids[3]].name
    assert [after[i] for i in ids[4:]] == [before[i] for i in ids[4:]]


async def test_numeric_ids_read_as_text(sandbox):
    def numbers(rows: list[dict[str, Any]]) -> None:
        for row in rows:
            row["id"] = int(row["id"])
            for ref in row["relationships"]["predecessors"]["data"]:
                ref["id"] = int(ref["id"])

    plain = await read_template(sandbox)
    changed = await read_template(sandbox, tasks_json(numbers))
    assert [t.state for t in changed.tasks] == [t.state for t in plain.tasks]
    assert all(isinstance(t.id, str) for t in changed.tasks)


async def test_a_body_that_is_not_json_is_named(sandbox):
    with pytest.raises(UnexpectedResponse, match="the response is not JSON"):
        await read_template(sandbox, lambda body: body[: len(body) // 2])


async def test_a_wrong_shape_names_the_field(sandbox):
    def bad_linkage(rows: list[dict[str, Any]]) -> None:
        rows[2]["relationships"]["predecessors"] = {"data": "task 7"}

    with pytest.raises(UnexpectedResponse) as caught:
        await read_template(sandbox, tasks_json(bad_linkage))
    assert "data.2.relationships.predecessors" in str(caught.value)
    assert "task 7" not in str(caught.value)  # the message names the field, not the value


async def test_an_unreadable_value_is_checked_by_the_task_shape(sandbox):
    def bad_duration(rows: list[dict[str, Any]]) -> None:
        rows[4]["attributes"]["duration"] = {"minutes": 30}

    with pytest.raises(UnexpectedResponse, match="runbook data runform cannot read"):
        await read_template(sandbox, tasks_json(bad_duration))


@pytest.mark.parametrize(
    "link", ["http://[::1/core/tasks?page[number]=2", "/core/tasks?page[number]=2&\x1b[2K=1"]
)
async def test_a_bad_next_link_on_a_task_page_is_named(sandbox, link):
    def broken(body: bytes) -> bytes:
        document = json.loads(body)
        document["links"] = {"next": link}
        return json.dumps(document).encode()

    with pytest.raises(UnexpectedResponse, match=r"links\.next is not a valid URL") as caught:
        await read_template(sandbox, broken)
    assert "\x1b" not in str(caught.value)
