"""Fault injection: latency, throttling, server errors and dropped responses.

Every request draws, in a fixed order, from one random generator, so a seed makes a run
repeatable for the same sequence of requests. Server errors (500/503/504) are answered
before the request is handled, so nothing is committed; a dropped response happens only to
writes, after they are committed. `drop_next` drops the answers of the next writes, one by
one, whatever the draws: a test can lose exactly the response it means to.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field

ERROR_STATUSES = (500, 503, 504)


@dataclass
class FaultConfig:
    """What to inject into each request; a test may change any field at any time."""

    latency_ms: float = 0  # each response leaves this long after its request was handled
    throttle_rate: float = 0.0
    error_rate: float = 0.0
    drop_rate: float = 0.0
    seed: int | None = None
    retry_after: int = 1
    drop_next: int = 0  # the next this many writes are committed and their answers dropped
    writes_only: bool = False  # reads are answered normally: a plan succeeds, its apply does not
    # A rate ceiling, requests a second (0: none): a token bucket holding one second's worth,
    # answering 429 with no Retry-After past it, as an undocumented limit would.
    rate_limit: float = 0.0
    random: random.Random = field(init=False, repr=False, compare=False)
    _tokens: float = field(default=0.0, init=False, repr=False, compare=False)
    _filled_at: float | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.random = random.Random(self.seed)

    def __setattr__(self, name: str, value: object) -> None:
        super().__setattr__(name, value)
        if name == "seed":
            super().__setattr__("random", random.Random(value if isinstance(value, int) else None))

    def decide(self, is_write: bool) -> Fault:
        """Draw this request's fate (always three draws, so the sequence stays aligned)."""
        throttle, error, drop = self.random.random(), self.random.random(), self.random.random()
        if self.rate_limit and not self._take_token():
            return Fault("rate_limited", 429)
        if self.writes_only and not is_write:
            return Fault(None, 0)
        if is_write and self.drop_next > 0:
            self.drop_next -= 1
            return Fault("drop", 0)
        if throttle < self.throttle_rate:
            return Fault("throttle", 429)
        if error < self.error_rate:
            return Fault("error", ERROR_STATUSES[int(error / self.error_rate * 3) % 3])
        if is_write and drop < self.drop_rate:
            return Fault("drop", 0)
        return Fault(None, 0)

    def _take_token(self) -> bool:
        """One request's token from the bucket, refilled at `rate_limit` a second."""
        now = time.monotonic()
        capacity = max(1.0, self.rate_limit)
        if self._filled_at is None:
            self._tokens = capacity
        else:
            self._tokens = min(capacity, self._tokens + (now - self._filled_at) * self.rate_limit)
        self._filled_at = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return True
        return False

    @property
    def active(self) -> bool:
        return bool(
            self.throttle_rate or self.error_rate or self.drop_rate or self.drop_next
            or self.rate_limit
        )  # fmt: skip


@dataclass(frozen=True)
class Fault:
    """The fault chosen for one request (kind None: none)."""

    kind: str | None
    status: int
