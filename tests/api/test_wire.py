"""The lean HTTP/1.1 transport against a raw server: chunked, close-delimited, dropped."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from runform.api.wire import WireTransport

CHUNKED = (
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n"
    b'5\r\n{"a":\r\n3;ext=1\r\n 1}\r\n0\r\nX-Trailer: t\r\n\r\n'
)
CLOSE_DELIMITED = b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end"


async def _serve(replies: list[bytes | None]) -> tuple[asyncio.Server, str, list[bytes]]:
    """A server answering each request with the next reply (None: close without answering)."""
    seen: list[bytes] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while replies:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except asyncio.IncompleteReadError:
                break
            seen.append(head)
            reply = replies.pop(0)
            if reply is None:
                break
            writer.write(reply)
            await writer.drain()
            if b"Connection: close" in reply:
                break
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    return server, f"http://127.0.0.1:{port}", seen


def test_chunked_and_close_delimited_bodies() -> None:
    async def scenario() -> None:
        server, base, seen = await _serve([CHUNKED, CLOSE_DELIMITED])
        async with server, httpx.AsyncClient(base_url=base, transport=WireTransport()) as http:
            first = await http.get("/one", params={"q": "a b"})
            assert first.json() == {"a": 1}
            second = await http.get("/two")
            assert second.text == "until the end"
        assert seen[0].startswith(b"GET /one?q=a+b HTTP/1.1\r\n")
        assert b"\r\nHost: 127.0.0.1:" in seen[0]

    asyncio.run(scenario())


def test_a_connection_closed_without_an_answer_is_a_protocol_error() -> None:
    async def scenario() -> None:
        server, base, _ = await _serve([None])
        async with server, httpx.AsyncClient(base_url=base, transport=WireTransport()) as http:
            with pytest.raises(httpx.RemoteProtocolError):
                await http.post("/x", json={"a": 1})

    asyncio.run(scenario())


def test_nothing_listening_is_a_connect_error() -> None:
    async def scenario() -> None:
        server, base, _ = await _serve([])
        server.close()
        await server.wait_closed()
        async with httpx.AsyncClient(base_url=base, transport=WireTransport()) as http:
            with pytest.raises(httpx.ConnectError):
                await http.get("/")

    asyncio.run(scenario())
