"""The Cycloid client: every page of a list, errors by code, what is retried and what is a
doubtful write."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from tests.cycloid.conftest import KEY, Cycloid

from runform.errors import OutcomeUnknown
from runform.providers.cycloid.client import CONFLICT, NOT_FOUND, CycloidApiError, CycloidClient

pytestmark = pytest.mark.anyio
ORG = "/organizations/acme"


async def test_a_list_is_read_page_by_page(cycloid: Cycloid) -> None:
    async with cycloid.client() as client:
        for index in range(120):
            await client.send("POST", f"{ORG}/roles", {"name": f"Role {index:03}", "rules": []})
        before = client.requests
        roles = await client.get_all(f"{ORG}/roles")
        assert client.requests - before == 2  # 100, then 23 of a total of 123
    assert len(roles) == 123 and len({r["canonical"] for r in roles}) == 123


async def test_errors_carry_their_code_status_and_details(cycloid: Cycloid) -> None:
    async with cycloid.client() as client:
        with pytest.raises(CycloidApiError) as missing:
            await client.get(f"{ORG}/teams/nope")
        await client.send("POST", f"{ORG}/roles", {"name": "Ops", "canonical": "ops", "rules": []})
        with pytest.raises(CycloidApiError) as twice:
            await client.send(
                "POST", f"{ORG}/roles", {"name": "Ops", "canonical": "ops", "rules": []}
            )
        with pytest.raises(CycloidApiError) as invalid:
            await client.send("POST", f"{ORG}/roles", {"name": "O"})
    assert missing.value.means(NOT_FOUND) and not missing.value.means(CONFLICT)
    assert twice.value.means(CONFLICT)
    assert str(invalid.value) == (
        f"POST {ORG}/roles: 422 UnprocessableEntity: the request is not valid "
        "(name: should be at least 3 chars long; rules: is required)"
    )


def test_a_code_runform_does_not_know_is_read_by_its_status() -> None:
    error = CycloidApiError("GET", "/x", 404, [{"code": "SomethingNew", "message": "gone"}])
    assert error.means(NOT_FOUND) and str(error) == "GET /x: 404 SomethingNew: gone"


async def test_reads_are_retried_and_a_failed_write_is_doubtful(cycloid: Cycloid) -> None:
    cycloid.faults.seed, cycloid.faults.retry_after = 3, 0
    cycloid.faults.throttle_rate = 0.5
    async with cycloid.client() as client:
        assert len(await client.get_all(f"{ORG}/roles")) == 3
        cycloid.faults.throttle_rate, cycloid.faults.error_rate = 0.0, 1.0
        with pytest.raises(OutcomeUnknown, match="may or may not have happened"):
            await client.send("POST", f"{ORG}/roles", {"name": "Ops", "rules": []})
        cycloid.faults.error_rate, cycloid.faults.drop_next = 0.0, 1
        with pytest.raises(OutcomeUnknown, match="the connection failed"):
            await client.send("POST", f"{ORG}/roles", {"name": "Ops", "rules": []})
        assert "ops" in [r["canonical"] for r in await client.get_all(f"{ORG}/roles")]


def test_the_key_is_not_in_the_clients_repr(cycloid: Cycloid) -> None:
    client = cycloid.client()
    assert KEY not in repr(client._http.auth) and KEY not in repr(client.__dict__)


class _Counting(httpx.AsyncBaseTransport):
    """The sandbox's transport, counting the requests it is handling at once."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner, self.now, self.peak = inner, 0, 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.now += 1
        self.peak = max(self.peak, self.now)
        try:
            return await self.inner.handle_async_request(request)
        finally:
            self.now -= 1


@pytest.mark.parametrize("in_flight", [1, 3])
async def test_in_flight_bounds_the_requests_at_once(cycloid: Cycloid, in_flight: int) -> None:
    """`--parallelism`: a plan's reads fan out, never past the limit."""
    assert cycloid.transport is not None
    counting = _Counting(cycloid.transport)
    cycloid.faults.latency_ms = 10
    async with CycloidClient(cycloid.base_url, KEY, counting, in_flight=in_flight) as client:
        pages = await asyncio.gather(*(client.get_all(f"{ORG}/roles") for _ in range(12)))
    assert all(len(page) == 3 for page in pages)
    assert counting.peak == in_flight  # at most the limit, and the limit is used
