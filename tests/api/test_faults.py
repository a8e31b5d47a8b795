"""Injected faults: throttling, server errors, dropped responses, latency."""

from __future__ import annotations

import asyncio
import socket

import pytest

from runform.providers.cutover.api import (
    AmbiguousWrite,
    CutoverClient,
    RateLimited,
    Ref,
    RetryPolicy,
    ServerError,
    Unreachable,
)

from .support import QUICK_RETRY, no_wait


def run(coroutine):
    return asyncio.run(coroutine)


def reset(faults) -> None:
    faults.throttle_rate = 0.0
    faults.error_rate = 0.0
    faults.drop_rate = 0.0
    faults.latency_ms = 0


async def runbooks_named(client, name: str) -> list:
    """Every runbook of that exact name, from a plain listing (fuzzy `query` could miss one)."""
    return [r for r in await client.list("/core/runbooks") if r.attributes["name"] == name]


async def default_workspace(client) -> Ref:
    workspace = next(
        w for w in await client.list("/core/workspaces") if w.attributes["key"] == "default"
    )
    return Ref(id=workspace.id, type="workspace")


def test_backoff_honours_retry_after_in_real_time(target):
    target.faults.throttle_rate = 1.0
    target.faults.retry_after = 1

    slept: list[float] = []

    async def real_sleep(seconds: float) -> None:
        """asyncio's own sleep, with a note of what the client asked of it."""
        slept.append(seconds)
        await asyncio.sleep(seconds)

    async def session():
        retry = RetryPolicy(max_attempts=2, base_delay=0.01)
        async with target.client(retry=retry, sleep=real_sleep) as client:
            with pytest.raises(RateLimited) as throttled:
                await client.get("/core/workspaces/1")
            return client, throttled.value

    client, error = run(session())
    assert error.status == 429
    assert client.stats.sleeps and client.stats.sleeps[0] >= 1.0
    # The client really slept as long as Retry-After asked (not merely counted it).
    assert slept == client.stats.sleeps and sum(slept) >= 1.0
    assert client.stats.throttled == 2
    assert client.stats.count("GET", "/core/workspaces/{id}") == 2
    assert client.limiter.current < client.limiter.maximum


def test_throttled_reads_succeed_and_concurrency_backs_off(target):
    target.faults.throttle_rate = 0.5
    target.faults.seed = 3
    target.faults.retry_after = 2

    async def session():
        retry = RetryPolicy(max_attempts=12, max_total_wait=600)
        async with target.client(retry=retry, max_concurrency=8) as client:
            results = await asyncio.gather(*(client.get("/core/workspaces/1") for _ in range(20)))
            return client, results

    client, results = run(session())
    assert [r.id for r in results] == ["1"] * 20
    assert client.stats.throttled > 0
    assert all(s >= 2.0 for s in client.stats.sleeps)  # every wait honoured Retry-After
    assert client.limiter.lowest_limit < 8
    assert client.stats.count("GET", "/core/workspaces/{id}") == 20 + client.stats.throttled


def test_throttled_write_is_retried_because_the_server_refused_it(target):
    async def session():
        async with target.client(retry=RetryPolicy(max_attempts=30, max_total_wait=600)) as client:
            workspace = await default_workspace(client)
            target.faults.throttle_rate = 0.6
            target.faults.seed = 11
            for n in range(3):
                await client.create(
                    "/core/runbooks",
                    "runbook",
                    {"name": f"Throttled {n}"},
                    {"workspace": workspace},
                )
            reset(target.faults)
            counts = [len(await runbooks_named(client, f"Throttled {n}")) for n in range(3)]
            return client, counts

    client, counts = run(session())
    assert counts == [1, 1, 1]  # retried 429s created nothing twice
    assert client.stats.throttled > 0


def test_dropped_post_is_ambiguous_and_not_repeated(target):
    async def session():
        async with target.client() as client:
            workspace = await default_workspace(client)
            target.faults.drop_rate = 1.0
            with pytest.raises(AmbiguousWrite) as ambiguous:
                await client.create(
                    "/core/runbooks", "runbook", {"name": "Dropped"}, {"workspace": workspace}
                )
            posts = client.stats.count("POST", "/core/runbooks")
            reset(target.faults)
            return ambiguous.value, posts, await runbooks_named(client, "Dropped")

    error, posts, created = run(session())
    assert posts == 1  # sent once, never blindly again
    assert len(created) == 1  # the sandbox committed before dropping
    assert error.method == "POST"
    assert error.path == "/core/runbooks"
    assert error.body["data"]["attributes"] == {"name": "Dropped"}
    assert "may have happened" in str(error)


def test_server_error_on_a_write_is_ambiguous(target):
    async def session():
        async with target.client() as client:
            workspace = await default_workspace(client)
            target.faults.error_rate = 1.0
            with pytest.raises(AmbiguousWrite) as ambiguous:
                await client.create(
                    "/core/runbooks", "runbook", {"name": "Errored"}, {"workspace": workspace}
                )
            posts = client.stats.count("POST", "/core/runbooks")
            reset(target.faults)
            return ambiguous.value, posts, await runbooks_named(client, "Errored")

    error, posts, created = run(session())
    assert posts == 1
    assert error.status in (500, 503, 504)
    assert created == []  # the sandbox fails before committing; the client could not know


def test_server_errors_on_reads_are_retried_then_reported(target):
    target.faults.error_rate = 1.0

    async def session():
        async with target.client() as client:
            with pytest.raises(ServerError) as failed:
                await client.list("/core/teams")
            return client, failed.value

    client, error = run(session())
    assert error.status in (500, 503, 504)
    assert client.stats.count("GET", "/core/teams") == 4  # QUICK_RETRY allows four attempts
    assert client.stats.retries == 3


def test_reads_survive_intermittent_server_errors(target):
    target.faults.error_rate = 0.4
    target.faults.seed = 5

    async def session():
        async with target.client(retry=RetryPolicy(max_attempts=20, base_delay=0.01)) as client:
            users = [await client.list("/core/users") for _ in range(5)]
            return client, users

    client, users = run(session())
    assert all(len(batch) == 4 for batch in users)
    assert client.stats.retries > 0


def test_latency_beyond_the_timeout_makes_writes_ambiguous_over_http(sandbox_server):
    from .support import Target

    target = Target("http", sandbox_server, lambda: None)

    async def session():
        async with target.client(timeout=0.2) as client:
            workspace = await default_workspace(client)
            target.faults.latency_ms = 600
            with pytest.raises(AmbiguousWrite) as ambiguous:
                await client.create(
                    "/core/runbooks", "runbook", {"name": "Slow"}, {"workspace": workspace}
                )
            with pytest.raises(Unreachable):
                await client.get("/core/workspaces/1")
            reset(target.faults)
            return ambiguous.value, client

    error, client = run(session())
    assert "ReadTimeout" in error.reason
    assert client.stats.count("POST", "/core/runbooks") == 1
    assert client.stats.count("GET", "/core/workspaces/{id}") == 4


def test_a_write_that_never_connected_is_retried_then_unreachable():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again before use: nothing listens there

    async def session():
        async with CutoverClient(
            f"http://127.0.0.1:{port}", "t" * 48, retry=QUICK_RETRY, sleep=no_wait
        ) as client:
            with pytest.raises(Unreachable) as unreachable:
                await client.create("/core/runbooks", "runbook", {"name": "Never sent"})
            return client, unreachable.value

    client, error = run(session())
    assert not isinstance(error, AmbiguousWrite)
    assert "could not connect" in str(error)
    assert client.stats.count("POST", "/core/runbooks") == QUICK_RETRY.max_attempts
