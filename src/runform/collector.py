"""Garbage collection paced for bulk reads: fewer scans while many objects are built.

A process-wide policy, so library code never sets it: a program's entry point does, once
(`runform`'s command line calls `pace_for_bulk_work`), or a caller wraps its own bulk work
in `fewer_collections`."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# CPython's default (700 new objects between young collections) makes a plan of 10,000
# tasks rescan its growing, cycle-free result over and over: a third of the plan's CPU.
BULK_THRESHOLD = 50_000

_active = 0
_saved: tuple[int, int, int] | None = None


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Collect young objects every BULK_THRESHOLD allocations inside, as before outside.

    Safe to nest and to overlap between coroutines: the first to enter raises the threshold,
    the last to leave restores it.
    """
    global _active, _saved
    if _active == 0:
        _saved = gc.get_threshold()
        gc.set_threshold(max(_saved[0], BULK_THRESHOLD), _saved[1], _saved[2])
    _active += 1
    try:
        yield
    finally:
        _active -= 1
        if _active == 0 and _saved is not None:
            gc.set_threshold(*_saved)
            _saved = None


def pace_for_bulk_work() -> None:
    """For the whole process: young collections every BULK_THRESHOLD allocations at least."""
    young, middle, old = gc.get_threshold()
    gc.set_threshold(max(young, BULK_THRESHOLD), middle, old)


_building = 0
_was_enabled = True


@contextmanager
def building_to_keep() -> Iterator[None]:
    """No cyclic collection inside; on leaving, what exists is set aside (`gc.freeze`).

    For a command's bulk phase whose results live to the end of the process: a plan's files,
    live state and diff. Each collection would walk all of it again (a plan of 10,000 tasks
    spent a sixth of its CPU there) and free almost nothing: reference counting frees what
    is acyclic as it goes, and the few cycles made inside (about 40 objects per HTTP request,
    an httpx response and its stream) are kept, frozen, not collected. Safe to nest; the
    collector's enabled state is restored by the outermost.
    """
    global _building, _was_enabled
    if _building == 0:
        _was_enabled = gc.isenabled()
        gc.disable()
    _building += 1
    try:
        yield
    finally:
        _building -= 1
        if _building == 0:
            gc.freeze()
            if _was_enabled:
                gc.enable()
