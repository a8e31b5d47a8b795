from __future__ import annotations

import asyncio

import pytest

from runform.core.http.limiter import AdaptiveLimiter


def test_multiplicative_decrease_once_per_wave_then_additive_increase():
    async def scenario():
        limiter = AdaptiveLimiter(8)
        async with limiter.slot() as first, limiter.slot() as second:
            limiter.throttled(first)
            limiter.throttled(second)  # same wave: counted once
        assert limiter.current == 4
        async with limiter.slot() as third:
            limiter.throttled(third)
        assert limiter.current == 2
        for _ in range(3):
            limiter.succeeded()
        assert limiter.current == 3
        for _ in range(100):
            limiter.succeeded()
        assert limiter.current == 8
        assert limiter.lowest_limit == 2

    asyncio.run(scenario())


def test_never_more_in_flight_than_the_limit():
    async def scenario():
        limiter = AdaptiveLimiter(3)
        active = 0
        most = 0

        async def work():
            nonlocal active, most
            async with limiter.slot():
                active += 1
                most = max(most, active)
                await asyncio.sleep(0.001)
                active -= 1

        await asyncio.gather(*(work() for _ in range(30)))
        assert most == 3
        assert limiter.peak_in_flight == 3
        assert limiter.in_flight == 0

    asyncio.run(scenario())


def test_floor_is_one():
    async def scenario():
        limiter = AdaptiveLimiter(2)
        for _ in range(5):
            async with limiter.slot() as slot:
                limiter.throttled(slot)
        assert limiter.current == 1

    asyncio.run(scenario())
    with pytest.raises(ValueError):
        AdaptiveLimiter(0)
