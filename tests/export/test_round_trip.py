"""Round trips at scale: the examples after apply, and generated runbooks of 500 tasks."""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.export.support import client_for, export_to, make_runbook, plan_dir, snapshot

from runform.core.sandbox_kit.transport import InProcessTransport
from runform.providers.cutover.apply import Journal, apply_plan
from runform.providers.cutover.definitions import load_definitions
from runform.providers.cutover.engine import make_plan
from runform.providers.cutover.sandbox import SANDBOX_TOKEN, create_app

EXAMPLES = Path(__file__).parents[2] / "examples"


@dataclass
class _InProcess:
    """A fresh sandbox in-process (hypothesis examples cannot share a function fixture)."""

    app: object = field(default_factory=lambda: create_app(":memory:"))
    base_url: str = "http://sandbox.local"
    token: str = SANDBOX_TOKEN

    @property
    def transport(self) -> httpx.ASGITransport:
        return InProcessTransport(app=self.app)


@pytest.mark.anyio
async def test_examples_round_trip_after_apply(sandbox, tmp_path: Path) -> None:
    async with client_for(sandbox) as client:
        plan, lookups = await make_plan(client, load_definitions([str(EXAMPLES)]))
        with Journal(tmp_path / "journal") as journal:
            result = await apply_plan(client, plan, lookups, journal=journal)
        assert result.ok, result.failed
        report = await export_to(client, tmp_path / "a", everything=True)
        names = {f.runbook for f in report.files}
        assert {r.name for r in plan.roots} <= names
        after = await plan_dir(client, tmp_path / "a")
        assert not after.has_changes, [c.address for c in after.changes()]
        await export_to(client, tmp_path / "b", everything=True)
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")


def _random_runbook(seed: int, size: int) -> list[tuple[str, str, list[int]]]:
    """`size` tasks over three streams, each after up to three random earlier tasks."""
    rng = random.Random(seed)
    tasks = []
    for index in range(size):
        earlier = rng.sample(range(index), k=min(index, rng.randint(0, 3)))
        name = f"Task {index:03d} {rng.choice(['check', 'deploy', 'verify'])}"
        tasks.append((name, ("Alpha", "Beta", "Gamma")[index % 3], earlier))
    return tasks


@settings(
    max_examples=2,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(seed=st.integers(min_value=0, max_value=2**32))
def test_generated_runbook_of_500_tasks_round_trips(tmp_path_factory, seed: int) -> None:
    asyncio.run(_round_trip_generated(tmp_path_factory.mktemp("gen"), seed))


async def _round_trip_generated(tmp_path: Path, seed: int) -> None:
    async with client_for(_InProcess()) as client:
        streams = [("Alpha", None), ("Beta", None), ("Gamma", "Beta")]
        await make_runbook(client, "Generated", streams=streams, tasks=_random_runbook(seed, 500))
        report = await export_to(client, tmp_path / "a", runbooks=["Generated"])
        assert report.files[0].task_count == 500
        assert not (await plan_dir(client, tmp_path / "a")).has_changes
        await export_to(client, tmp_path / "b", runbooks=["Generated"])
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")
