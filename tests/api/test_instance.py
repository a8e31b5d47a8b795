"""An instance older than an endpoint: the client explains the sandbox's 405."""

from __future__ import annotations

import pytest

from runform.core.sandbox_kit.server import BackgroundServer
from runform.core.sandbox_kit.transport import InProcessTransport
from runform.providers.cutover.api import CutoverClient, EndpointTooNew
from runform.providers.cutover.sandbox import SANDBOX_TOKEN, create_app

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize("over", ["in_process", "http"])
async def test_a_newer_endpoint_on_an_older_instance_is_explained(over: str) -> None:
    app = create_app(":memory:", core_version="2022-02-22")
    server = BackgroundServer(app).start() if over == "http" else None
    base_url = server.base_url if server else "http://sandbox.local"
    transport = None if server else InProcessTransport(app=app)
    try:
        async with CutoverClient(base_url, SANDBOX_TOKEN, transport) as client:
            runbook = await client.get("/core/runbooks/1")
            with pytest.raises(EndpointTooNew) as too_new:
                await client.create("/core/runbooks/1/streams", "stream", {"name": "New"})
            with pytest.raises(EndpointTooNew):
                await client.list("/core/custom_fields")
    finally:
        if server:
            server.stop()
    assert runbook.attributes["name"] == "Standard release"
    assert too_new.value.status == 405
    assert "this endpoint is newer than your Cutover instance" in str(too_new.value)
    assert client.stats.total_requests == 3, "a 405 is final, not retried"
