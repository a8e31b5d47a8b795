"""CutoverClient: the one place that speaks HTTP to Cutover (or the sandbox)."""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

import httpx
from pydantic import SecretStr

from runform import __version__
from runform.core.http.limiter import AdaptiveLimiter
from runform.core.http.outcomes import Outcome, Verdict, classify
from runform.core.http.pacer import RatePacer
from runform.core.http.read_ahead import WINDOW, ReadAhead, read_key
from runform.core.http.retry import RetryListener, RetryNotice, RetryPolicy, parse_retry_after
from runform.core.http.sending import Sender, transport_for
from runform.core.http.stats import ApiStats
from runform.core.http.unreachable import connect_failure
from runform.errors import ConfigError
from runform.providers.cutover.api import errors
from runform.providers.cutover.api.links import follow_link
from runform.providers.cutover.api.pagination import fetch_all
from runform.providers.cutover.api.records import (
    Page,
    R,
    RelationshipInput,
    Resource,
    decode_page,
    decode_resource,
    encode_document,
)
from runform.providers.cutover.api.responses import (
    ambiguous_write,
    decode_response,
    response_error,
    response_json,
)
from runform.providers.cutover.api.row_pages import Body, Ident, RowPages, ident_page
from runform.providers.cutover.api.settings import DEFAULT_API_VERSION, ApiSettings, check_url

if TYPE_CHECKING:
    import builtins

logger = logging.getLogger("runform.providers.cutover.api")

USER_AGENT = f"runform/{__version__}"
ACCEPT = "application/vnd.api+json, application/json"

# Failures where the request certainly never reached the server: safe to retry, even writes.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Failures after (part of) the request may have reached the server: httpx's transport errors
# only (the sandbox in-process reports its dropped answers the same way, see its transport).
NO_RESPONSE = (httpx.TransportError,)

Sleep = Callable[[float], Awaitable[None]]


def _host_and_port(base_url: str) -> str:
    """`host:port` of the base URL, as messages name where runform tried to connect."""
    url = httpx.URL(base_url)
    port = url.port or (443 if url.scheme == "https" else 80)
    host = f"[{url.host}]" if ":" in url.host else url.host
    return f"{host}:{port}"


