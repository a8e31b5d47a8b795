"""The network transport: httpx's requests and responses, carried by aiohttp's connections.

httpx is runform's HTTP interface (requests, responses, timeouts, the in-process ASGI
transport, proxies; see runform.core.http.sending). Its default network layer, httpcore over anyio,
spends about 1.2-1.9 ms of CPU per request on this kind of small JSON:API call; aiohttp's
connector and C parser do the same work in about 0.45 ms. An apply of a thousand calls keeps
ten in flight, and that CPU is what keeps the event loop from answering the next response.

The one thing this adapter owns is the meaning of failures, because apply's safety depends
on it: a failure before the request left (connect, DNS, TLS refusal, connect timeout) becomes
httpx.ConnectError / ConnectTimeout, which the client may retry even for writes; anything
after (reset, disconnect, a torn or unparsable response, a read timeout) becomes a
ReadError / RemoteProtocolError / ReadTimeout, which makes a write ambiguous.
"""

from __future__ import annotations

import ssl

import httpx
from yarl import URL

from runform.core.http.aiohttp_import import importing_aiohttp

with importing_aiohttp():  # without its unused default contexts loading the CA file
    import aiohttp

HTTP_1_1 = b"HTTP/1.1"
# A connection idle longer than this is not reused. Servers close idle connections after a
# few seconds (uvicorn and Apache after 5); if that happens while the event loop is busy or
# blocked (the apply prompt waits for "yes"), nobody notices, and the next write sent on the
# dead connection would come back ambiguous. Checked when a connection is taken from the pool.
KEEPALIVE_EXPIRY = 4.0


class AiohttpTransport(httpx.AsyncBaseTransport):
    """An httpx transport over one aiohttp session, opened on first use in the running loop.

    Responses are read whole: Cutover's JSON:API documents are small, and reading inside the
    transport keeps every network failure in one place.
    """

    def __init__(
        self,
        max_connections: int,
        ssl_context: ssl.SSLContext | None = None,
        *,
        keepalive_expiry: float = KEEPALIVE_EXPIRY,
    ) -> None:
        self._max_connections = max_connections
        self._keepalive_expiry = keepalive_expiry
        self._ssl = ssl_context
        self._session: aiohttp.ClientSession | None = None

    def _open(self, scheme: str) -> aiohttp.ClientSession:
        if self._ssl is None and scheme == "https":
            # The same CA bundle and SSL_CERT_FILE / SSL_CERT_DIR handling as httpx's own
            # transport; made only for https (loading the bundle takes about 30 ms).
            self._ssl = httpx.create_ssl_context(verify=True)
        # ssl=True: aiohttp's default, verifying context, should an https URL come later.
        connector = aiohttp.TCPConnector(
            limit=self._max_connections,
            ssl=self._ssl or True,
            keepalive_timeout=self._keepalive_expiry,
        )
        return aiohttp.ClientSession(
            connector=connector,
            cookie_jar=aiohttp.DummyCookieJar(),  # the API is stateless; httpx keeps the jar
            auto_decompress=False,  # httpx decodes Content-Encoding, as for its own transport
            skip_auto_headers=("User-Agent", "Accept-Encoding"),  # httpx sets the real ones
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self._session is None:
            self._session = self._open(request.url.scheme)
        timeouts = request.extensions.get("timeout", {})
        timeout = aiohttp.ClientTimeout(
            total=None,
            connect=timeouts.get("pool"),
            sock_connect=timeouts.get("connect"),
            sock_read=timeouts.get("read"),
        )
        body = await request.aread()
        try:
            async with self._session.request(
                request.method,
                URL(str(request.url), encoded=True),  # on the wire exactly as httpx encoded it
                headers=request.headers.multi_items(),
                data=body or None,
                allow_redirects=False,
                timeout=timeout,
            ) as answer:
                content = await answer.read()
                status, reason, headers = answer.status, answer.reason, answer.raw_headers
        except (TimeoutError, aiohttp.ClientError) as err:
            raise translate(err, request) from err
        extensions = {"http_version": HTTP_1_1}
        if reason:
            extensions["reason_phrase"] = reason.encode("ascii", "replace")
        return httpx.Response(
            status,
            headers=list(headers),
            stream=httpx.ByteStream(content),
            request=request,
            extensions=extensions,
        )

    async def aclose(self) -> None:
        if self._session is not None:
            session, self._session = self._session, None
            await session.close()


def translate(err: BaseException, request: httpx.Request) -> httpx.TransportError:
    """The httpx failure that says whether the request may have reached the server."""
    message = str(err) or type(err).__name__
    # Before anything was sent: refused, unresolvable, TLS refused, or too slow to connect.
    if isinstance(err, aiohttp.ConnectionTimeoutError):
        return httpx.ConnectTimeout(message, request=request)
    if isinstance(err, aiohttp.ClientConnectorError):
        return httpx.ConnectError(message, request=request)
    if isinstance(err, aiohttp.InvalidURL):
        return httpx.UnsupportedProtocol(message, request=request)
    # After sending began: the server may have acted on it.
    if isinstance(err, (aiohttp.SocketTimeoutError, aiohttp.ServerTimeoutError, TimeoutError)):
        return httpx.ReadTimeout(message, request=request)
    if isinstance(err, (aiohttp.ServerDisconnectedError, aiohttp.ClientResponseError)):
        return httpx.RemoteProtocolError(message, request=request)
    return httpx.ReadError(message, request=request)
