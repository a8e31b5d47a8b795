"""Who moved a field in Cutover and when: read from its action logs, shown in the plans, and
left out (no error) where Cutover has no action logs for this token."""

from __future__ import annotations

import asyncio
import io
import json

import pytest
from rich.console import Console
from starlette.types import Receive, Scope, Send
from tests.apply.support import apply_files, client_for, read_runbook

from runform.core.sandbox_kit.transport import InProcessTransport
from runform.providers.cutover.api import CutoverClient
from runform.providers.cutover.definitions import load_definitions
from runform.providers.cutover.engine import make_plan
from runform.render import render_markdown, render_text

RUNBOOK = """\
runbook:
  name: Cutover edits
  workspace: default
streams:
  - name: Main
tasks:
  - name: Freeze
    stream: Main
    duration: 10m
  - name: Migrate
    stream: Main
    duration: 10m
"""


def _plan(client, path):
    definitions = load_definitions([path])
    return make_plan(client, definitions, base=load_definitions([path]))


async def _edit_in_cutover(sandbox, client, *, author_email: str | None) -> str:
    """Change Migrate's duration the way a person would in Cutover; returns the log's time."""
    live = await read_runbook(client, "Cutover edits")
    task = next(t for t in live.tasks if t.state.name == "Migrate")
    await client.update(f"/core/runbooks/{live.id}/tasks/{task.id}", "task", {"duration": 900})
    if author_email is None:
        logs = await client.list("/core/action_logs", {"runbook_id": live.id})
        return str(logs[-1].attributes["created_at"])
    # The sandbox's token belongs to no user: the entry a person's edit makes is written as
    # Cutover would write it, with that person as its author.
    store = sandbox.app.state.store
    user = next(u for u in store.all("user") if u.get("email") == author_email)
    moment = store.now()
    with store.transaction():
        store.insert(
            "action_log",
            {
                "runbook_id": int(live.id),
                "workspace_id": None,
                "author_id": user["id"],
                "event": "updated",
                "description": "Task updated",
                "changes": {"duration": [600, 900]},
                "resource_type": "task",
                "resource_id": int(task.id),
                "context_type": "runbook",
                "context_id": int(live.id),
                "created_at": moment,
            },
        )
    return moment


def _text(plan) -> str:
    buffer = io.StringIO()
    render_text(plan, Console(file=buffer, width=200, color_system=None, force_terminal=False))
    return buffer.getvalue()


def test_a_cutover_change_says_who_made_it_and_when(sandbox, tmp_path):
    path = tmp_path / "edits.yaml"
    path.write_text(RUNBOOK)

    async def scenario():
        async with client_for(sandbox) as client:
            await apply_files(client, [path], tmp_path / ".runform")
            users = await client.list("/core/users")
            email = str(users[0].attributes["email"])
            moment = await _edit_in_cutover(sandbox, client, author_email=email)
            plan, _ = await _plan(client, path)
            return plan, email, moment

    plan, email, moment = asyncio.run(scenario())
    [change] = plan.changes()
    [field] = change.fields
    assert (field.field, field.source) == ("duration", "cutover")
    assert field.changed_by.startswith(email) and field.changed_at == moment
    day = moment[:10]
    text = _text(plan)
    assert f"Cutover changed duration (by {field.changed_by}, {day} " in text
    assert "UTC) since the base; the plan puts it back" in text
    assert f"duration (by {field.changed_by}, {day} " in render_markdown(plan)
    saved = json.loads(plan.model_dump_json())
    assert saved["roots"][0]["changes"][0]["fields"][0]["changed_by"] == field.changed_by


def test_an_entry_without_an_author_still_says_when(sandbox, tmp_path):
    path = tmp_path / "edits.yaml"
    path.write_text(RUNBOOK)

    async def scenario():
        async with client_for(sandbox) as client:
            await apply_files(client, [path], tmp_path / ".runform")
            moment = await _edit_in_cutover(sandbox, client, author_email=None)
            return (await _plan(client, path))[0], moment

    plan, moment = asyncio.run(scenario())
    [field] = plan.changes()[0].fields
    assert field.changed_by == "an unknown user" and field.changed_at == moment
    assert "Cutover changed duration (by an unknown user, " in _text(plan)


class _WithoutActionLogs:
    """Cutover as a tenant whose token may not read action logs: that endpoint answers
    `status`, everything else is the sandbox."""

    def __init__(self, app, status: int) -> None:
        self.app, self.status = app, status

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/core/action_logs"):
            body = json.dumps({"errors": [{"status": self.status, "title": "no"}]}).encode()
            headers = [(b"content-type", b"application/vnd.api+json")]
            await send({"type": "http.response.start", "status": self.status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)


@pytest.mark.parametrize("status", [403, 404, 405])
def test_no_action_logs_means_no_attribution_and_no_error(sandbox, tmp_path, status):
    path = tmp_path / "edits.yaml"
    path.write_text(RUNBOOK)
    transport = InProcessTransport(app=_WithoutActionLogs(sandbox.app, status))

    async def scenario():
        async with client_for(sandbox) as client:
            await apply_files(client, [path], tmp_path / ".runform")
            await _edit_in_cutover(sandbox, client, author_email=None)
        async with CutoverClient(sandbox.base_url, sandbox.token, transport) as limited:
            return (await _plan(limited, path))[0]

    plan = asyncio.run(scenario())
    [field] = plan.changes()[0].fields
    assert field.source == "cutover"
    assert field.changed_by is None and field.changed_at is None
    assert "Cutover changed duration since the base" in _text(plan)


def test_without_a_base_nothing_is_read_from_the_action_logs(sandbox, tmp_path):
    path = tmp_path / "edits.yaml"
    path.write_text(RUNBOOK)

    async def scenario():
        async with client_for(sandbox) as client:
            await apply_files(client, [path], tmp_path / ".runform")
            await _edit_in_cutover(sandbox, client, author_email=None)
            before = dict(client.stats.requests)
            plan, _ = await make_plan(client, load_definitions([path]))
            read = {k: v - before.get(k, 0) for k, v in client.stats.requests.items()}
            return plan, read

    plan, read = asyncio.run(scenario())
    assert plan.changes()[0].fields[0].changed_by is None
    assert not [key for key, count in read.items() if "action_logs" in str(key) and count]
