"""The Cycloid sandbox ASGI application: the gate (API key, faults, Content-Length) and the
routes of the operations runform uses, each at the method and path Cycloid serves it."""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Callable
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from runform.core.sandbox_kit.documents import Documents
from runform.core.sandbox_kit.faults import FaultConfig
from runform.core.sandbox_kit.gate import WRITE_METHODS, delayed, drop_answer
from runform.providers.cycloid.sandbox import events, projects
from runform.providers.cycloid.sandbox import organization as org
from runform.providers.cycloid.sandbox.context import Context
from runform.providers.cycloid.sandbox.errors import CODES, ApiError
from runform.providers.cycloid.sandbox.seed import ORGANIZATION, seed

SANDBOX_API_KEY = "cycloid-sandbox-0123456789abcdef0123456789abcdef"
SANDBOX_VERSION = "v6.2.62"
log = logging.getLogger(__name__)

ORG = "/organizations/{organization}"
ROUTES: tuple[tuple[str, str, Callable[[Context], Response]], ...] = (
    ("GET", ORG + "/roles", org.list_roles),
    ("POST", ORG + "/roles", org.create_role),
    ("GET", ORG + "/roles/{role}", org.get_role),
    ("PUT", ORG + "/roles/{role}", org.update_role),
    ("DELETE", ORG + "/roles/{role}", org.delete_role),
    ("GET", ORG + "/teams", org.list_teams),
    ("POST", ORG + "/teams", org.create_team),
    ("GET", ORG + "/teams/{team}", org.get_team),
    ("PUT", ORG + "/teams/{team}", org.update_team),
    ("DELETE", ORG + "/teams/{team}", org.delete_team),
    ("GET", ORG + "/teams/{team}/members", org.list_team_members),
    ("POST", ORG + "/teams/{team}/members", org.assign_member),
    ("GET", ORG + "/teams/{team}/members/{member_id}", org.get_team_member),
    ("DELETE", ORG + "/teams/{team}/members/{member_id}", org.unassign_member),
    ("GET", ORG + "/members", org.list_members),
    ("GET", ORG + "/credentials", org.list_credentials),
    ("POST", ORG + "/credentials", org.create_credential),
    ("GET", ORG + "/credentials/{credential}", org.get_credential),
    ("PUT", ORG + "/credentials/{credential}", org.update_credential),
    ("DELETE", ORG + "/credentials/{credential}", org.delete_credential),
    ("GET", ORG + "/config_repositories", org.list_config_repositories),
    ("POST", ORG + "/config_repositories", org.create_config_repository),
    ("GET", ORG + "/config_repositories/{config_repository}", org.get_config_repository),
    ("PUT", ORG + "/config_repositories/{config_repository}", org.update_config_repository),
    ("DELETE", ORG + "/config_repositories/{config_repository}", org.delete_config_repository),
    ("GET", ORG + "/projects", projects.list_projects),
    ("POST", ORG + "/projects", projects.create_project),
    ("GET", ORG + "/projects/{project}", projects.get_project),
    ("PUT", ORG + "/projects/{project}", projects.update_project),
    ("DELETE", ORG + "/projects/{project}", projects.delete_project),
    ("GET", ORG + "/projects/{project}/environments", projects.list_environments),
    ("POST", ORG + "/projects/{project}/environments", projects.create_environment),
    ("GET", ORG + "/projects/{project}/environments/{environment}", projects.get_environment),
    ("PUT", ORG + "/projects/{project}/environments/{environment}", projects.update_environment),
    ("DELETE", ORG + "/projects/{project}/environments/{environment}", projects.delete_environment),
    ("GET", ORG + "/infra_policies", org.list_infra_policies),
    ("POST", ORG + "/infra_policies", org.create_infra_policy),
    ("GET", ORG + "/infra_policies/{infra_policy}", org.get_infra_policy),
    ("PUT", ORG + "/infra_policies/{infra_policy}", org.update_infra_policy),
    ("DELETE", ORG + "/infra_policies/{infra_policy}", org.delete_infra_policy),
    ("GET", ORG + "/events", events.get_events),
    ("POST", ORG + "/events", events.send_event),
)
PUBLIC_PATHS = ("/version",)  # getAppVersion lists no authorization


