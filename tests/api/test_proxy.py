"""Proxies named by the environment (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, NO_PROXY)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from runform.providers.cutover.api import CutoverClient, RetryPolicy
from runform.providers.cutover.api.errors import ApiError, Unreachable
from runform.providers.cutover.sandbox import SANDBOX_TOKEN

pytestmark = pytest.mark.anyio

# A name that never resolves: only a proxy can carry a request addressed to it.
UNRESOLVABLE = "http://cutover.invalid"
ONCE = RetryPolicy(max_attempts=1)


@pytest.fixture
def clean_proxy_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    return monkeypatch


async def test_the_proxy_carries_every_request(sandbox_server, clean_proxy_env):
    # The sandbox, reached as a proxy, answers the absolute-form request it is sent.
    clean_proxy_env.setenv("HTTP_PROXY", sandbox_server.base_url)
    async with CutoverClient(UNRESOLVABLE, SANDBOX_TOKEN, insecure=True) as client:
        workspace = await client.get("/core/workspaces/1")
        runbook = await client.create(
            "/core/runbooks", "runbook", {"name": "Via proxy"}, {"workspace": workspace}
        )
    assert workspace.type == "workspace"
    assert runbook.attributes["name"] == "Via proxy"


async def test_no_proxy_sends_directly(sandbox_server, clean_proxy_env):
    clean_proxy_env.setenv("HTTP_PROXY", sandbox_server.base_url)
    clean_proxy_env.setenv("NO_PROXY", "cutover.invalid")
    async with CutoverClient(UNRESOLVABLE, SANDBOX_TOKEN, insecure=True, retry=ONCE) as client:
        with pytest.raises(Unreachable):
            await client.get("/core/workspaces/1")


async def test_without_a_proxy_the_name_must_resolve(clean_proxy_env):
    async with CutoverClient(UNRESOLVABLE, SANDBOX_TOKEN, insecure=True, retry=ONCE) as client:
        with pytest.raises(Unreachable):
            await client.get("/core/workspaces/1")


@asynccontextmanager
async def connect_proxy() -> AsyncIterator[tuple[str, list[bytes]]]:
    """An HTTP proxy that only tunnels (CONNECT); yields its URL and the requests it got."""
    requests: list[bytes] = []

    async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        finally:
            writer.close()

    async def tunnel(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        requests.append(head.split(b"\r\n")[0])
        host, _, port = head.split()[1].decode().rpartition(":")
        upstream_reader, upstream_writer = await asyncio.open_connection(host, int(port))
        writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        await writer.drain()
        await asyncio.gather(
            pipe(reader, upstream_writer), pipe(upstream_reader, writer), return_exceptions=True
        )

    server = await asyncio.start_server(tunnel, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        yield f"http://127.0.0.1:{port}", requests


async def test_https_through_a_proxy_is_tunnelled_and_verified(https_sandbox, clean_proxy_env):
    url, cert = https_sandbox
    async with connect_proxy() as (proxy, requests):
        clean_proxy_env.setenv("HTTPS_PROXY", proxy)
        async with CutoverClient(url, SANDBOX_TOKEN, retry=ONCE) as client:
            with pytest.raises(ApiError, match="certificate"):
                await client.get("/core/workspaces/1")  # nobody vouches for it yet
        clean_proxy_env.setenv("SSL_CERT_FILE", str(cert))
        async with CutoverClient(url, SANDBOX_TOKEN, retry=ONCE) as client:
            workspace = await client.get("/core/workspaces/1")
    host_port = url.removeprefix("https://").encode()
    assert workspace.type == "workspace"
    assert requests == [b"CONNECT " + host_port + b" HTTP/1.1"] * 2
