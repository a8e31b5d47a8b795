"""Adaptive concurrency (AIMD): halve on 429, creep back up on success."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass


@dataclass
class Slot:
    """One admitted request; remembers which limit epoch it started in."""

    epoch: int


class AdaptiveLimiter:
    """A semaphore whose limit drops multiplicatively on throttling and rises additively.

    Cutover documents no rate numbers, so the client learns a safe concurrency: each 429
    halves the limit (once per epoch, so a burst of 429s from one wave counts once) and each
    success adds `increase / limit`, about one more slot per round of successful calls.
    """

    def __init__(
        self,
        maximum: int,
        *,
        minimum: int = 1,
        decrease: float = 0.5,
        increase: float = 1.0,
    ) -> None:
        if maximum < 1:
            raise ValueError("maximum concurrency must be at least 1")
        self.maximum = maximum
        self.minimum = max(1, min(minimum, maximum))
        self.decrease = decrease
        self.increase = increase
        self.limit = float(maximum)
        self.in_flight = 0
        self.peak_in_flight = 0
        self.lowest_limit = float(maximum)
        self.epoch = 0
        self._changed = asyncio.Condition()

    @property
    def current(self) -> int:
        """The number of requests allowed in flight right now."""
        return max(self.minimum, int(self.limit))

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[Slot]:
        """Wait for room under the current limit, hold it for one request."""
        async with self._changed:
            await self._changed.wait_for(lambda: self.in_flight < self.current)
            self.in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
        try:
            yield Slot(self.epoch)
        finally:
            async with self._changed:
                self.in_flight -= 1
                self._changed.notify_all()

    def throttled(self, slot: Slot) -> None:
        """A request was refused with 429: shrink the limit (once per epoch)."""
        if slot.epoch != self.epoch:
            return
        self.epoch += 1
        self.limit = max(float(self.minimum), self.limit * self.decrease)
        self.lowest_limit = min(self.lowest_limit, self.limit)

    def succeeded(self) -> None:
        """A request succeeded: grow the limit a little, up to the maximum."""
        self.limit = min(float(self.maximum), self.limit + self.increase / max(self.limit, 1.0))
