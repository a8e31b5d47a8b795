from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from runform.core.http.retry import parse_retry_after
from runform.core.sandbox_kit.transport import InProcessTransport
from runform.providers.cutover.api import CutoverClient, RetryPolicy
from runform.providers.cutover.api.errors import AmbiguousWrite

from .support import no_wait


def test_retry_after_seconds_and_dates():
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after(" 0.5 ") == 0.5
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    now = datetime(2026, 1, 1, tzinfo=UTC)
    later = format_datetime(now + timedelta(seconds=7), usegmt=True)
    assert parse_retry_after(later, now=now) == 7.0
    assert parse_retry_after("-4") == 0.0


@given(attempt=st.integers(1, 20), retry_after=st.floats(0, 300), seed=st.integers())
def test_retry_after_is_always_honoured(attempt, retry_after, seed):
    policy = RetryPolicy()
    delay = policy.delay(attempt, retry_after, random.Random(seed))
    assert retry_after <= delay <= retry_after * (1 + policy.jitter) + 1e-9


@given(attempt=st.integers(1, 30), seed=st.integers())
def test_backoff_grows_and_is_capped(attempt, seed):
    policy = RetryPolicy(base_delay=0.5, max_delay=8.0, jitter=0.25)
    delay = policy.delay(attempt, None, random.Random(seed))
    expected = min(8.0, 0.5 * 2 ** (attempt - 1))
    assert expected * 0.75 - 1e-9 <= delay <= expected * 1.25 + 1e-9


def _unavailable_once(retry_after: str | None):
    """An ASGI app answering the first request 503 (with Retry-After if given), then 201."""
    methods: list[str] = []

    async def app(scope, receive, send) -> None:
        methods.append(scope["method"])
        status, body = 201, {"data": {"id": "9", "type": "runbook", "attributes": {"name": "R"}}}
        headers = [(b"content-type", b"application/vnd.api+json")]
        if len(methods) == 1:
            status, body = 503, {"errors": [{"status": "503", "code": "service_unavailable"}]}
            if retry_after is not None:
                headers.append((b"retry-after", retry_after.encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": json.dumps(body).encode()})

    return app, methods


@pytest.mark.anyio
@pytest.mark.parametrize(("retry_after", "posts"), [("0", 2), (None, 1)])
async def test_a_write_is_resent_only_after_a_503_that_says_when(retry_after, posts):
    app, methods = _unavailable_once(retry_after)
    transport = InProcessTransport(app=app)
    async with CutoverClient("http://cutover.local", "t", transport, sleep=no_wait) as client:
        if retry_after is None:
            with pytest.raises(AmbiguousWrite):
                await client.create("/core/runbooks", "runbook", {"name": "R"})
        else:
            created = await client.create("/core/runbooks", "runbook", {"name": "R"})
            assert created.id == "9"
    assert methods == ["POST"] * posts
