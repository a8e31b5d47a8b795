"""Proxies named by the environment (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, NO_PROXY)."""

from __future__ import annotations

import pytest

from runform.api import CutoverClient, RetryPolicy
from runform.api.errors import Unreachable
from runform.sandbox import SANDBOX_TOKEN

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
