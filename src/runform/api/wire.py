"""A lean HTTP/1.1 transport under httpx: keep-alive connections, one write per request.

httpx's own transport spends about 1 ms of CPU per request in its layers of streams, pools
and locks, ten times what the exchange itself costs; runform sends one request per task it
creates, so that overhead bounded apply. This transport speaks HTTP/1.1 over asyncio streams
and hands back ordinary `httpx.Response`s, raising httpx's own exception types, so the client
above it (retries, ambiguous writes, TLS verification, error mapping) works unchanged.
"""

from __future__ import annotations

import asyncio
import ssl
from urllib.request import getproxies

import httpx

MAX_HEADER_BYTES = 64 * 1024
NO_BODY_STATUSES = (204, 304)


def lean_transport_for(base_url: str, max_connections: int) -> WireTransport | None:
    """The lean transport, unless a proxy is configured (httpx's transport honours proxies)."""
    scheme = httpx.URL(base_url).scheme
    proxies = getproxies()
    if proxies.get(scheme) or proxies.get("all"):
        return None
    return WireTransport(max_idle=max_connections)


class _Connection:
    """One keep-alive connection and the streams that read and write it."""

    __slots__ = ("reader", "writer")

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    def reusable(self) -> bool:
        """False once the server closed it while idle (or anything else broke it)."""
        return not (self.writer.is_closing() or self.reader.at_eof() or self.reader.exception())

    def close(self) -> None:
        self.writer.close()


class WireTransport(httpx.AsyncBaseTransport):
    """HTTP/1.1 with a pool of idle connections per origin; TLS verified like httpx does."""

    def __init__(self, *, max_idle: int = 10, ssl_context: ssl.SSLContext | None = None) -> None:
        self._max_idle = max_idle
        self._ssl_context = ssl_context
        self._idle: dict[tuple[str, str, int], list[_Connection]] = {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        scheme = url.scheme
        if scheme not in ("http", "https"):
            raise httpx.UnsupportedProtocol(f"unsupported URL scheme {scheme!r}", request=request)
        origin = (scheme, url.host, url.port or (443 if scheme == "https" else 80))
        timeouts = request.extensions.get("timeout") or {}
        payload = _encode(request, await request.aread())
        connection = await self._checkout(origin, timeouts.get("connect"), request)
        try:
            try:
                async with asyncio.timeout(timeouts.get("write")):
                    connection.writer.write(payload)
                    await connection.writer.drain()
            except TimeoutError:
                raise httpx.WriteTimeout("timed out sending the request", request=request) from None
            except OSError as err:
                raise httpx.WriteError(str(err) or type(err).__name__, request=request) from None
            try:
                async with asyncio.timeout(timeouts.get("read")):
                    response, keep = await _read_response(connection.reader, request)
            except TimeoutError:
                raise httpx.ReadTimeout("timed out reading the response", request=request) from None
            except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as err:
                raise httpx.RemoteProtocolError(
                    f"the server closed the connection or sent a malformed response ({err})",
                    request=request,
                ) from None
            except OSError as err:
                raise httpx.ReadError(str(err) or type(err).__name__, request=request) from None
        except BaseException:
            connection.close()
            raise
        if keep:
            self._checkin(origin, connection)
        else:
            connection.close()
        return response

    async def _checkout(
        self, origin: tuple[str, str, int], timeout: float | None, request: httpx.Request
    ) -> _Connection:
        idle = self._idle.get(origin)
        while idle:
            connection = idle.pop()
            if connection.reusable():
                return connection
            connection.close()
        scheme, host, port = origin
        context = None
        if scheme == "https":
            if self._ssl_context is None:
                self._ssl_context = httpx.create_ssl_context(verify=True)
            context = self._ssl_context
        try:
            async with asyncio.timeout(timeout):
                reader, writer = await asyncio.open_connection(
                    host,
                    port,
                    ssl=context,
                    server_hostname=host if context else None,
                    limit=MAX_HEADER_BYTES,
                )
        except TimeoutError:
            raise httpx.ConnectTimeout(f"timed out connecting to {host}", request=request) from None
        except OSError as err:
            raise httpx.ConnectError(str(err) or type(err).__name__, request=request) from None
        return _Connection(reader, writer)

    def _checkin(self, origin: tuple[str, str, int], connection: _Connection) -> None:
        idle = self._idle.setdefault(origin, [])
        if len(idle) < self._max_idle:
            idle.append(connection)
        else:
            connection.close()

    async def aclose(self) -> None:
        """Close every idle connection."""
        for idle in self._idle.values():
            for connection in idle:
                connection.close()
        self._idle.clear()


def _encode(request: httpx.Request, body: bytes) -> bytes:
    """Request line, headers and body as one buffer (one write, one packet when small)."""
    lines = [request.method.encode("ascii"), b" ", request.url.raw_path, b" HTTP/1.1\r\n"]
    for name, value in request.headers.raw:
        if b"\r" in name + value or b"\n" in name + value:
            raise httpx.LocalProtocolError("a header contains a line break", request=request)
        lines += [name, b": ", value, b"\r\n"]
    lines.append(b"\r\n")
    lines.append(body)
    return b"".join(lines)


async def _read_response(
    reader: asyncio.StreamReader, request: httpx.Request
) -> tuple[httpx.Response, bool]:
    """The response and whether its connection can carry another request."""
    while True:
        head = await reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head[:-4].split(b"\r\n")
        version, _, rest = status_line.partition(b" ")
        code, _, reason = rest.partition(b" ")
        status = int(code)
        if not version.startswith(b"HTTP/1.") or not 100 <= status <= 599:
            raise ValueError(f"bad status line {status_line[:80]!r}")
        if status >= 200 or status == 101:
            break  # 1xx interim responses are skipped
    headers = []
    for line in header_lines:
        name, colon, value = line.partition(b":")
        if not colon:
            raise ValueError(f"bad header line {line[:80]!r}")
        headers.append((name.strip(), value.strip()))
    fields = {name.lower(): value for name, value in headers}
    connection = fields.get(b"connection", b"").lower()
    keep = b"close" not in connection and (version == b"HTTP/1.1" or b"keep-alive" in connection)
    if request.method == "HEAD" or status in NO_BODY_STATUSES or status < 200:
        body = b""
    elif b"chunked" in fields.get(b"transfer-encoding", b"").lower():
        body = await _read_chunked(reader)
    elif b"content-length" in fields:
        body = await reader.readexactly(int(fields[b"content-length"]))
    else:
        body, keep = await reader.read(), False  # delimited by the connection closing
    response = httpx.Response(
        status,
        headers=headers,
        stream=httpx.ByteStream(body),
        request=request,
        extensions={"http_version": version, "reason_phrase": reason},
    )
    return response, keep


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    parts = []
    while True:
        size_line = await reader.readuntil(b"\r\n")
        size = int(size_line.split(b";", 1)[0].strip(), 16)
        if size == 0:
            while await reader.readuntil(b"\r\n") != b"\r\n":
                pass  # trailers, ignored
            return b"".join(parts)
        chunk = await reader.readexactly(size + 2)
        parts.append(chunk[:-2])
