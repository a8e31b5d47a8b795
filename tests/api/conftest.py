"""Targets for the client tests: the sandbox in-process and over a real socket."""

from __future__ import annotations

import httpx
import pytest

from .support import Target


@pytest.fixture(params=["in_process", "http"])
def target(request: pytest.FixtureRequest) -> Target:
    """The sandbox, once in-process (ASGI) and once over HTTP on 127.0.0.1."""
    if request.param == "in_process":
        handle = request.getfixturevalue("sandbox")
        return Target("in_process", handle, lambda: httpx.ASGITransport(app=handle.app))
    handle = request.getfixturevalue("sandbox_server")
    return Target("http", handle, lambda: None)
