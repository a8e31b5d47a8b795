"""Shared fixtures: the sandbox in-process (`sandbox`) and over real HTTP (`sandbox_server`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, settings
from starlette.applications import Starlette

from runform.core.sandbox_kit.server import BackgroundServer
from runform.core.sandbox_kit.transport import InProcessTransport
from runform.providers.cutover.api import CutoverClient
from runform.providers.cutover.sandbox import (
    SANDBOX_READ_ONLY_TOKEN,
    SANDBOX_TOKEN,
    FaultConfig,
    create_app,
)
from runform.providers.cutover.sandbox.search import SearchIndex

API_VERSION = "2022-02-22"

# Property tests check behaviour, not speed: on a loaded 2-core CI machine a first example can
# take longer than hypothesis's default 200 ms deadline, which would fail a correct test.
settings.register_profile("runform", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("runform")


@dataclass
class SandboxHandle:
    """A sandbox app and how to reach it; `faults` is the app's live FaultConfig."""

    app: Starlette
    base_url: str
    token: str = SANDBOX_TOKEN
    read_only_token: str = SANDBOX_READ_ONLY_TOKEN
    transport: httpx.AsyncBaseTransport | None = None
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def faults(self) -> FaultConfig:
        return self.app.state.faults

    @property
    def search_index(self) -> SearchIndex:
        """The app's live `query` index: set `delay_requests`/`delay_seconds` to hide new
        runbooks from fuzzy search, as Cutover's indexing delay may."""
        return self.app.state.search_index

    def client(self, token: str | None = None, **kwargs: object) -> httpx.AsyncClient:
        """An httpx client with auth and Api-Version set, over this sandbox's transport."""
        headers = {
            "Authorization": f"Bearer {token or self.token}",
            "Api-Version": API_VERSION,
            "Accept": "application/vnd.api+json",
        }
        return httpx.AsyncClient(
            base_url=self.base_url, headers=headers, transport=self.transport, **kwargs
        )


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def sandbox() -> SandboxHandle:
    """The sandbox in-process over httpx.ASGITransport, fresh `:memory:` db per test."""
    app = create_app(":memory:")
    return SandboxHandle(
        app=app, base_url="http://sandbox.local", transport=InProcessTransport(app=app)
    )


def _served() -> Iterator[SandboxHandle]:
    app = create_app(":memory:")
    with BackgroundServer(app) as server:
        yield SandboxHandle(app=app, base_url=server.base_url)


@pytest.fixture
def sandbox_server() -> Iterator[SandboxHandle]:
    """The sandbox served by uvicorn on 127.0.0.1 at a free port, fresh db per test."""
    yield from _served()


@pytest.fixture
def serve_sandbox() -> Iterator[Callable[..., SandboxHandle]]:
    """Serve sandboxes made with `create_app` options (`paging=`, ...) on free ports."""
    with ExitStack() as servers:

        def start(**options: Any) -> SandboxHandle:
            app = create_app(":memory:", **options)
            server = servers.enter_context(BackgroundServer(app))
            return SandboxHandle(app=app, base_url=server.base_url)

        yield start


@pytest.fixture(scope="module")
def sandbox_server_module() -> Iterator[SandboxHandle]:
    """One served sandbox shared by a test module (tests must not rely on a clean db)."""
    yield from _served()


@pytest.fixture(params=["in_process", "http"])
async def client(request: pytest.FixtureRequest):
    """The real client against the sandbox: once over ASGI, once over uvicorn on loopback."""
    if request.param == "in_process":
        handle = request.getfixturevalue("sandbox")
        transport = InProcessTransport(app=handle.app)
    else:
        handle = request.getfixturevalue("sandbox_server")
        transport = None
    async with CutoverClient(handle.base_url, handle.token, transport) as api:
        yield api


@pytest.fixture
async def local_client(sandbox):
    """The client in-process only (for tests that only need the data, not the socket)."""
    async with CutoverClient(
        sandbox.base_url, sandbox.token, InProcessTransport(app=sandbox.app)
    ) as api:
        yield api


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regen-golden",
        action="store_true",
        help="Rewrite tests/golden/* from the renderers instead of comparing with them.",
    )


def pytest_configure(config: pytest.Config) -> None:
    """`--regen-golden` is the flag form of RUNFORM_REGEN_GOLDEN=1 (read by the golden tests)."""
    if config.getoption("--regen-golden", default=False):
        import os

        os.environ["RUNFORM_REGEN_GOLDEN"] = "1"


# What a developer's shell may hold that would reach the tests: a system's URL and token
# (the suite's requests would go to that tenant), a proxy, a log level, a lock directory.
SYSTEM_PREFIXES = ("CUTOVER_", "CYCLOID_", "RUNFORM_")
PROXIES = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts from an environment that names no system, no proxy and no CI: tests
    choose the local sandbox by configuring nothing, which CI=true (set by CI services)
    refuses; the tests of a variable set it themselves. RUNFORM_REGEN_GOLDEN stays."""
    import os

    monkeypatch.delenv("CI", raising=False)
    for name in list(os.environ):
        system = name.startswith(SYSTEM_PREFIXES) and name != "RUNFORM_REGEN_GOLDEN"
        if system or name.lower() in PROXIES:
            monkeypatch.delenv(name)
