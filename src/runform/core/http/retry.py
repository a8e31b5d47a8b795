"""How long to wait before a retry: exponential back-off with jitter, Retry-After first.

Whether to retry at all is `runform.core.http.outcomes.classify`'s decision."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import asdict, dataclass
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


@dataclass(frozen=True)
class RetryNotice:
    """A retry just decided: which request, which attempt comes next, after how long, and why
    (a status or a connect failure; never a header or a body)."""

    method: str
    path: str
    attempt: int  # the attempt about to be made, counting from 1
    max_attempts: int
    delay_seconds: float
    cause: str

    def fields(self) -> dict[str, object]:
        return {**asdict(self), "delay_seconds": round(self.delay_seconds, 3)}


# Told of each retry as it is decided (e.g. `apply --json` writes a line); never raises.
RetryListener = Callable[[RetryNotice], None]


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
