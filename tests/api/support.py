"""Ways to reach the sandbox, and an ASGI recorder for what reached it."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from runform.providers.cutover.api import CutoverClient, RetryPolicy

# Waits are recorded by the client, not spent, unless a test wants real time to pass.
QUICK_RETRY = RetryPolicy(max_attempts=4, base_delay=0.01, max_delay=0.05, max_total_wait=5.0)


async def no_wait(_seconds: float) -> None:
    await asyncio.sleep(0)


@dataclass
class Target:
    """One way of reaching the sandbox, and what the client needs to do so."""

    kind: str
    handle: Any
    transport_factory: Callable[[], httpx.AsyncBaseTransport | None]

    @property
    def base_url(self) -> str:
        return self.handle.base_url

    @property
    def token(self) -> str:
        return self.handle.token

    @property
    def faults(self) -> Any:
        return self.handle.faults

    def client(self, token: str | None = None, **options: Any) -> CutoverClient:
        options.setdefault("retry", QUICK_RETRY)
        options.setdefault("sleep", no_wait)
        options.setdefault("seed", 7)
        return CutoverClient(
            self.base_url, token or self.token, self.transport_factory(), **options
        )


@dataclass
class Recorder:
    """An ASGI wrapper that counts what reached the app: the server side of the story."""

    app: Any
    paths: Counter[str] = field(default_factory=Counter)
    headers: list[dict[str, str]] = field(default_factory=list)
    reshape: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    # The raw body of each answer by request path (any status): for answers no JSON holds.
    rewrite: Callable[[str, bytes], bytes] | None = None

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"").decode()
        self.paths[f"{scope['method']} {scope['path']}?{query}"] += 1
        self.headers.append({k.decode().lower(): v.decode() for k, v in scope["headers"]})
        if self.reshape is None and self.rewrite is None:
            await self.app(scope, receive, send)
            return
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: dict) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = b"".join(chunks)
            if self.reshape is not None and start["status"] == 200 and body:
                body = json.dumps(self.reshape(json.loads(body))).encode()
            if self.rewrite is not None:
                body = self.rewrite(scope["path"], body)
            headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(body)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, capture)
