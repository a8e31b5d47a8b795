"""Pacing requests under a rate ceiling the server does not announce.

Cutover documents 429s with back-off and no numbers, and real limits are reported at a few
requests a second: a limit on rate, which no limit on concurrency can meet (one request in
flight at 20 ms is 50 a second). The pacer is off until the first 429 that comes without a
`Retry-After`. Then it measures how many requests succeeded in the last second (what the
server's bucket let through), paces every request at just under that, and creeps up slowly
(additive increase) so it finds the ceiling again after the server's limit rises; each 429
brings the rate back down to what was measured (multiplicative decrease).
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable

WINDOW = 1.0  # seconds of successes the rate is measured over
MARGIN = 0.9  # pace at this share of the measured rate
INCREASE = 0.2  # requests a second gained per second of success (each success adds INCREASE / rate)
MINIMUM = 0.2  # requests a second: never slower than one each five seconds


class RatePacer:
    """Spacing between request starts, learnt from 429s without `Retry-After`."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.rate: float | None = None  # requests a second; None: not pacing
        self.lowest_rate: float | None = None
        self._successes: deque[float] = deque()
        self._next = 0.0
        self._adjusted = float("-inf")  # when the rate last came down

    def delay(self) -> float:
        """Seconds the next request must wait for its turn (and its turn is taken)."""
        if self.rate is None:
            return 0.0
        now = self.clock()
        start = max(now, self._next)
        self._next = start + 1.0 / self.rate
        return start - now

    async def wait(self) -> None:
        pause = self.delay()
        if pause > 0:
            await asyncio.sleep(pause)

    def succeeded(self) -> None:
        now = self.clock()
        self._successes.append(now)
        while self._successes and self._successes[0] < now - WINDOW:
            self._successes.popleft()
        if self.rate is not None:
            self.rate += INCREASE / self.rate

    def sent(self) -> float:
        """The time a request is sent, for `throttled` to tell old answers from new ones."""
        return self.clock()

    def throttled(self, sent_at: float) -> None:
        """A 429 without `Retry-After`: pace at just under what the last second let through.

        A 429 to a request sent before the rate last came down says nothing new (a wave of
        requests in flight is refused together): only the first of the wave counts."""
        if sent_at < self._adjusted:
            return
        now = self.clock()
        # Measured over the last second, or since the last change of pace when that is nearer:
        # successes before it came at the old pace.
        since = max(now - WINDOW, self._adjusted)
        self._adjusted = now
        while self._successes and self._successes[0] < since:
            self._successes.popleft()
        span = now - since
        measured = len(self._successes) / span if span >= WINDOW / 4 else 0.0
        if measured:
            rate = measured * MARGIN
            if self.rate is not None:
                rate = min(rate, self.rate * MARGIN)
        elif self.rate is not None:
            rate = self.rate * MARGIN  # too soon to measure: one step down
        else:
            rate = 2 * MINIMUM
        self.rate = max(MINIMUM, rate)
        self.lowest_rate = min(self.rate, self.lowest_rate or self.rate)
