"""The aiohttp transport against real sockets: what it sends, and what each failure means."""

from __future__ import annotations

import asyncio
import gzip
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import aiohttp
import httpx
import pytest

from runform.core.http.transport import AiohttpTransport, translate
from runform.providers.cutover.api import CutoverClient, RetryPolicy
from runform.providers.cutover.api.errors import AmbiguousWrite, Unreachable

from .support import no_wait

pytestmark = pytest.mark.anyio

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]
NEVER_RETRY_TWICE = RetryPolicy(max_attempts=3, base_delay=0.01, max_delay=0.01)


@asynccontextmanager
async def raw_server(handler: Handler) -> AsyncIterator[tuple[str, list[bytes]]]:
    """A TCP server on 127.0.0.1 running `handler` per connection; yields (URL, request heads)."""
    heads: list[bytes] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            heads.append(head)
            length = _content_length(head)
            if length:
                heads.append(await reader.readexactly(length))
            await handler(reader, writer)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}", heads
    finally:
        server.close()


def _content_length(head: bytes) -> int:
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    return 0


def _json_response(body: bytes, *, status: str = "200 OK", extra: bytes = b"") -> bytes:
    return (
        f"HTTP/1.1 {status}\r\nContent-Type: application/vnd.api+json\r\n"
        f"Content-Length: {len(body)}\r\n".encode()
        + extra
        + b"\r\n"
        + body
    )


