"""The sandbox ASGI application: routes, request parsing, error documents."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from runform.core.sandbox_kit.faults import FaultConfig
from runform.providers.cutover.sandbox.context import Context
from runform.providers.cutover.sandbox.guard import Guard
from runform.providers.cutover.sandbox.instance import API_VERSIONS, Instance
from runform.providers.cutover.sandbox.jsonapi import ApiFailure, error_response
from runform.providers.cutover.sandbox.paging import PagingStyle
from runform.providers.cutover.sandbox.resources import (
    audit_logs,
    custom_fields,
    directory,
    people,
    progress,
    runbook_teams,
    runbooks,
    streams,
    tasks,
)
from runform.providers.cutover.sandbox.search import SearchIndex
from runform.providers.cutover.sandbox.seed import seed
from runform.providers.cutover.sandbox.store import Store

SANDBOX_TOKEN = "0123456789abcdef0123456789abcdef0123456789abcdef"
SANDBOX_READ_ONLY_TOKEN = "fedcba9876543210fedcba9876543210fedcba9876543210"

Handler = Callable[[Context], Response]
log = logging.getLogger(__name__)

# Starlette tries routes in order and no two patterns overlap, so the busiest (a runbook's
# tasks, then streams and runbooks) come first: each request tests fewer patterns.
ROUTE_TABLES = (
    tasks.ROUTES,
    streams.ROUTES,
    runbooks.ROUTES,
    runbook_teams.ROUTES,
    progress.ROUTES,
    directory.ROUTES,
    people.ROUTES,
    custom_fields.ROUTES,
    audit_logs.ROUTES,
)


def create_app(
    db_path: str = ":memory:",
    token: str = SANDBOX_TOKEN,
    read_only_token: str | None = SANDBOX_READ_ONLY_TOKEN,
    faults: FaultConfig | None = None,
    core_version: str | None = None,
    earliest_api_version: str = API_VERSIONS[0],
    index_delay_seconds: float = 0.0,
    index_delay_requests: int = 0,
    paging: PagingStyle | None = None,
) -> Starlette:
    """A Cutover-compatible API over SQLite at `db_path` (seeded when new).

    `core_version` plays an instance whose Core is as old as that API reference: its newer
    endpoints answer 405 whatever `Api-Version` is pinned; None (the default) is today's
    Core with every endpoint. `earliest_api_version` is the version it was first provisioned
    at, the one a request without `Api-Version` runs at (`sandbox.instance`).
    `index_delay_seconds` and `index_delay_requests` keep a new runbook out of `query`
    results for that long after it is made (`app.state.search_index`, changeable live).
    `paging` writes list links and counts in one of the shapes Cutover may send.
    """
    instance = Instance(core_version, earliest_api_version)
    if index_delay_seconds < 0 or index_delay_requests < 0:
        raise ValueError("an index delay cannot be negative")
    store = Store(db_path)
    search = SearchIndex(index_delay_seconds, index_delay_requests)
    with store.lock:
        if store.is_empty():
            seed(store)
    style = paging if paging is not None else PagingStyle()
    routes = [
        Route(path, _endpoint(store, search, style, handler), methods=[method])
        for table in ROUTE_TABLES
        for method, path, handler in table
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(Guard)],
        exception_handlers={HTTPException: _http_error},
    )
    app.state.store = store
    app.state.token = token
    app.state.read_only_token = read_only_token
    app.state.faults = faults if faults is not None else FaultConfig()
    app.state.instance = instance
    app.state.search_index = search
    app.state.paging = style
    return app


def _endpoint(
    store: Store, search: SearchIndex, paging: PagingStyle, handler: Handler
) -> Callable[[Request], object]:
    async def endpoint(request: Request) -> Response:
        try:
            body = await _body(request)
            context = Context(
                store=store,
                method=request.method,
                path=request.url.path,
                base_url=str(request.base_url).rstrip("/"),
                query=dict(request.query_params),
                path_params={key: str(value) for key, value in request.path_params.items()},
                body=body,
                search=search,
                paging=paging,
            )
            with store.lock:
                search.count_request()
                store.refresh()
                return handler(context)
        except ApiFailure as failure:
            return error_response(failure)
        except Exception:
            log.exception("sandbox failed on %s %s", request.method, request.url.path)
            return error_response(
                ApiFailure.one(500, "the sandbox failed", "internal_server_error")
            )

    return endpoint


async def _body(request: Request) -> dict[str, object]:
    """The JSON body (empty allowed); 400 when it is not a JSON object."""
    if request.method not in ("POST", "PATCH", "PUT"):
        return {}
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as err:
        raise ApiFailure.one(400, f"malformed JSON: {err}", "invalid", pointer="") from None
    if not isinstance(body, dict):
        raise ApiFailure.one(400, "the body must be a JSON object", "invalid", pointer="")
    return body


async def _http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    # The reference's table has no code for a 405 ("not implemented yet in the API").
    code = None if status == 405 else "not_found" if status == 404 else "invalid"
    detail = f"no route for {request.method} {request.url.path}"
    return error_response(ApiFailure.one(status, detail, code))
