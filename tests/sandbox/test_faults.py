"""Fault injection: latency, 429 with Retry-After, 5xx before commit, drops after commit."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import time

import httpx
import pytest

from runform.providers.cutover.sandbox import FaultConfig

from .support import all_pages, document, errors_of

pytestmark = pytest.mark.anyio

NEW_RUNBOOK = document("runbook", {"name": "Faulty"}, workspace="default")


async def runbook_names(handle) -> list[str]:
    handle.faults.throttle_rate = handle.faults.error_rate = handle.faults.drop_rate = 0
    async with handle.client() as client:
        return [r["attributes"]["name"] for r in await all_pages(client, "/core/runbooks")]


async def test_latency_is_added(any_sandbox):
    any_sandbox.faults.latency_ms = 60
    async with any_sandbox.client() as client:
        started = time.perf_counter()
        response = await client.get("/core/workspaces")
        elapsed = time.perf_counter() - started
    assert response.status_code == 200
    assert elapsed >= 0.06


async def test_latency_holds_back_the_answer_not_the_handling(any_sandbox):
    """A write is made when it arrives; only its answer waits, as behind a slow network."""
    any_sandbox.faults.latency_ms = 400
    store = any_sandbox.app.state.store

    def made() -> bool:
        with store.lock:
            return any(r["name"] == "Early" for r in store.all("runbook"))

    async with any_sandbox.client() as client:
        started = time.perf_counter()
        posting = asyncio.ensure_future(
            client.post(
                "/core/runbooks", json=document("runbook", {"name": "Early"}, workspace="default")
            )
        )
        while not made() and time.perf_counter() - started < 5:
            await asyncio.sleep(0.005)
        seen_after = time.perf_counter() - started
        answered_yet = posting.done()
        response = await posting
        elapsed = time.perf_counter() - started
    assert made() and not answered_yet
    assert seen_after < elapsed - 0.2  # made well before the answer came
    assert response.status_code == 201
    assert elapsed >= 0.4


async def test_throttle_answers_429_with_retry_after(any_sandbox):
    any_sandbox.faults.throttle_rate = 1.0
    any_sandbox.faults.retry_after = 3
    async with any_sandbox.client() as client:
        response = await client.post("/core/runbooks", json=NEW_RUNBOOK)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "3"
    assert errors_of(response) == [("too_many_requests", None)]
    assert await runbook_names(any_sandbox) == ["Standard release"]


async def test_errors_are_500_503_504_and_commit_nothing(any_sandbox):
    any_sandbox.faults.error_rate = 1.0
    any_sandbox.faults.seed = 11
    async with any_sandbox.client() as client:
        statuses = {
            (await client.post("/core/runbooks", json=NEW_RUNBOOK)).status_code for _ in range(30)
        }
    assert statuses == {500, 503, 504}
    assert await runbook_names(any_sandbox) == ["Standard release"]


async def test_drop_in_process_is_a_lost_connection_after_commit(sandbox):
    sandbox.faults.drop_rate = 1.0
    async with sandbox.client() as client:
        read = await client.get("/core/runbooks")
        with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
            await client.post("/core/runbooks", json=NEW_RUNBOOK)
    assert read.status_code == 200
    assert await runbook_names(sandbox) == ["Standard release", "Faulty"]


async def test_drop_next_loses_exactly_the_next_write_answers(any_sandbox):
    any_sandbox.faults.drop_next = 1
    async with any_sandbox.client() as client:
        read = await client.get("/core/runbooks")  # reads are never dropped
        with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
            await client.post("/core/runbooks", json=NEW_RUNBOOK)
    async with any_sandbox.client() as client:  # a fresh connection after the torn one
        again = await client.post("/core/runbooks", json=NEW_RUNBOOK)
    assert read.status_code == 200 and again.status_code == 201
    assert any_sandbox.faults.drop_next == 0
    assert await runbook_names(any_sandbox) == ["Standard release", "Faulty", "Faulty"]


async def test_drop_over_http_closes_the_connection_after_commit(sandbox_server):
    sandbox_server.faults.drop_rate = 1.0
    async with sandbox_server.client() as client:
        with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
            await client.post("/core/runbooks", json=NEW_RUNBOOK)
    assert await runbook_names(sandbox_server) == ["Standard release", "Faulty"]


def test_a_drop_over_http_closes_the_connection_with_no_response_at_all(sandbox_server):
    """Not a byte of the answer reaches the client, and the server logs no error for it."""
    sandbox_server.faults.drop_rate = 1.0
    errors: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = errors.append  # type: ignore[method-assign]
    server_log = logging.getLogger("uvicorn.error")
    server_log.addHandler(handler)
    body = json.dumps(NEW_RUNBOOK).encode()
    host, port = sandbox_server.base_url.removeprefix("http://").split(":")
    head = (
        f"POST /core/runbooks HTTP/1.1\r\nHost: {host}\r\n"
        f"Authorization: Bearer {sandbox_server.token}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    try:
        with socket.create_connection((host, int(port)), timeout=10) as connection:
            connection.sendall(head.encode() + body)
            answer = b""
            while chunk := connection.recv(4096):
                answer += chunk
    finally:
        server_log.removeHandler(handler)
    assert answer == b""
    assert not [r for r in errors if r.levelno >= logging.ERROR]
    assert asyncio.run(runbook_names(sandbox_server)) == ["Standard release", "Faulty"]


async def outcomes(handle, seed: int) -> list[object]:
    handle.app.state.faults = FaultConfig(
        throttle_rate=0.2, error_rate=0.2, drop_rate=0.2, seed=seed
    )
    results: list[object] = []
    async with handle.client() as client:
        for index in range(40):
            try:
                if index % 2:
                    response = await client.get("/core/workspaces")
                else:
                    response = await client.post("/core/runbooks", json=NEW_RUNBOOK)
                results.append(response.status_code)
            except httpx.RemoteProtocolError:
                results.append("dropped")
    return results


async def test_a_seed_makes_faults_repeatable(sandbox):
    first = await outcomes(sandbox, 7)
    second = await outcomes(sandbox, 7)
    other = await outcomes(sandbox, 8)
    assert first == second
    assert first != other
    assert {429, "dropped"} <= set(first)
    assert set(first) & {500, 503, 504}


async def test_reseeding_restarts_the_sequence(sandbox):
    faults = sandbox.faults
    faults.error_rate = 0.5
    faults.seed = 3
    draws = [faults.decide(True) for _ in range(10)]
    faults.seed = 3
    assert [faults.decide(True) for _ in range(10)] == draws


async def test_faults_come_after_auth(sandbox):
    sandbox.faults.throttle_rate = 1.0
    async with httpx.AsyncClient(base_url=sandbox.base_url, transport=sandbox.transport) as client:
        response = await client.get("/core/runbooks")
    assert response.status_code == 401
