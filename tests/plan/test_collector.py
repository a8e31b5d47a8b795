"""fewer_collections: the collector's pace is raised inside and restored exactly after."""

from __future__ import annotations

import asyncio
import gc

from runform.collector import BULK_THRESHOLD, fewer_collections


def test_threshold_raised_inside_and_restored_after() -> None:
    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold()[0] == max(before[0], BULK_THRESHOLD)
        assert gc.get_threshold()[1:] == before[1:]
    assert gc.get_threshold() == before


def test_overlapping_coroutines_restore_the_original_pace() -> None:
    before = gc.get_threshold()

    async def hold(delay: float) -> None:
        with fewer_collections():
            await asyncio.sleep(delay)
            assert gc.get_threshold()[0] >= BULK_THRESHOLD

    async def both() -> None:
        # The first to enter leaves first: the second must still see the raised pace.
        first = asyncio.create_task(hold(0.01))
        await asyncio.sleep(0)
        await asyncio.gather(first, hold(0.03))

    asyncio.run(both())
    assert gc.get_threshold() == before


def test_restored_when_the_body_raises() -> None:
    before = gc.get_threshold()
    try:
        with fewer_collections():
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert gc.get_threshold() == before
