"""TLS verification is on: a server with a certificate nobody vouches for is refused."""

from __future__ import annotations

import os
import ssl
import subprocess
import sys

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


def _fresh(code: str, ca_file: str | None = None) -> str:
    """What `code` prints in a fresh interpreter (aiohttp not imported yet), with
    SSL_CERT_FILE naming `ca_file`, or unset, and SSL_CERT_DIR unset."""
    unset = ("SSL_CERT_FILE", "SSL_CERT_DIR")
    env = {name: value for name, value in os.environ.items() if name not in unset}
    if ca_file is not None:
        env["SSL_CERT_FILE"] = ca_file
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    return done.stdout.strip()


LIGHT_IMPORT = (
    "import os, ssl, httpx; "
    "from runform.core.http.aiohttp_import import ask_for_light_import; "
    "ask_for_light_import(); "
    "import runform.core.http.transport; "
    "import aiohttp.connector as c; "
    "print(os.environ.get('SSL_CERT_FILE', '-'), "
    "c._SSL_CONTEXT_VERIFIED.cert_store_stats()['x509_ca'], "
    "httpx.create_ssl_context(verify=True).cert_store_stats()['x509_ca'])"
)


def test_the_command_lines_light_import_keeps_runforms_own_context_whole() -> None:
    """aiohttp's unused default context is made without the CA file; the variable is gone
    again after, and the context runform makes for https still loads its certificates."""
    hidden, aiohttp_cas, own_cas = _fresh(LIGHT_IMPORT).split()
    assert hidden == "-"
    assert int(aiohttp_cas) == 0
    assert int(own_cas) > 0


def test_the_light_import_restores_the_users_ca_file(https_sandbox) -> None:
    _url, cert = https_sandbox
    named, _aiohttp_cas, own_cas = _fresh(LIGHT_IMPORT, str(cert)).split()
    assert named == str(cert)
    assert int(own_cas) == 1, "the user's file, and only it, is what runform trusts"


def test_a_library_import_leaves_aiohttp_as_it_is() -> None:
    code = (
        "import ssl, runform.core.http.transport, aiohttp.connector as c; "
        "print(c._SSL_CONTEXT_VERIFIED.cert_store_stats() == "
        "ssl.create_default_context().cert_store_stats())"
    )
    assert _fresh(code) == "True"


def test_the_command_line_plans_over_tls_with_the_users_ca_file(https_sandbox, tmp_path) -> None:
    """The whole command, light import included, against a server the user's file vouches
    for; and refused without that file."""
    url, cert = https_sandbox
    (tmp_path / "runform.yaml").write_text("workspace: default\n")
    (tmp_path / "over-tls.yaml").write_text("runbook:\n  name: Over TLS plan\n")
    env = {**os.environ, "CUTOVER_API_URL": url, "CUTOVER_API_TOKEN": SANDBOX_TOKEN}
    command = [sys.executable, "-m", "runform", "plan", "--detailed-exitcode"]
    trusted = subprocess.run(
        command, cwd=tmp_path, env={**env, "SSL_CERT_FILE": str(cert)}, capture_output=True
    )
    assert trusted.returncode == 2, trusted.stderr.decode()
    assert b'+ runbook "Over TLS plan"' in trusted.stdout
    refused = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True)
    assert refused.returncode == 1
    assert b"certificate" in refused.stderr.lower()
