"""The sandbox in-process, as a client sees a server: a dropped answer is a lost connection.

Over a socket, a response the sandbox drops reaches httpx as `RemoteProtocolError` ("server
disconnected"); in-process there is no connection to lose, so the app raises
`ConnectionResetError` and this transport reports it the way httpx reports the real thing.
Clients then need no rule for the sandbox: only httpx's transport errors mean "no answer".
"""

from __future__ import annotations

import httpx


class InProcessTransport(httpx.ASGITransport):
    """`httpx.ASGITransport` whose dropped answers look like a server disconnecting."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            return await super().handle_async_request(request)
        except ConnectionResetError as err:
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response.", request=request
            ) from err
