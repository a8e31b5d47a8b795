"""Requests built without httpx's client are the ones httpx's client would build."""

from __future__ import annotations

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import SecretStr

from runform.api.sending import Sender, environment_proxy, transport_for
from runform.api.transport import AiohttpTransport
from runform.errors import ConfigError

BASES = ["http://127.0.0.1:8787", "https://api.cutover.net", "https://example.com/api/v1/"]
HEADERS = {"Api-Version": "2022-02-22", "User-Agent": "runform/test", "Accept": "application/json"}
# Any characters a name, a search or a link may carry, reserved ones included.
TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12
)
SEGMENT = TEXT.filter(lambda s: s and not set(s) & set("/?#\\"))
PATHS = st.builds(
    lambda segments, query: "/" + "/".join(segments) + (f"?{query}" if query else ""),
    st.lists(SEGMENT, min_size=1, max_size=4),
    st.one_of(st.none(), st.from_regex(r"[a-z\[\]]{1,8}=[a-z0-9%,]{0,8}", fullmatch=True)),
)
PARAMS = st.one_of(st.none(), st.dictionaries(TEXT.filter(bool), TEXT, max_size=3))
BODIES = st.one_of(st.none(), st.fixed_dictionaries({"data": st.dictionaries(SEGMENT, TEXT)}))


def sender(base: str, token: str = "t0ken") -> Sender:
    return Sender(base, HEADERS, SecretStr(token), AiohttpTransport(1), timeout=7.0)


@given(st.sampled_from(BASES), PATHS, PARAMS, st.sampled_from(["GET", "POST", "PATCH"]), BODIES)
def test_a_request_is_what_httpx_s_client_builds(base, path, params, method, body):
    client = httpx.Client(base_url=base, headers=HEADERS, timeout=7.0)
    try:
        expected = client.build_request(method, path, params=params, json=body)
    except httpx.InvalidURL:
        with pytest.raises(httpx.InvalidURL):  # control characters: refused the same way
            sender(base).request(method, path, params, body)
        return
    built = sender(base).request(method, path, params, body)
    assert built.url == expected.url
    assert built.method == expected.method
    assert built.read() == expected.read()
    assert dict(built.headers) == {**dict(expected.headers), "authorization": "Bearer t0ken"}
    assert built.extensions["timeout"] == expected.extensions["timeout"]


def test_the_token_is_in_no_shared_header_map():
    made = sender(BASES[0], token="s3cret")
    made.request("GET", "/core/workspaces")
    assert "s3cret" not in repr(vars(made))


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
