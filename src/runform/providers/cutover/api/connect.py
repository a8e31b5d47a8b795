"""open_client: a configured Cutover, or with no URL the local sandbox in-process."""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from runform.errors import ConfigError
from runform.providers.cutover.api.client import CutoverClient
from runform.providers.cutover.api.settings import ApiSettings

SANDBOX_BASE_URL = "http://sandbox.local"


def sandbox_label(db: str) -> str:
    """How plans, prompts and summaries name the local sandbox."""
    return f"the local sandbox at {db}"


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
    from runform.core.sandbox_kit.transport import InProcessTransport

    app = open_sandbox(settings.sandbox_db)
    client = CutoverClient(
        SANDBOX_BASE_URL,
        app.state.token,
        InProcessTransport(app=app),
        api_version=settings.api_version,
        timeout=settings.timeout,
        max_concurrency=settings.max_concurrency,
        label=sandbox_label(settings.sandbox_name or settings.sandbox_db),
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


def open_sandbox(db_path: str, **app_options: Any) -> Any:
    """The sandbox app over `db_path` (made with its folder when new), or a ConfigError."""
    # Imported only here: the sandbox is an optional target, not part of the client.
    import sqlite3

    sandbox = importlib.import_module("runform.providers.cutover.sandbox")
    try:
        if db_path != ":memory:":
            Path(db_path).expanduser().parent.mkdir(parents=True, exist_ok=True)
        return sandbox.create_app(db_path=db_path, **app_options)
    except (OSError, sqlite3.Error) as err:
        reason = getattr(err, "strerror", None) or str(err)
        raise ConfigError(
            f"the sandbox database {db_path} cannot be opened: {reason} "
            "(move it aside to start a fresh sandbox)"
        ) from None
