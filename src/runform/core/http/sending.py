"""Sending one request through httpx's client, over the transport chosen for the base URL.

Every request runform makes goes to one base URL, with the same headers. httpx's client
builds it (URL merging, the Accept-Encoding it can decode, its auth flow) and decodes the
answer; the transport carries it: aiohttp's connections directly, or httpx's own transport
through a proxy the environment names (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, minus NO_PROXY).
The token is added by an httpx.Auth flow per request, so it lives in no shared header map
and an authentication scheme with refreshes can take its place.
"""

from __future__ import annotations

import http.cookiejar
import urllib.request
from collections.abc import Generator
from typing import Any

import httpx
from pydantic import SecretStr

from runform.core.http.transport import AiohttpTransport
from runform.errors import ConfigError


def environment_proxy(base_url: str) -> str | None:
    """The proxy the environment names for `base_url`, or None to connect directly."""
    url = httpx.URL(base_url)
    proxies = urllib.request.getproxies_environment()
    proxy = proxies.get(url.scheme) or proxies.get("all")
    # proxy_bypass_environment is in urllib.request but not in its type stubs.
    bypass = urllib.request.proxy_bypass_environment  # type: ignore[attr-defined]
    if not proxy or bypass(url.host, proxies):
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


class BearerToken(httpx.Auth):
    """`Authorization: Bearer <token>` on each request, kept out of every header map."""

    def __init__(self, token: SecretStr) -> None:
        self._token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self._token.get_secret_value()}"
        yield request


class Sender:
    """Sends requests under one base URL through one httpx client and transport."""

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
        self._client = httpx.AsyncClient(
            base_url=self.base_url,
            headers=headers,
            auth=BearerToken(token),
            transport=transport,
            timeout=timeout,
            follow_redirects=False,
            trust_env=False,  # the proxy, if any, is already in the transport
        )
        # The API is stateless: nothing a server sets is kept or sent back.
        self._client.cookies.jar.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
        self._prefix = str(self.base_url)  # ends with "/"

    def request(
        self, method: str, path: str, params: dict[str, Any] | None = None, json: Any = None
    ) -> httpx.Request:
        """The request as it leaves, before the auth flow adds the token.

        The URL is the one httpx's client would make of the base URL, `path` and `params`,
        parsed once: the client's own merging parses it four or five times (about 0.4 ms a
        request). A path with a query of its own and params too, or an absolute URL, is
        left to the client's merging."""
        if "://" in path or (params is not None and "?" in path):
            return self._client.build_request(method, path, params=params, json=json)
        query = str(httpx.QueryParams(params)) if params else ""
        target = self._prefix + path.lstrip("/") + (f"?{query}" if query else "")
        return self._client.build_request(method, httpx.URL(target), json=json)

    async def send(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
    ) -> httpx.Response:
        """Send once and read the whole response; transport failures propagate as raised."""
        return await self._client.send(self.request(method, path, params, json))

    async def aclose(self) -> None:
        await self._client.aclose()
