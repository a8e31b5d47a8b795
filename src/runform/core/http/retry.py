"""How long to wait before a retry: exponential back-off with jitter, Retry-After first.

Whether to retry at all is `runform.core.http.outcomes.classify`'s decision."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


@dataclass(frozen=True)
class RetryPolicy:
    """Caps on retrying: attempts per request, one wait, and total time spent waiting."""

    max_attempts: int = 6
    base_delay: float = 0.5
    max_delay: float = 30.0
    max_total_wait: float = 120.0
    jitter: float = 0.25

    def delay(self, attempt: int, retry_after: float | None, rng: random.Random) -> float:
        """Seconds to wait before attempt `attempt + 1` (attempt counts from 1)."""
        if retry_after is not None:
            # The server said how long; wait at least that, plus a little spread so a wave
            # of throttled requests does not return all at once.
            # It is honoured in full; the total-wait cap decides whether it is worth waiting.
            return retry_after * (1 + rng.uniform(0, self.jitter))
        backoff = min(self.max_delay, self.base_delay * 2.0 ** (attempt - 1))
        return backoff * rng.uniform(1 - self.jitter, 1 + self.jitter)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """`Retry-After` as seconds: either a number or an HTTP date; None if absent or odd."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    if not math.isfinite(seconds):
        return None  # "inf" or "nan" from a server: no usable wait
    return max(0.0, seconds)
