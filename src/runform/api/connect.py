"""open_client: a configured Cutover, or with no URL the local sandbox in-process."""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx

from runform.api.client import CutoverClient
from runform.api.settings import ApiSettings

SANDBOX_BASE_URL = "http://sandbox.local"


@asynccontextmanager
async def open_client(
    settings: ApiSettings | None = None, **client_options: Any
) -> AsyncIterator[CutoverClient]:
    """A ready client for `settings` (read from the environment when not given)."""
    settings = settings or ApiSettings.from_env()
    if not settings.is_sandbox:
        async with CutoverClient.from_settings(settings, **client_options) as client:
            yield client
        return
    # Imported only here: the sandbox is an optional target, not part of the client.
    sandbox = importlib.import_module("runform.sandbox")
    db_path = settings.sandbox_db
    if db_path != ":memory:":
        Path(db_path).expanduser().parent.mkdir(parents=True, exist_ok=True)
    app = sandbox.create_app(db_path=db_path)
    client = CutoverClient(
        SANDBOX_BASE_URL,
        sandbox.SANDBOX_TOKEN,
        httpx.ASGITransport(app=app),
        api_version=settings.api_version,
        timeout=settings.timeout,
        max_concurrency=settings.max_concurrency,
        **client_options,
    )
    try:
        async with client:
            yield client
    finally:
        # The sandbox keeps its SQLite connection on app.state.store; release the file.
        store = getattr(app.state, "store", None)
        if store is not None and callable(getattr(store, "close", None)):
            store.close()
