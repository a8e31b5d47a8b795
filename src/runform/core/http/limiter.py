"""Adaptive concurrency (AIMD): halve on 429, creep back up on success."""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import dataclass
from types import TracebackType


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
        self._waiters: deque[asyncio.Future[None]] = deque()

    @property
    def current(self) -> int:
        """The number of requests allowed in flight right now."""
        return max(self.minimum, int(self.limit))

    def slot(self) -> _Admission:
        """Wait for room under the current limit, hold it for one request."""
        return _Admission(self)

    async def _acquire(self) -> Slot:
        # First come, first served: a freed slot is handed to the oldest waiter only, so a
        # release wakes one request instead of every queued one.
        if not self._waiters and self.in_flight < self.current:
            self._admit()
            return Slot(self.epoch)
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self._release()  # admitted just as it was cancelled: pass the slot on
            else:
                self._waiters.remove(waiter)
            raise
        return Slot(self.epoch)

    def _admit(self) -> None:
        self.in_flight += 1
        self.peak_in_flight = max(self.peak_in_flight, self.in_flight)

    def _release(self) -> None:
        self.in_flight -= 1
        while self._waiters and self.in_flight < self.current:
            waiter = self._waiters.popleft()
            if not waiter.done():
                self._admit()
                waiter.set_result(None)

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


class _Admission:
    """`async with limiter.slot() as slot`: holds one place under the limit."""

    __slots__ = ("_limiter",)

    def __init__(self, limiter: AdaptiveLimiter) -> None:
        self._limiter = limiter

    async def __aenter__(self) -> Slot:
        return await self._limiter._acquire()

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._limiter._release()
