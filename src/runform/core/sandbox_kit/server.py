"""Serving the sandbox over HTTP with uvicorn, in the foreground or on a background thread."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from types import TracebackType

import uvicorn
from starlette.applications import Starlette
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from runform.core.sandbox_kit.gate import CLOSE_CONNECTION


def bind(host: str, port: int) -> socket.socket:
    """A listening socket (port 0 picks a free one)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted connections inherit this: without it, Nagle's algorithm and delayed ACKs add
    # about 40 ms to every small response over loopback.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


class _Server(uvicorn.Server):
    """A uvicorn server that reports when it is ready to accept requests."""

    def __init__(self, config: uvicorn.Config, on_ready: Callable[[], None] | None) -> None:
        super().__init__(config)
        self.on_ready = on_ready

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started and self.on_ready is not None:
            self.on_ready()


class _ClosableHttpProtocol(HttpToolsProtocol):
    """uvicorn's HTTP protocol, offering each request a way to close its connection unanswered.

    ASGI has no message for "hang up": an app that sends nothing gets a 500 from the server.
    The sandbox's dropped-response fault needs exactly that hang-up, so each request's scope
    carries the connection's `close` as the `runform.close_connection` extension.
    """

    def on_message_begin(self) -> None:
        super().on_message_begin()
        extensions: dict[str, object] = self.scope.setdefault("extensions", {})  # type: ignore[assignment]
        extensions[CLOSE_CONNECTION] = self.transport.close


def _config(app: Starlette) -> uvicorn.Config:
    return uvicorn.Config(
        app, http=_ClosableHttpProtocol, log_level="warning", access_log=False, lifespan="off"
    )


def serve(app: Starlette, host: str, port: int, on_ready: Callable[[str], None]) -> None:
    """Serve until interrupted; `on_ready(url)` is called once the socket accepts requests."""
    sock = bind(host, port)
    url = url_of(sock)
    server = _Server(_config(app), lambda: on_ready(url))
    server.run(sockets=[sock])


class BackgroundServer:
    """The app served on a thread, for tests and benchmarks: `with BackgroundServer(app) as s`."""

    def __init__(self, app: Starlette, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = app
        self._sock = bind(host, port)
        self.base_url = url_of(self._sock)
        self._ready = threading.Event()
        self._server = _Server(_config(app), self._ready.set)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True
        )

    def start(self) -> BackgroundServer:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the sandbox server did not start within 10 s")
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(10)
        self._sock.close()

    def __enter__(self) -> BackgroundServer:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()
