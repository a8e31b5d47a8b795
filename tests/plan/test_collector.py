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


def test_building_to_keep_pauses_collection_and_sets_aside_what_was_built() -> None:
    from runform.collector import building_to_keep

    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    try:
        with building_to_keep():
            assert not gc.isenabled()
            with building_to_keep():  # nested: the outermost restores
                kept = [{"task": i} for i in range(1000)]
            assert not gc.isenabled()
        assert gc.isenabled()
        assert gc.get_freeze_count() >= frozen + len(kept)
    finally:
        gc.unfreeze()


def test_building_to_keep_leaves_a_disabled_collector_disabled() -> None:
    from runform.collector import building_to_keep

    gc.disable()
    try:
        with building_to_keep():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()


def test_loading_runbook_files_leaves_no_reference_cycles() -> None:
    # Cycles keep a whole loaded file (its parsed data and marks) alive until a collection:
    # with collection paused for a plan, they would be kept to the end of the process.
    from pathlib import Path

    from runform.providers.cutover.definitions import load_definitions, load_project

    examples = Path(__file__).resolve().parents[2] / "examples"
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        definitions = load_definitions([examples], project=load_project(examples))
        gc.collect()
        kinds = {type(o).__module__ for o in gc.garbage}
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert definitions.trees
    assert not {k for k in kinds if k.startswith("runform.")}, kinds
