"""Work as steps: the same result straight through or between an event loop's callbacks,
which do run between the steps."""

from __future__ import annotations

import asyncio

from hypothesis import given
from hypothesis import strategies as st

from runform.core.steps import Steps, between_callbacks, finish


def _counting(order: list[str], count: int) -> Steps[int]:
    total = 0
    for step in range(count):
        yield
        order.append(f"step {step}")
        total += step
    return total


@given(st.integers(min_value=0, max_value=30))
def test_the_result_is_the_same_either_way(count):
    on_loop = asyncio.run(between_callbacks(_counting([], count)))
    assert finish(_counting([], count)) == on_loop == sum(range(count))


def test_the_loop_runs_other_work_between_the_steps():
    order: list[str] = []

    async def other() -> None:
        for tick in range(3):
            order.append(f"tick {tick}")
            await asyncio.sleep(0)

    async def scenario() -> int:
        ticking = asyncio.ensure_future(other())
        result = await between_callbacks(_counting(order, 3))
        await ticking
        return result

    assert asyncio.run(scenario()) == 3
    assert order.index("tick 1") < order.index("step 2")  # interleaved, not one after the other
    assert order.index("step 0") < order.index("tick 2")


def test_a_failing_step_raises_its_error_either_way():
    def failing() -> Steps[int]:
        yield
        raise ValueError("bad step")

    for run in (finish, lambda steps: asyncio.run(between_callbacks(steps))):
        try:
            run(failing())
        except ValueError as err:
            assert str(err) == "bad step"
        else:
            raise AssertionError("the step's error was lost")