def create_app(
    db_path: str = ":memory:",
    api_key: str = SANDBOX_API_KEY,
    faults: FaultConfig | None = None,
    version: str = SANDBOX_VERSION,
    organization: str = ORGANIZATION,
) -> Starlette:
    """A Cycloid-compatible API over SQLite at `db_path`, seeded with one organization."""
    store = Documents(db_path)
    with store.lock:
        if store.is_empty():
            seed(store, organization)
    routes = [
        Route("/version", _version, methods=["GET"]),
        Route("/organizations/{organization}", _endpoint(store, _organization), methods=["GET"]),
    ]
    routes += [
        Route(path, _endpoint(store, handler), methods=[method]) for method, path, handler in ROUTES
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(Gate)],
        exception_handlers={HTTPException: _http_error},
    )
    app.state.store = store
    app.state.api_key = api_key
    app.state.faults = faults if faults is not None else FaultConfig()
    app.state.version = version
    return app


def _organization(ctx: Context) -> Response:
    return JSONResponse({"data": ctx.store.get("organization", "", ctx.organization)})


async def _version(request: Request) -> Response:
    version = request.app.state.version
    return JSONResponse(
        {"data": {"version": version, "revision": "5a4db0c3e1f2", "branch": "sandbox"}}
    )


def _endpoint(store: Documents, handler: Callable[[Context], Response]) -> Callable[..., object]:
    async def endpoint(request: Request) -> Response:
        try:
            body = await _body(request)
            params = {k: str(value) for k, value in request.path_params.items()}
            with store.lock:
                if store.get("organization", "", params["organization"]) is None:
                    raise ApiError(
                        404, f"the organization {params['organization']!r} was not found"
                    )
                context = Context(
                    store, params["organization"], params, parse_qs(request.url.query), body
                )
                return handler(context)
        except ApiError as failure:
            return failure.response()
        except Exception:
            log.exception("sandbox failed on %s %s", request.method, request.url.path)
            return ApiError(500, "the sandbox failed").response()

    return endpoint


async def _body(request: Request) -> dict[str, object]:
    if request.method not in ("POST", "PUT"):
        return {}
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as err:
        raise ApiError(400, f"malformed JSON: {err}") from None
    if not isinstance(body, dict):
        raise ApiError(400, "the body must be a JSON object")
    return body


async def _http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    status = status if status in CODES else 404
    return ApiError(status, f"no route for {request.method} {request.url.path}").response()


class Gate:
    """Latency, the API key (a wrong one is 403), 411 for a body-less PUT, then faults."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope["app"].state
        faults: FaultConfig = state.faults
        if faults.latency_ms:
            send = delayed(send, faults.latency_ms / 1000)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        failure = None
        if scope["path"] not in PUBLIC_PATHS:
            failure = _check_key(headers.get("authorization"), state.api_key)
        method = scope["method"]
        if (
            failure is None
            and method == "PUT"
            and not ("content-length" in headers or "transfer-encoding" in headers)
        ):
            failure = ApiError(411, "a PUT needs a Content-Length")
        if failure is None:
            fault = faults.decide(method in WRITE_METHODS)
            if fault.kind in ("throttle", "rate_limited", "error"):
                failure = ApiError(fault.status, "injected by the sandbox")
                if fault.kind == "throttle":
                    failure.headers["Retry-After"] = str(faults.retry_after)
            elif fault.kind == "drop":
                await drop_answer(self.app, scope, receive, faults.latency_ms / 1000)
                return
        if failure is not None:
            await failure.response()(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _check_key(authorization: str | None, api_key: str) -> ApiError | None:
    if not authorization:
        return ApiError(401, "an API key is required (Authorization: Bearer KEY)")
    scheme, _, given = authorization.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        given.strip().encode(), api_key.encode()
    ):
        return ApiError(403, "the API key is not valid for this organization")
    return None