class CutoverClient:
    """Async JSON:API client with retries, adaptive concurrency and typed errors."""

    def __init__(
        self,
        base_url: str,
        token: str | SecretStr,
        transport: httpx.AsyncBaseTransport | None = None,
        *,
        api_version: str = DEFAULT_API_VERSION,
        core_url: str | None = None,
        insecure: bool = False,
        timeout: float = 30.0,
        max_concurrency: int = 10,
        retry: RetryPolicy | None = None,
        sleep: Sleep | None = None,
        seed: int | None = None,
        label: str | None = None,
    ) -> None:
        base_url = base_url.rstrip("/")
        self.label = label  # names a target that is not a URL (the local sandbox)
        # In-process (ASGI) transports never touch the network; every other one is checked.
        if not isinstance(transport, httpx.ASGITransport):
            check_url(base_url, insecure=insecure)
        self.base_url = base_url
        self._where = _host_and_port(base_url)
        self.core_url = core_url
        self.api_version = api_version
        self.retry = retry or RetryPolicy()
        self.stats = ApiStats()
        self.retry_listeners: list[RetryListener] = []  # told of each retry as it is decided
        self.limiter = AdaptiveLimiter(max_concurrency)
        self.pacer = RatePacer()  # on after a 429 without Retry-After (an unannounced rate limit)
        self.read_ahead: ReadAhead | None = None  # set by `read_ahead_from` (plan only)
        self._sleep: Sleep = sleep or asyncio.sleep
        self._rng = random.Random(seed)
        headers = {"Api-Version": api_version, "User-Agent": USER_AGENT, "Accept": ACCEPT}
        if core_url:
            headers["Core-Url"] = core_url
        secret = token if isinstance(token, SecretStr) else SecretStr(token)
        self._sender = Sender(
            base_url,
            headers,
            secret,
            transport if transport is not None else transport_for(base_url, max_concurrency),
            timeout,
        )

    @classmethod
    def from_settings(
        cls, settings: ApiSettings, transport: httpx.AsyncBaseTransport | None = None, **kwargs: Any
    ) -> CutoverClient:
        """A client for a configured Cutover URL (the sandbox goes through `open_client`)."""
        if not settings.base_url:
            raise ConfigError("no Cutover API URL configured (set CUTOVER_API_URL)")
        if settings.token is None:
            raise ConfigError(
                "no API token: set CUTOVER_API_TOKEN or CUTOVER_API_TOKEN_FILE "
                f"for {settings.base_url} (the URL from CUTOVER_API_URL or api_url in runform.yaml)"
            )
        return cls(
            settings.base_url,
            settings.token,
            transport,
            api_version=settings.api_version,
            core_url=settings.core_url,
            insecure=settings.insecure,
            timeout=settings.timeout,
            max_concurrency=settings.max_concurrency,
            **kwargs,
        )

    @property
    def target(self) -> str:
        """Which Cutover this client speaks to: the base URL, and the tenant's Core-Url (or the
        label of a target that has no URL of its own, such as the local sandbox)."""
        if self.label:
            return self.label
        return f"{self.base_url} (Core-Url {self.core_url})" if self.core_url else self.base_url

    def __repr__(self) -> str:
        return f"CutoverClient(base_url={self.base_url!r}, api_version={self.api_version!r})"

    async def __aenter__(self) -> CutoverClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._sender.aclose()

    # -- reads -------------------------------------------------------------------------

    async def get(self, path: str, params: dict[str, Any] | None = None) -> Resource:
        """One resource, e.g. `GET /core/runbooks/12`."""
        response = await self._request("GET", path, params=params)
        return decode_response(response, "GET", path, decode_resource)

    async def list(
        self,
        path: str,
        params: dict[str, Any] | None = None,
        *,
        page_size: int | None = None,
        concurrent: bool = True,
    ) -> list[Resource]:
        """Every resource of a list, all pages, each page read once.

        With `concurrent` (the default) pages after the first are fetched at once when the
        first page says how many there are; otherwise links.next is followed one by one.
        """
        return await fetch_all(
            self._fetch_page, path, params, page_size, concurrent=concurrent, follow=self._follow
        )

    async def list_rows(
        self, path: str, row: type[R], params: dict[str, Any] | None = None, *, page_size: int
    ) -> RowPages[R]:
        """`list`, for the lists a plan reads in bulk where only some fields are used: paging
        reads each page's links and ids, and `rows()` decodes each resource straight from the
        kept bodies into `row` (`records.rows_decoder`), once, when first asked for."""
        listed = await fetch_all(self._fetch_idents, path, params, page_size, follow=self._follow)
        return RowPages(row, listed.pages)

    async def rows_unpaged(
        self, path: str, row: type[R], params: dict[str, Any] | None = None
    ) -> RowPages[R]:
        """`list_rows` of a list Cutover answers whole in one response (forecast reads): one
        GET. Its `links.next`, when present, is not followed: the next page would hold every
        item again, as Cutover's own client knows (it does not follow it either)."""
        return RowPages(row, [await self._fetch_idents(path, params)])

    async def _fetch_page(self, link: str, params: dict[str, Any] | None) -> Page[Resource]:
        target = self._follow(link)
        response = await self._request("GET", target, params=params)
        return decode_response(response, "GET", target, decode_page)

    async def _fetch_idents(self, link: str, params: dict[str, Any] | None) -> Page[Ident]:
        target = self._follow(link)
        response = await self._request("GET", target, params=params)
        return ident_page(Body(target, response.status_code, response.content))

    def _follow(self, link: str) -> str:
        """A pagination link as a path under the configured base URL (`follow_link`)."""
        return follow_link(self.base_url, link)

    def read_ahead_from(self, keys: builtins.list[str], window: int = WINDOW) -> ReadAhead:
        """Start the GETs of `keys` (an earlier run's record) now, at most `window` held at
        once; this client's GETs then take those answers, and every GET it makes is recorded
        for the next run."""
        ahead = ReadAhead(window)
        self.read_ahead = ahead
        ahead.start(keys, lambda key: self._request("GET", key, early=True))
        return ahead

    # -- writes ------------------------------------------------------------------------

    async def create(
        self,
        path: str,
        type: str,
        attributes: dict[str, Any],
        relationships: dict[str, RelationshipInput] | None = None,
        meta: dict[str, Any] | None = None,
    ) -> Resource:
        """POST a new resource; raises AmbiguousWrite if the outcome is unknown."""
        body = encode_document(type, attributes, relationships, meta)
        response = await self._request("POST", path, body=body)
        return decode_response(response, "POST", path, decode_resource)

    async def update(
        self,
        path: str,
        type: str,
        attributes: dict[str, Any] | None = None,
        relationships: dict[str, RelationshipInput] | None = None,
        meta: dict[str, Any] | None = None,
    ) -> Resource:
        """PATCH a resource at `path` (its last segment is the id)."""
        resource_id = path.rstrip("/").rsplit("/", 1)[-1]
        body = encode_document(type, attributes, relationships, meta, id=resource_id)
        response = await self._request("PATCH", path, body=body)
        return decode_response(response, "PATCH", path, decode_resource)

    async def delete(self, path: str) -> None:
        """DELETE a resource (Cutover archives runbooks, deletes tasks and streams)."""
        await self._request("DELETE", path)

    async def action(self, path: str, meta: dict[str, Any] | None = None) -> Resource | None:
        """PATCH an action endpoint such as `.../start`; returns the resource if one came back."""
        response = await self._request("PATCH", path, body={"meta": meta} if meta else {})
        if not response.content.strip():
            return None
        document = response_json(response, "PATCH", path)
        if isinstance(document, dict) and isinstance(document.get("data"), dict):
            return decode_response(response, "PATCH", path, decode_resource)
        return None

    # -- the request loop --------------------------------------------------------------

    async def _request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        body: dict[str, Any] | None = None,
        early: bool = False,
    ) -> httpx.Response:
        """Send once or more: retry what is safe, raise typed errors for the rest.

        Whether an attempt may be repeated is `classify`'s decision alone; this loop sends,
        records, turns the outcome into a typed error, and waits. A GET read ahead (`early`
        marks those reads) is answered by that read, its failure included: the same request
        of this run, made a moment sooner."""
        if method == "GET" and self.read_ahead is not None and not early:
            key = read_key(path, params)
            if key is not None:
                self.read_ahead.note(key)
                read = self.read_ahead.take(key)
                if read is not None:
                    return await read
        waited = 0.0
        attempt = 0
        refused = 0  # 429s this request met
        while True:
            attempt += 1
            failure: errors.ApiError
            retry_after: float | None = None
            budget: float | None = None  # a cap on waiting that this failure sets
            await self.pacer.wait()
            async with self.limiter.slot() as slot:
                started = time.perf_counter()
                sent_at = self.pacer.sent()
                try:
                    response = await self._sender.send(method, path, params=params, json=body)
                except NOT_SENT as err:
                    self._record_failure(method, path, params, started, err)
                    connect = connect_failure(err)
                    reason = f"could not connect to {self._where}: {connect.cause}"
                    if connect.lasting or connect.budget is not None:
                        reason += "; check CUTOVER_API_URL"
                    failure = errors.Unreachable(method, path, reason=reason)
                    outcome = Outcome(sent=False, lasting=connect.lasting)
                    budget = connect.budget
                except NO_RESPONSE as err:
                    self._record_failure(method, path, params, started, err)
                    reason = f"no complete response ({type(err).__name__})"
                    failure = errors.Unreachable(method, path, reason=reason)
                    outcome = Outcome(sent=True)
                else:
                    status = response.status_code
                    self._log(method, path, params, status, started)
                    self.stats.record(method, path, status)
                    if status < 400:
                        self.limiter.succeeded()
                        self.pacer.succeeded()
                        self.stats.note_refusals(refused)
                        return response
                    retry_after = parse_retry_after(response.headers.get("Retry-After"))
                    if status == 429:
                        refused += 1
                        self.limiter.throttled(slot)
                        if "Retry-After" not in response.headers:
                            self.pacer.throttled(sent_at)
                    outcome = Outcome(status=status, retry_after="Retry-After" in response.headers)
                    failure = response_error(response, method, path, body)
                verdict = classify(method, outcome)
                # Raised here, outside any `except`, so no httpx exception (which holds the
                # request and its headers) is chained to what callers see.
                if verdict is Verdict.AMBIGUOUS:
                    self.stats.ambiguous_writes += 1
                    raise ambiguous_write(failure, body)
                if verdict is Verdict.FINAL:
                    raise failure
            delay = self.retry.delay(attempt, retry_after, self._rng)
            if failure.status == 429 and retry_after is None and self.pacer.rate is not None:
                delay = 0.0  # the pacer spaces the retry as it spaces every request
            limit = self.retry.max_total_wait if budget is None else budget
            if attempt >= self.retry.max_attempts or waited + delay > limit:
                raise failure
            cause = f"HTTP {failure.status}" if failure.status else failure.reason
            logger.debug(
                "retrying %s %s in %.2fs (attempt %d of %d) after %s",
                method, path, delay, attempt + 1, self.retry.max_attempts, cause,
            )  # fmt: skip
            notice = RetryNotice(
                method, path, attempt + 1, self.retry.max_attempts, delay, str(cause)
            )
            for listener in self.retry_listeners:
                listener(notice)
            self.stats.retries += 1
            self.stats.sleeps.append(delay)
            waited += delay
            await self._sleep(delay)

    def _record_failure(
        self,
        method: str,
        path: str,
        params: dict[str, Any] | None,
        started: float,
        err: Exception,
    ) -> None:
        self._log(method, path, params, None, started, type(err).__name__)
        self.stats.record(method, path, None)
        self.stats.transport_failures += 1

    def _log(
        self,
        method: str,
        path: str,
        params: dict[str, Any] | None,
        status: int | None,
        started: float,
        failure: str | None = None,
    ) -> None:
        """One debug line per request: method, path, status, milliseconds. Never headers."""
        if not logger.isEnabledFor(logging.DEBUG):
            return
        elapsed_ms = (time.perf_counter() - started) * 1000
        query = "&".join(f"{k}={v}" for k, v in (params or {}).items())
        shown = unquote(f"{path}?{query}" if query else path)
        outcome = str(status) if status is not None else f"no response: {failure}"
        logger.debug("%s %s -> %s (%.0f ms)", method, shown, outcome, elapsed_ms)
