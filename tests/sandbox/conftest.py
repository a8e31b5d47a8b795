"""Sandbox tests that must hold both in-process and over real HTTP use `any_sandbox`."""

from __future__ import annotations

import pytest


@pytest.fixture(params=["in_process", "http"])
def any_sandbox(request: pytest.FixtureRequest):
    """The sandbox in-process (ASGI transport), then served by uvicorn on a free port."""
    name = "sandbox" if request.param == "in_process" else "sandbox_server"
    return request.getfixturevalue(name)