async def _answer(document: dict, status: str = "200 OK", gzipped: bool = False) -> Handler:
    body = json.dumps(document).encode()

    async def handler(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if gzipped:
            writer.write(_json_response(gzip.compress(body), extra=b"Content-Encoding: gzip\r\n"))
        else:
            writer.write(_json_response(body, status=status))
        await writer.drain()

    return handler


async def _close_without_answer(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
    writer.close()


async def _status_line_then_close(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
    writer.write(b"HTTP/1.1 201 Created\r\n")
    await writer.drain()


async def _never_answer(reader: asyncio.StreamReader, _writer: asyncio.StreamWriter):
    await reader.read()  # until the client gives up and closes


async def test_requests_carry_httpx_headers_and_body_and_responses_are_decoded() -> None:
    document = {"data": {"id": "7", "type": "task", "attributes": {"name": "Deploy"}}}
    handler = await _answer(document, gzipped=True)
    async with raw_server(handler) as (url, heads), CutoverClient(url, "s3cret-token") as api:
        created = await api.create("/core/runbooks/1/tasks", "task", {"name": "Deploy"})
    assert created.id == "7" and created.attributes["name"] == "Deploy"
    head, body = heads[0].decode("latin-1"), heads[1]
    assert head.startswith("POST /core/runbooks/1/tasks HTTP/1.1\r\n")
    fields = dict(line.split(": ", 1) for line in head.split("\r\n")[1:] if line)
    fields = {name.lower(): value for name, value in fields.items()}
    assert fields["authorization"] == "Bearer s3cret-token"
    assert fields["user-agent"].startswith("runform/")
    assert fields["host"] == url.removeprefix("http://")
    assert "aiohttp" not in head
    assert json.loads(body)["data"]["attributes"] == {"name": "Deploy"}


async def test_the_request_line_is_exactly_what_httpx_encodes() -> None:
    params = {"fields[task]": "name,duration", "query": "Q3 / ü & co", "page[number]": "2"}
    lines: list[bytes] = []
    for transport in (httpx.AsyncHTTPTransport(), AiohttpTransport(1)):
        handler, http = await _answer({"data": []}), httpx.AsyncClient(transport=transport)
        async with raw_server(handler) as (url, heads), http:
            await http.get(f"{url}/core/runbooks/a%2Fb", params=params)
        lines.append(heads[0].split(b"\r\n")[0])
    assert lines[0] == lines[1]
    # On the wire exactly as httpx encoded it: aiohttp neither decodes `%2F` nor re-encodes.
    encoded = httpx.Request("GET", "http://h/core/runbooks/a%2Fb", params=params).url.raw_path
    assert lines[1] == b"GET " + encoded + b" HTTP/1.1"
    assert b"/a%2Fb?" in lines[1]


async def test_connections_are_kept_alive_between_requests() -> None:
    connections = 0
    body = json.dumps({"data": []}).encode()

    async def keep_answering(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        writer.write(_json_response(body))
        while True:
            await writer.drain()
            await reader.readuntil(b"\r\n\r\n")
            writer.write(_json_response(body))

    http = httpx.AsyncClient(transport=AiohttpTransport(2))
    async with raw_server(keep_answering) as (url, _heads), http:
        for _ in range(3):
            assert (await http.get(f"{url}/core/workspaces")).json() == {"data": []}
    assert connections == 1


@pytest.mark.parametrize(("expiry", "survives"), [(0.1, True), (30.0, False)])
async def test_a_connection_idle_past_its_expiry_is_not_reused(expiry: float, survives: bool):
    """The server closes idle connections; while the event loop is blocked (the apply prompt)
    nobody notices. A write sent on such a connection would be ambiguous, so none is."""
    body = json.dumps({"data": {"id": "1", "type": "runbook"}}).encode()

    async def answer_then_close_when_idle(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        writer.write(_json_response(body))
        await writer.drain()
        try:
            await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 0.2)
        except TimeoutError:
            return  # idle: close, as servers do after their keep-alive timeout
        writer.write(_json_response(body))
        await writer.drain()

    http = httpx.AsyncClient(transport=AiohttpTransport(2, keepalive_expiry=expiry))
    async with raw_server(answer_then_close_when_idle) as (url, _heads), http:
        await http.get(f"{url}/core/runbooks/1")
        time.sleep(0.5)  # the loop is blocked while the server closes the idle connection
        if survives:
            answered = await http.post(f"{url}/core/runbooks", json={})
            assert answered.status_code == 200
        else:
            with pytest.raises(httpx.RemoteProtocolError):
                await http.post(f"{url}/core/runbooks", json={})


async def test_a_refused_connection_is_not_sent_so_a_write_is_retried() -> None:
    async with raw_server(_close_without_answer) as (url, _heads):
        pass  # the port is closed again: nothing listens there now
    async with httpx.AsyncClient(transport=AiohttpTransport(2)) as http:
        with pytest.raises(httpx.ConnectError):
            await http.post(f"{url}/core/runbooks", json={})
    async with CutoverClient(url, "t", retry=NEVER_RETRY_TWICE, sleep=no_wait) as api:
        with pytest.raises(Unreachable) as raised:
            await api.create("/core/runbooks", "runbook", {"name": "x"})
    assert not isinstance(raised.value, AmbiguousWrite)
    assert api.stats.total_requests == 3, "a write that never left may be sent again"


@pytest.mark.parametrize(
    ("handler", "expected"),
    [
        (_close_without_answer, httpx.RemoteProtocolError),
        (_status_line_then_close, httpx.RemoteProtocolError),
    ],
    ids=["closed-without-answer", "status-line-then-closed"],
)
async def test_a_write_without_a_whole_answer_is_ambiguous_and_never_resent(
    handler: Handler, expected: type[Exception]
) -> None:
    async with raw_server(handler) as (url, heads):
        async with httpx.AsyncClient(transport=AiohttpTransport(2)) as http:
            with pytest.raises(expected):
                await http.post(f"{url}/core/runbooks", json={"n": 1})
        heads.clear()
        async with CutoverClient(url, "t", retry=NEVER_RETRY_TWICE, sleep=no_wait) as api:
            with pytest.raises(AmbiguousWrite):
                await api.create("/core/runbooks", "runbook", {"name": "x"})
    assert len([h for h in heads if h.startswith(b"POST ")]) == 1, "the create was sent once"


async def test_a_read_timeout_after_sending_makes_a_write_ambiguous() -> None:
    async with raw_server(_never_answer) as (url, heads):
        async with httpx.AsyncClient(transport=AiohttpTransport(2), timeout=0.2) as http:
            with pytest.raises(httpx.ReadTimeout):
                await http.post(f"{url}/core/runbooks", json={})
        heads.clear()
        async with CutoverClient(url, "t", timeout=0.2, retry=NEVER_RETRY_TWICE) as api:
            with pytest.raises(AmbiguousWrite):
                await api.create("/core/runbooks", "runbook", {"name": "x"})
    assert len([h for h in heads if h.startswith(b"POST ")]) == 1


@pytest.mark.parametrize(
    ("failure", "expected"),
    [
        (aiohttp.ConnectionTimeoutError("connect"), httpx.ConnectTimeout),
        (aiohttp.SocketTimeoutError("read"), httpx.ReadTimeout),
        (TimeoutError(), httpx.ReadTimeout),
        (aiohttp.ServerDisconnectedError(), httpx.RemoteProtocolError),
        (aiohttp.ClientPayloadError("torn body"), httpx.ReadError),
        (aiohttp.ClientOSError(104, "Connection reset by peer"), httpx.ReadError),
        (aiohttp.InvalidURL("ftp://x"), httpx.UnsupportedProtocol),
    ],
)
def test_translation_keeps_sent_and_not_sent_apart(failure: Exception, expected: type) -> None:
    request = httpx.Request("POST", "http://127.0.0.1/core/runbooks")
    translated = translate(failure, request)
    assert type(translated) is expected
    assert translated.request is request


async def test_closing_the_client_closes_the_session() -> None:
    transport = AiohttpTransport(1)
    body = json.dumps({"data": []}).encode()

    async def once(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(_json_response(body))
        await writer.drain()

    async with raw_server(once) as (url, _heads), httpx.AsyncClient(transport=transport) as http:
        await http.get(url)
        session = transport._session
        assert session is not None and not session.closed
    assert session.closed and transport._session is None
