"""The gate every request passes: latency, auth, Api-Version, read-only token, faults."""

from __future__ import annotations

import hmac

from starlette.types import ASGIApp, Receive, Scope, Send

from runform.core.sandbox_kit.faults import FaultConfig
from runform.core.sandbox_kit.gate import CLOSE_CONNECTION, WRITE_METHODS, delayed, drop_answer
from runform.providers.cutover.sandbox.instance import API_VERSIONS, Instance
from runform.providers.cutover.sandbox.jsonapi import ApiFailure, error_response

__all__ = ["API_VERSIONS", "CLOSE_CONNECTION", "Guard"]
FAULT_CODES = {
    429: "too_many_requests",
    500: "internal_server_error",
    503: "service_unavailable",
    504: "gateway_timeout",
}


class Guard:
    """ASGI middleware reading its settings from `app.state` so tests can change them live."""

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
        method = scope["method"]
        is_write = method in WRITE_METHODS
        headers = {key.decode("latin-1").lower(): value for key, value in scope["headers"]}
        failure = _check_request(headers, is_write, state.token, state.read_only_token)
        instance: Instance = state.instance
        if failure is None:
            pinned = headers.get("api-version")
            # Nothing here differs by version (endpoints are added to existing versions), but
            # a pin the instance does not serve is refused.
            version = instance.request_version(None if pinned is None else pinned.decode("latin-1"))
            if isinstance(version, ApiFailure):
                failure = version
        if failure is None:
            failure = instance.check_endpoint(method, scope["path"])
        if failure is None:
            fault = faults.decide(is_write)
            if fault.kind in ("throttle", "rate_limited", "error"):
                failure = ApiFailure.one(
                    fault.status, "injected by the sandbox", FAULT_CODES[fault.status]
                )
                if fault.kind == "throttle":
                    failure.headers["Retry-After"] = str(faults.retry_after)
            elif fault.kind == "drop":
                await drop_answer(self.app, scope, receive, faults.latency_ms / 1000)
                return
        if failure is not None:
            await error_response(failure)(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _check_request(
    headers: dict[str, bytes], is_write: bool, token: str, read_only_token: str | None
) -> ApiFailure | None:
    """401 for a missing or wrong token, 400 for an unknown Api-Version, 403 read-only writes."""
    authorization = headers.get("authorization", b"").decode("latin-1")
    scheme, _, given = authorization.partition(" ")
    given = given.strip()
    full = scheme.lower() == "bearer" and hmac.compare_digest(given.encode(), token.encode())
    read_only = (
        not full
        and read_only_token is not None
        and scheme.lower() == "bearer"
        and hmac.compare_digest(given.encode(), read_only_token.encode())
    )
    if not (full or read_only):
        return ApiFailure.one(401, "a valid bearer token is required", "unauthorized")
    version = headers.get("api-version")
    if version is not None and version.decode("latin-1") not in API_VERSIONS:
        return ApiFailure.one(
            400,
            f"Api-Version must be one of {', '.join(API_VERSIONS)}",
            "invalid",
            parameter="Api-Version",
        )
    if is_write and read_only:
        return ApiFailure.one(403, "this token may only read", "forbidden")
    return None
