"""Requests go out under the base URL with the token added per request, and answers are decoded."""

from __future__ import annotations

import asyncio
import gzip

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import SecretStr

from runform.core.http.sending import Sender, environment_proxy, transport_for
from runform.core.http.transport import AiohttpTransport
from runform.errors import ConfigError

BASES = ["http://127.0.0.1:8787", "https://api.cutover.net", "https://example.com/api/v1/"]
HEADERS = {"Api-Version": "2022-02-22", "User-Agent": "runform/test", "Accept": "application/json"}
# Control characters are refused by httpx before anything is sent.
SEGMENT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="/?#\\"),
    min_size=1,
    max_size=12,
)
PATHS = st.builds(
    lambda segments, query: "/" + "/".join(segments) + (f"?{query}" if query else ""),
    st.lists(SEGMENT, min_size=1, max_size=4),
    st.one_of(st.none(), st.from_regex(r"[a-z\[\]]{1,8}=[a-z0-9%,]{0,8}", fullmatch=True)),
)


def sender(base: str, transport: httpx.AsyncBaseTransport, token: str = "t0ken") -> Sender:
    return Sender(base, HEADERS, SecretStr(token), transport, timeout=7.0)


class Recorder(httpx.AsyncBaseTransport):
    """The network's side: keeps each request and answers with a fixed response."""

    def __init__(self, headers: dict[str, str] | None = None, body: bytes = b"") -> None:
        self.seen: list[httpx.Request] = []
        self._headers = headers or {}
        self._body = body

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        return httpx.Response(200, headers=self._headers, stream=httpx.ByteStream(self._body))


def send(base: str, path: str, answer: Recorder) -> tuple[httpx.Response, list]:
    async def run() -> tuple[httpx.Response, list]:
        made = sender(base, answer)
        try:
            response = await made.send("GET", path)
        finally:
            await made.aclose()
        return response, answer.seen

    return asyncio.run(run())


@given(st.sampled_from(BASES), PATHS)
def test_a_path_lands_under_the_base_url_path(base, path):
    response, seen = send(base, path, Recorder())
    assert response.status_code == 200
    (request,) = seen
    base_path = httpx.URL(base).raw_path.rstrip(b"/")
    assert request.url.raw_path.startswith(base_path + b"/")
    assert request.url.host == httpx.URL(base).host


PARAMS = st.one_of(
    st.none(),
    st.dictionaries(
        st.sampled_from(["page[size]", "page[number]", "forecast", "workspace_id", "q x", "ä"]),
        st.one_of(st.integers(-5, 500), st.booleans(), SEGMENT),
        max_size=3,
    ),
)


@given(st.sampled_from(BASES), PATHS, PARAMS)
def test_the_url_is_the_one_httpx_s_client_would_build(base, path, params):
    # Sender builds the URL itself (one parse, not httpx's four or five): it must be the same
    # URL, byte for byte, that httpx's client merges from the base URL, path and params.
    made = sender(base, Recorder())
    reference = httpx.Client(base_url=made.base_url)
    try:
        ours = made.request("GET", path, params=params)
        theirs = reference.build_request("GET", path, params=params)
    finally:
        reference.close()
        asyncio.run(made.aclose())
    assert ours.url.raw_path == theirs.url.raw_path
    assert str(ours.url) == str(theirs.url)


def test_each_request_carries_the_token_and_the_headers():
    _, seen = send(BASES[1], "/core/workspaces", Recorder())
    (request,) = seen
    assert request.headers["authorization"] == "Bearer t0ken"
    for name, value in HEADERS.items():
        assert request.headers[name] == value


def test_the_token_is_in_no_shared_header_map():
    made = sender(BASES[0], Recorder(Recorder()), token="s3cret")
    made.request("GET", "/core/workspaces")
    assert "s3cret" not in repr(vars(made))
    assert "s3cret" not in repr(dict(made.request("GET", "/core/workspaces").headers))


def test_a_compressed_answer_is_read_decoded():
    body = b'{"data": []}'
    answer = Recorder({"Content-Encoding": "gzip"}, gzip.compress(body))
    response, seen = send(BASES[1], "/core/workspaces", answer)
    assert response.content == body
    assert "gzip" in seen[0].headers["accept-encoding"]


def test_cookies_a_server_sets_are_never_sent_back():
    transport = Recorder({"Set-Cookie": "session=abc; Path=/"})

    async def run() -> list[httpx.Request]:
        made = sender(BASES[1], transport)
        try:
            await made.send("GET", "/core/workspaces")
            await made.send("GET", "/core/workspaces")
        finally:
            await made.aclose()
        return transport.seen

    _, second = asyncio.run(run())
    assert "cookie" not in second.headers


@pytest.fixture
def no_proxies(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "REQUEST_METHOD"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    return monkeypatch


@pytest.mark.parametrize(
    ("environment", "url", "expected"),
    [
        ({}, "https://api.cutover.net", None),
        ({"https_proxy": "http://proxy:3128"}, "https://api.cutover.net", "http://proxy:3128"),
        ({"https_proxy": "proxy:3128"}, "https://api.cutover.net", "http://proxy:3128"),
        ({"http_proxy": "http://proxy:3128"}, "https://api.cutover.net", None),
        ({"all_proxy": "http://proxy:1"}, "https://api.cutover.net", "http://proxy:1"),
        (
            {"https_proxy": "http://proxy:3128", "no_proxy": "cutover.net"},
            "https://api.cutover.net",
            None,
        ),
        ({"https_proxy": "http://proxy:3128", "no_proxy": "*"}, "https://x.example", None),
    ],
)
def test_the_environment_names_the_proxy(no_proxies, environment, url, expected):
    for name, value in environment.items():
        no_proxies.setenv(name, value)
    assert environment_proxy(url) == expected


def test_a_proxy_gets_httpx_s_transport_and_a_direct_url_gets_aiohttp(no_proxies):
    assert isinstance(transport_for("https://api.cutover.net", 4), AiohttpTransport)
    no_proxies.setenv("https_proxy", "http://proxy:3128")
    assert isinstance(transport_for("https://api.cutover.net", 4), httpx.AsyncHTTPTransport)


def test_a_socks_proxy_is_refused_clearly(no_proxies):
    no_proxies.setenv("https_proxy", "socks5://proxy:1080")
    with pytest.raises(ConfigError, match="http and https proxies"):
        environment_proxy("https://api.cutover.net")
