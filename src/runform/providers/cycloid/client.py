"""The Cycloid API over httpx: the Bearer API key, the `{data}` and `{data, pagination}`
envelopes, `{errors: [{code, message, details}]}` failures, retries of what is safe to retry.

The key is added per request by an httpx.Auth flow and never logged: `--debug` shows the
method, path and status of each request, never a header or a body. A read is retried on 429,
5xx and a lost connection; a write only on 429 (the request was refused before it was
handled). A write whose answer is a 5xx or is lost may have happened: it raises
`OutcomeUnknown`, and the applier re-reads before anything is sent again."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Generator
from typing import Any

import httpx

from runform.errors import OutcomeUnknown, RunformError

# Requests in flight at once when `--parallelism` does not say: Terraform's default.
DEFAULT_IN_FLIGHT = 10
log = logging.getLogger("runform.cycloid")
PAGE_SIZE = 100
READ_ATTEMPTS = 8
MAX_WAIT_SECONDS = 30.0
# The reference gives the envelope but no codes; these are the sandbox's (named after their
# status). A code runform does not know is read by its HTTP status (docs/design.md).
NOT_FOUND, CONFLICT = "NotFound", "Conflict"
_STATUS_OF_CODE = {NOT_FOUND: 404, CONFLICT: 409, "Forbidden": 403, "Unauthorized": 401}


class ApiKey(httpx.Auth):
    def __init__(self, key: str) -> None:
        self._key = key

    def __repr__(self) -> str:
        return "ApiKey(***)"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self._key}"
        yield request


class CycloidApiError(RunformError):
    """An error document from Cycloid, with its status, first code and every detail."""

    def __init__(self, method: str, path: str, status: int, errors: list[dict[str, Any]]) -> None:
        self.method, self.path, self.status = method, path, status
        self.errors = errors
        first = errors[0] if errors else {}
        self.code = str(first.get("code") or "")
        self.details = [str(d) for e in errors for d in (e.get("details") or [])]
        message = "; ".join(str(e.get("message") or "") for e in errors) or "no error message"
        detail = f" ({'; '.join(self.details)})" if self.details else ""
        code = f" {self.code}" if self.code else ""
        super().__init__(f"{method} {path}: {status}{code}: {message}{detail}")

    def means(self, code: str) -> bool:
        """Whether the error is `code`: by its code, or by status for a code runform lacks."""
        if self.code in _STATUS_OF_CODE:
            return self.code == code
        return self.status == _STATUS_OF_CODE.get(code)


class WriteUnknown(OutcomeUnknown):
    def __init__(self, method: str, path: str, reason: str) -> None:
        super().__init__(f"{method} {path}: {reason}; it may or may not have happened")
        self.method, self.path, self.reason = method, path, reason


class CycloidClient:
    """One organization's API at one base URL; `transport` serves the in-process sandbox."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        transport: httpx.AsyncBaseTransport | None = None,
        *,
        verify: bool = True,
        in_flight: int = DEFAULT_IN_FLIGHT,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        # `--parallelism`: a plan's reads fan out per organization and kind; never more at once.
        self._slots = asyncio.Semaphore(in_flight)
        self._http = httpx.AsyncClient(
            base_url=self.base_url,
            auth=ApiKey(api_key),
            transport=transport,
            timeout=httpx.Timeout(30.0),
            verify=verify,
            headers={"Accept": "application/json"},
        )
        self.requests = 0

    async def __aenter__(self) -> CycloidClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        """The `data` of one GET."""
        return (await self._read(path, params)).get("data")

    async def get_all(self, path: str) -> list[dict[str, Any]]:
        """Every item of a list, page by page (`page_index` from 1) until `total` is read (or,
        without a total, until a page comes back short)."""
        found: list[dict[str, Any]] = []
        index = 1
        while True:
            body = await self._read(path, {"page_index": index, "page_size": PAGE_SIZE})
            page = body.get("data") or []
            found += page
            total = (body.get("pagination") or {}).get("total")
            if isinstance(total, int):
                if not page or len(found) >= total:
                    return found
            elif len(page) < PAGE_SIZE:  # no total given: a short page is the last
                return found
            index += 1

    async def send(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        """One write; its `data` (None for an empty answer)."""
        for attempt in range(READ_ATTEMPTS):
            try:
                response = await self._request(method, path, json=body)
            except httpx.TransportError as err:
                raise WriteUnknown(
                    method, path, f"the connection failed ({type(err).__name__})"
                ) from None
            if response.status_code == 429 and attempt < READ_ATTEMPTS - 1:
                await asyncio.sleep(_wait(response, attempt))
                continue
            if response.status_code >= 500:
                raise WriteUnknown(method, path, f"Cycloid answered {response.status_code}")
            return _payload(method, path, response).get("data")
        raise WriteUnknown(method, path, "Cycloid kept answering 429")

    async def _read(self, path: str, params: dict[str, Any] | None) -> dict[str, Any]:
        for attempt in range(READ_ATTEMPTS):
            last = attempt == READ_ATTEMPTS - 1
            try:
                response = await self._request("GET", path, params=params)
            except httpx.TransportError as err:
                if last:
                    raise RunformError(
                        f"GET {self.base_url}{path}: the connection failed "
                        f"({type(err).__name__}); is Cycloid reachable there?"
                    ) from None
                await asyncio.sleep(min(0.05 * 2**attempt, 2.0))
                continue
            if (response.status_code == 429 or response.status_code >= 500) and not last:
                await asyncio.sleep(_wait(response, attempt))
                continue
            return _payload("GET", path, response)
        raise AssertionError("unreachable")

    async def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        self.requests += 1
        async with self._slots:
            response = await self._http.request(method, path, **kwargs)
        log.debug("%s %s -> %s", method, path, response.status_code)
        return response


def _wait(response: httpx.Response, attempt: int) -> float:
    given = response.headers.get("Retry-After", "")
    if given.isdigit():
        return min(float(given), MAX_WAIT_SECONDS)
    return min(0.05 * 2.0**attempt, 2.0)


def _payload(method: str, path: str, response: httpx.Response) -> dict[str, Any]:
    if response.is_success and (response.status_code == 204 or not response.content):
        return {}
    try:
        body = response.json()
    except ValueError:
        body = None
    if not response.is_success:
        errors = body.get("errors") if isinstance(body, dict) else None
        if not isinstance(errors, list):
            status = response.status_code
            errors = [{"message": f"an answer that is not Cycloid's error document ({status})"}]
        raise CycloidApiError(
            method, path, response.status_code, [e for e in errors if isinstance(e, dict)]
        )
    if not isinstance(body, dict):
        raise RunformError(f"{method} {path}: the answer is not a JSON object")
    return body
