"""The client against the sandbox: reads, writes, typed errors, headers, pagination."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from runform import __version__
from runform.core.sandbox_kit.transport import InProcessTransport
from runform.providers.cutover.api import (
    CutoverClient,
    EndpointTooNew,
    Forbidden,
    NotFound,
    Ref,
    Unauthorized,
    ValidationFailed,
)

from .support import Recorder, no_wait


def run(coroutine):
    return asyncio.run(coroutine)


async def template_id(client: CutoverClient) -> str:
    runbooks = await client.list("/core/runbooks", {"is_template": "true"})
    return next(r.id for r in runbooks if r.attributes["name"] == "Standard release")


def test_reads_seed_data(target):
    async def session():
        async with target.client() as client:
            workspaces = await client.list("/core/workspaces")
            assert {w.attributes["key"] for w in workspaces} >= {"default", "payments"}
            one = await client.get(f"/core/workspaces/{workspaces[0].id}")
            assert one.id == workspaces[0].id
            assert one.type == "workspace"
            tasks = await client.list(f"/core/runbooks/{await template_id(client)}/tasks")
            by_name = {t.attributes["name"]: t for t in tasks}
            assert len(by_name) == 12
            deploy = by_name["Deploy application"]
            predecessors = {
                next(t.attributes["name"] for t in tasks if t.id == i)
                for i in deploy.rel_ids("predecessors")
            }
            assert predecessors == {"Run schema migrations", "Stop application services"}
            assert deploy.rel_id("stream") is not None

    run(session())


def test_create_update_action_delete(target):
    async def session():
        async with target.client() as client:
            workspace = (await client.list("/core/workspaces"))[0]
            runbook = await client.create(
                "/core/runbooks",
                "runbook",
                {"name": "Client round trip"},
                {"workspace": Ref(id=workspace.id, type="workspace")},
            )
            assert runbook.attributes["name"] == "Client round trip"
            assert runbook.rel_id("workspace") == workspace.id
            changed = await client.update(
                f"/core/runbooks/{runbook.id}", "runbook", {"description": "Now described"}
            )
            assert changed.attributes["description"] == "Now described"
            stream = await client.create(
                f"/core/runbooks/{runbook.id}/streams", "stream", {"name": "Main"}
            )
            task = await client.create(
                f"/core/runbooks/{runbook.id}/tasks",
                "task",
                {"name": "Only task", "duration": 60},
                {"stream": Ref(id=stream.id, type="stream"), "predecessors": []},
            )
            assert task.rel_id("stream") == stream.id
            assert task.attributes["duration"] == 60
            await client.delete(f"/core/runbooks/{runbook.id}/tasks/{task.id}")
            with pytest.raises(NotFound):
                await client.get(f"/core/runbooks/{runbook.id}/tasks/{task.id}")
            started = await client.action(
                f"/core/runbooks/{runbook.id}/start", {"run_type": "rehearsal", "comms": "off"}
            )
            assert started is not None
            assert started.attributes["stage"] == "active"
            assert started.attributes["run_type"] == "rehearsal"
            assert client.stats.count("POST", "/core/runbooks/{id}/tasks") == 1
            assert client.stats.count("DELETE", "/core/runbooks/9/tasks/9") == 1

    run(session())


def test_errors_map_to_types_with_code_and_pointer(target):
    async def session():
        async with target.client() as client:
            with pytest.raises(NotFound) as missing:
                await client.get("/core/runbooks/987654")
            assert missing.value.status == 404
            workspace = (await client.list("/core/workspaces"))[0]
            with pytest.raises(ValidationFailed) as invalid:
                await client.create(
                    "/core/runbooks",
                    "runbook",
                    {"name": ""},
                    {"workspace": Ref(id=workspace.id, type="workspace")},
                )
            error = invalid.value
            assert error.status == 422
            assert "blank" in error.codes
            assert any(e.pointer == "/data/attributes/name" for e in error.errors)
            assert error.describe('runbook ""').startswith('runbook "" name: ')
            assert "(code blank)" in error.describe("runbook")
            # Only 429 and 5xx are retried: one request each for the refusals above.
            assert client.stats.count("GET", "/core/runbooks/{id}") == 1
            assert client.stats.count("POST", "/core/runbooks") == 1
        async with target.client(token="f" * 48) as stranger:
            with pytest.raises(Unauthorized) as refused:
                await stranger.list("/core/workspaces")
            assert refused.value.status == 401
            assert "CUTOVER_API_TOKEN" in str(refused.value)
        async with target.client(token=target.handle.read_only_token) as reader:
            await reader.list("/core/workspaces")
            with pytest.raises(Forbidden) as forbidden:
                await reader.create(
                    "/core/runbooks",
                    "runbook",
                    {"name": "Not allowed"},
                    {"workspace": Ref(id=workspace.id, type="workspace")},
                )
            assert forbidden.value.status == 403

    run(session())


def test_405_is_explained_as_an_endpoint_newer_than_the_instance(target):
    async def session():
        async with target.client() as client:
            with pytest.raises(EndpointTooNew) as too_new:
                await client.delete("/core/workspaces/1")
            assert too_new.value.status == 405
            assert "this endpoint is newer than your Cutover instance" in str(too_new.value)

    run(session())


def test_headers_sent(sandbox):
    recorder = Recorder(sandbox.app)

    async def session():
        client = CutoverClient(
            sandbox.base_url,
            sandbox.token,
            InProcessTransport(app=recorder),
            api_version="2022-01-10",
            core_url="https://acme.cutover.com",
        )
        async with client:
            await client.list("/core/workspaces")
            await client.get("/core/workspaces/1")

    run(session())
    assert len(recorder.headers) == 2
    for headers in recorder.headers:
        assert headers["api-version"] == "2022-01-10"
        assert headers["core-url"] == "https://acme.cutover.com"
        assert headers["user-agent"] == f"runform/{__version__}"
        assert headers["authorization"] == f"Bearer {sandbox.token}"


def test_api_version_defaults_to_the_newest_pin(sandbox):
    recorder = Recorder(sandbox.app)

    async def session():
        async with CutoverClient(
            sandbox.base_url, sandbox.token, InProcessTransport(app=recorder)
        ) as client:
            await client.get("/core/workspaces/1")

    run(session())
    assert recorder.headers[0]["api-version"] == "2022-02-22"
    assert "core-url" not in recorder.headers[0]


def test_every_page_is_read_exactly_once(sandbox):
    recorder = Recorder(sandbox.app)

    async def session():
        async with CutoverClient(
            sandbox.base_url, sandbox.token, InProcessTransport(app=recorder), sleep=no_wait
        ) as client:
            runbook = await template_id(client)
            recorder.paths.clear()
            tasks = await client.list(f"/core/runbooks/{runbook}/tasks", page_size=5)
            return runbook, tasks, client.stats

    runbook, tasks, stats = run(session())
    assert len(tasks) == 12
    assert len({t.id for t in tasks}) == 12
    pages = [p for p in recorder.paths if p.startswith(f"GET /core/runbooks/{runbook}/tasks?")]
    assert len(pages) == 3  # 5 + 5 + 2, three distinct pages
    assert all(recorder.paths[p] == 1 for p in pages)
    assert stats.count("GET", "/core/runbooks/{id}/tasks") == 3


def test_default_page_size_is_the_largest_the_server_allows(sandbox):
    recorder = Recorder(sandbox.app)

    async def session():
        async with CutoverClient(
            sandbox.base_url, sandbox.token, InProcessTransport(app=recorder)
        ) as client:
            await client.list("/core/users")

    run(session())
    (only,) = recorder.paths
    assert "page%5Bsize%5D=100" in only or "page[size]=100" in only


def strip_counts_and_make_links_relative(document: dict) -> dict:
    """A server that gives neither totals nor absolute links: only `links.next`, relative."""
    links = document.get("links") or {}
    next_link = links.get("next")
    if next_link:
        url = httpx.URL(next_link)
        document["links"] = {"next": url.raw_path.decode()}
    else:
        document["links"] = {}
    document["meta"] = {}
    return document


def test_follows_relative_next_links_when_no_total_is_given(sandbox):
    recorder = Recorder(sandbox.app, reshape=strip_counts_and_make_links_relative)

    async def session():
        async with CutoverClient(
            sandbox.base_url, sandbox.token, InProcessTransport(app=recorder)
        ) as client:
            runbook = await template_id(client)
            return await client.list(f"/core/runbooks/{runbook}/tasks", page_size=5)

    tasks = run(session())
    assert len({t.id for t in tasks}) == len(tasks) == 12
    task_pages = [p for p in recorder.paths if "/tasks?" in p]
    assert len(task_pages) == 3
    assert all(recorder.paths[p] == 1 for p in task_pages)


def test_next_link_on_another_host_is_read_from_the_configured_one(sandbox):
    # Round 2, Pagination: links.next may be absolute on another host than the one called.
    # Its path and query are read from the configured base URL; the token goes nowhere else.
    def elsewhere(document: dict) -> dict:
        next_link = (document.get("links") or {}).get("next")
        if next_link:
            url = httpx.URL(next_link)
            document["links"]["next"] = str(url.copy_with(scheme="https", host="evil.example"))
            document["meta"] = {"page": document["meta"]["page"]}
            document["meta"]["page"]["total"] = None
            document["links"]["last"] = None
        return document

    recorder = Recorder(sandbox.app, reshape=elsewhere)

    async def session():
        async with CutoverClient(
            sandbox.base_url, sandbox.token, InProcessTransport(app=recorder)
        ) as client:
            return await client.list("/core/users", page_size=2), await client.list("/core/users")

    paged, whole = run(session())
    assert [u.id for u in paged] == [u.id for u in whole]
    assert sum(recorder.paths.values()) > 2  # the small pages were followed
    assert {h["host"] for h in recorder.headers} == {"sandbox.local"}
