"""The Cycloid sandbox in-process (`cycloid`) and over real HTTP (`cycloid_server`), and a copy
of examples/cycloid to work in."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from runform.core.sandbox_kit.faults import FaultConfig
from runform.core.sandbox_kit.server import BackgroundServer
from runform.core.sandbox_kit.transport import InProcessTransport
from runform.providers.cycloid.client import CycloidClient
from runform.providers.cycloid.sandbox import SANDBOX_API_KEY, create_app

EXAMPLE = Path(__file__).parents[2] / "examples" / "cycloid"
KEY = SANDBOX_API_KEY


@dataclass
class Cycloid:
    app: Starlette
    base_url: str
    transport: httpx.AsyncBaseTransport | None = None

    @property
    def faults(self) -> FaultConfig:
        return self.app.state.faults

    def http(self, key: str | None = KEY) -> httpx.AsyncClient:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        return httpx.AsyncClient(base_url=self.base_url, headers=headers, transport=self.transport)

    def client(self) -> CycloidClient:
        return CycloidClient(self.base_url, KEY, self.transport)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def cycloid() -> Cycloid:
    app = create_app()
    return Cycloid(app, "http://cycloid", InProcessTransport(app))


@pytest.fixture
def cycloid_server(tmp_path: Path) -> Iterator[Cycloid]:
    app = create_app(str(tmp_path / "cycloid.sqlite3"))
    with BackgroundServer(app) as server:
        yield Cycloid(app, server.base_url)


@pytest.fixture(params=["in_process", "http"])
def either(request: pytest.FixtureRequest) -> Cycloid:
    name = "cycloid" if request.param == "in_process" else "cycloid_server"
    return request.getfixturevalue(name)


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of examples/cycloid, its own project (runform.yaml) with no state yet."""
    target = tmp_path / "project"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns(".runform"))
    return target
