"""A CutoverClient on the sandbox, in-process and over real HTTP."""

from __future__ import annotations

import httpx
import pytest

from runform.api import CutoverClient


@pytest.fixture(params=["in_process", "http"])
async def client(request: pytest.FixtureRequest):
    """The real client against the sandbox: once over ASGI, once over uvicorn on loopback."""
    if request.param == "in_process":
        handle = request.getfixturevalue("sandbox")
        transport = httpx.ASGITransport(app=handle.app)
    else:
        handle = request.getfixturevalue("sandbox_server")
        transport = None
    async with CutoverClient(handle.base_url, handle.token, transport) as api:
        yield api


@pytest.fixture
async def local_client(sandbox):
    """The client in-process only (for tests that only need the data, not the socket)."""
    async with CutoverClient(
        sandbox.base_url, sandbox.token, httpx.ASGITransport(app=sandbox.app)
    ) as api:
        yield api
