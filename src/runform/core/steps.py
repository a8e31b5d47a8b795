"""Work written as steps (a generator that yields between them), run straight through or on
an event loop between its other callbacks.

A plan's files load while its reads are answered: a thread would contend with the event
loop for the interpreter lock (measured slower, docs/benchmarks.md), so the loading yields
after each file instead, and the loop answers whatever arrived in the meantime.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TypeVar

T = TypeVar("T")

Steps = Generator[None, None, T]


def finish(steps: Steps[T]) -> T:
    """Run every step now and return the result."""
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value  # type: ignore[no-any-return]


async def between_callbacks(steps: Steps[T]) -> T:
    """Run the steps on the running event loop, letting it run its ready callbacks (answers
    that arrived, requests to send) after each one."""
    import asyncio

    while True:
        await asyncio.sleep(0)
        try:
            next(steps)
        except StopIteration as done:
            return done.value  # type: ignore[no-any-return]
