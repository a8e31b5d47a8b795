"""TLS verification is on: a server with a certificate nobody vouches for is refused."""

from __future__ import annotations

import datetime
import ipaddress
import ssl
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from runform.api import CutoverClient, RetryPolicy
from runform.api.errors import ApiError
from runform.sandbox import SANDBOX_TOKEN, create_app
from runform.sandbox.server import bind

from .support import no_wait


def _self_signed(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 signed by its own key (no CA trusts it)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@pytest.fixture(scope="module")
def https_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The sandbox over https on 127.0.0.1 with a self-signed certificate: (URL, cert file)."""
    cert, key = _self_signed(tmp_path_factory.mktemp("tls"))
    sock = bind("127.0.0.1", 0)
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        create_app(":memory:"),
        log_level="warning",
        access_log=False,
        lifespan="off",
        ssl_certfile=str(cert),
        ssl_keyfile=str(key),
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.started, "the https sandbox did not start"
    yield f"https://127.0.0.1:{port}", cert
    server.should_exit = True
    thread.join(10)
    sock.close()


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
