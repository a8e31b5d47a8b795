from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from hypothesis import given
from hypothesis import strategies as st

from runform.api import RetryPolicy
from runform.api.retry import parse_retry_after


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
