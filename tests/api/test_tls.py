"""TLS verification is on: a server with a certificate nobody vouches for is refused."""

from __future__ import annotations

import ssl

import httpx
import pytest

from runform.providers.cutover.api import CutoverClient, RetryPolicy
from runform.providers.cutover.api.errors import ApiError
from runform.providers.cutover.sandbox import SANDBOX_TOKEN

from .support import no_wait


def test_the_https_sandbox_answers_a_client_that_trusts_its_certificate(https_sandbox) -> None:
    url, cert = https_sandbox
    trusting = ssl.create_default_context(cafile=str(cert))
    response = httpx.get(
        f"{url}/core/workspaces",
        headers={"Authorization": f"Bearer {SANDBOX_TOKEN}"},
        verify=trusting,
    )
    assert response.status_code == 200
    assert response.json()["data"][0]["attributes"]["key"] == "default"


@pytest.mark.anyio
@pytest.mark.parametrize("insecure", [False, True])
async def test_the_client_refuses_a_self_signed_certificate(https_sandbox, insecure) -> None:
    """`--insecure` only allows plain http; it never turns certificate checks off."""
    url, _cert = https_sandbox
    sleeps: list[float] = []

    async def record(seconds: float) -> None:
        sleeps.append(seconds)
        await no_wait(seconds)

    retry = RetryPolicy(max_attempts=3, base_delay=0.01, max_delay=0.01)
    async with CutoverClient(
        url, SANDBOX_TOKEN, insecure=insecure, retry=retry, sleep=record
    ) as api:
        with pytest.raises(ApiError) as raised:
            await api.list("/core/workspaces")
    message = str(raised.value)
    assert "certificate" in message.lower()
    assert SANDBOX_TOKEN not in message
    assert raised.value.__context__ is None and raised.value.__cause__ is None
    assert api.stats.total_requests == 1, "a certificate failure is final, not retried"
    assert sleeps == []


@pytest.mark.anyio
async def test_the_client_talks_tls_to_a_server_whose_certificate_it_trusts(
    https_sandbox, monkeypatch
) -> None:
    """SSL_CERT_FILE names the trusted certificates, as for httpx's own transport."""
    url, cert = https_sandbox
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    async with CutoverClient(url, SANDBOX_TOKEN) as api:
        workspaces = await api.list("/core/workspaces")
        created = await api.create(
            "/core/runbooks", "runbook", {"name": "Over TLS"}, {"workspace": workspaces[0]}
        )
    assert [w.attributes["key"] for w in workspaces][:1] == ["default"]
    assert created.attributes["name"] == "Over TLS"
