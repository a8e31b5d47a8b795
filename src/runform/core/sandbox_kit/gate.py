"""Request-level faults any sandbox's gate applies: a delayed answer and a dropped one."""

from __future__ import annotations

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# A scope extension the served sandbox provides: close this request's connection unanswered.
CLOSE_CONNECTION = "runform.close_connection"
WRITE_METHODS = ("POST", "PATCH", "PUT", "DELETE")


async def drop_answer(app: ASGIApp, scope: Scope, receive: Receive, delay: float) -> None:
    """Handle (and commit) the write, then close the connection with no response at all."""

    async def unanswered(message: Message) -> None:
        """The app's answer goes nowhere."""

    await app(scope, receive, unanswered)
    close = scope.get("extensions", {}).get(CLOSE_CONNECTION)
    if close is None:  # in-process: the client's transport sees the connection fail
        raise ConnectionResetError("the sandbox dropped this response (fault injection)")
    if delay:
        await anyio.sleep(delay)
    close()
    while (await receive())["type"] != "http.disconnect":
        pass  # wait until the server knows, or it would answer 500 for the app


def delayed(send: Send, seconds: float) -> Send:
    """`send`, holding the response back `seconds` before its first byte leaves.

    Latency stands in for a distant server, so the request is handled the moment it arrives
    and only the answer waits. Waiting before handling made requests that arrived within the
    same millisecond wake together (the event loop's timers tick in milliseconds) and queue
    behind each other's work, which added to every call a delay that no network has.
    """

    async def send_later(message: Message) -> None:
        if message["type"] == "http.response.start":
            await anyio.sleep(seconds)
        await send(message)

    return send_later
