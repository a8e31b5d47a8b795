"""Sending one request: httpx's Request and Response, handed straight to a transport.

Every request runform makes goes to one base URL, with the same headers, no cookies (the API
is stateless and token-authenticated) and no redirects to follow. httpx's client machinery
(URL merging, the auth flow, cookie extraction, redirect bookkeeping) cost about a fifth of
the client's CPU per call in an apply of a thousand calls, so requests are built here once
the way httpx's client would build them, and sent through the transport chosen for the base
URL: aiohttp's connections directly, or httpx's own transport through a proxy the
environment names (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, minus NO_PROXY).
"""

from __future__ import annotations

import urllib.request
from typing import Any

import httpx
from pydantic import SecretStr

from runform.api.transport import AiohttpTransport
from runform.errors import ConfigError

# What httpx's client sends unless told otherwise; the caller's headers override these.
DEFAULT_HEADERS = {"Accept-Encoding": "gzip, deflate", "Connection": "keep-alive"}


def environment_proxy(base_url: str) -> str | None:
    """The proxy the environment names for `base_url`, or None to connect directly."""
    url = httpx.URL(base_url)
    proxies = urllib.request.getproxies_environment()
    proxy = proxies.get(url.scheme) or proxies.get("all")
    if not proxy or urllib.request.proxy_bypass_environment(url.host, proxies):
        return None
    if "://" not in proxy:
        proxy = f"http://{proxy}"  # how curl and httpx read a bare host:port
    if httpx.URL(proxy).scheme not in ("http", "https"):
        raise ConfigError(
            f"the proxy for {url.scheme}:// URLs in the environment is not an http(s) URL; "
            "runform supports http and https proxies"
        )
    return proxy


def transport_for(base_url: str, max_connections: int) -> httpx.AsyncBaseTransport:
    """aiohttp for direct connections; httpx's transport (which tunnels TLS) for a proxy."""
    proxy = environment_proxy(base_url)
    if proxy is None:
        return AiohttpTransport(max_connections)
    return httpx.AsyncHTTPTransport(
        proxy=proxy, limits=httpx.Limits(max_connections=max_connections)
    )


class Sender:
    """Builds requests under one base URL and sends each through one transport."""

    def __init__(
        self,
        base_url: str,
        headers: dict[str, str],
        token: SecretStr,
        transport: httpx.AsyncBaseTransport,
        timeout: float,
    ) -> None:
        base = httpx.URL(base_url)
        self.base_url = base.copy_with(raw_path=base.raw_path.rstrip(b"/") + b"/")
        self.transport = transport
        self._headers = httpx.Headers({**DEFAULT_HEADERS, **headers})
        self._token = token  # added per request, so it lives in no shared header map
        self._timeout = httpx.Timeout(timeout).as_dict()

    def url(self, path: str, params: dict[str, Any] | None = None) -> httpx.URL:
        """`path` (which may carry a query) under the base URL, as httpx's client joins them:
        `params`, when given, replace the path's query."""
        relative = httpx.URL(path)
        raw_path = self.base_url.raw_path + relative.raw_path.lstrip(b"/")
        url = self.base_url.copy_with(raw_path=raw_path)
        return url if params is None else url.copy_with(params=params)

    def request(
        self, method: str, path: str, params: dict[str, Any] | None = None, json: Any = None
    ) -> httpx.Request:
        """The request httpx's client would build, with the token added."""
        headers = self._headers.copy()
        headers["Authorization"] = f"Bearer {self._token.get_secret_value()}"
        return httpx.Request(
            method,
            self.url(path, params),
            headers=headers,
            json=json,
            extensions={"timeout": self._timeout},
        )

    async def send(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
    ) -> httpx.Response:
        """Send once and read the whole response; transport failures propagate as raised."""
        request = self.request(method, path, params, json)
        response = await self.transport.handle_async_request(request)
        response.request = request
        try:
            await response.aread()
        finally:
            await response.aclose()
        return response

    async def aclose(self) -> None:
        await self.transport.aclose()
