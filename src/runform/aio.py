"""`run`: asyncio.run for the command line, with the coroutine's result kept out of its task.

When asyncio.run returns, it puts back the SIGINT handler it had installed; `signal.signal`
then turns the old handler (a partial holding the main task) into an enum member or, failing,
formats its repr for the ValueError it swallows: the repr of a finished task includes its
result, so a plan of 10,000 tasks was printed into a string and thrown away (0.4-0.8 s of
every `runform plan`, docs/benchmarks.md). The task here finishes with None.
"""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run `coroutine` to completion in a new event loop and return its result."""
    import asyncio

    box: list[T] = []

    async def main() -> None:
        box.append(await coroutine)

    asyncio.run(main())
    return box[0]
