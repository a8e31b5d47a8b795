"""Faults converge with no duplicates: server errors and throttling before a write is handled,
and answers dropped after it is committed (the applier re-reads, then sends what is left)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.cycloid.conftest import Cycloid
from tests.cycloid.support import apply, plan

pytestmark = pytest.mark.anyio
ORG = "/organizations/acme"


async def _counts(sandbox: Cycloid) -> dict[str, int]:
    sandbox.faults.error_rate = sandbox.faults.throttle_rate = sandbox.faults.drop_rate = 0.0
    async with sandbox.http() as http:
        found = {}
        for kind in (
            "roles",
            "teams",
            "credentials",
            "config_repositories",
            "projects",
            "infra_policies",
            "teams/payments/members",
            "projects/payments-api/environments",
        ):
            found[kind] = (await http.get(f"{ORG}/{kind}")).json()["pagination"]["total"]
    return found


EXPECTED = {
    "roles": 4,
    "teams": 1,
    "credentials": 1,
    "config_repositories": 1,
    "projects": 1,
    "infra_policies": 1,
    "teams/payments/members": 2,
    "projects/payments-api/environments": 2,
}


async def test_dropped_answers_after_commit_converge_without_duplicates(
    either: Cycloid, example: Path
) -> None:
    either.faults.drop_next = 4  # the first four writes are made, their answers lost
    result = await apply(either, example / "acme.yaml")
    assert result.ok and result.recoveries >= 1
    assert await _counts(either) == EXPECTED
    assert not (await plan(either, example / "acme.yaml")).has_changes


@pytest.mark.parametrize("seed", [1, 7, 42])
async def test_errors_throttling_and_drops_converge(
    cycloid: Cycloid, example: Path, seed: int
) -> None:
    faults = cycloid.faults
    faults.seed, faults.retry_after = seed, 0
    faults.error_rate, faults.throttle_rate, faults.drop_rate = 0.2, 0.2, 0.2
    result = await apply(cycloid, example / "acme.yaml")
    assert result.ok, result.failed
    assert await _counts(cycloid) == EXPECTED
    assert not (await plan(cycloid, example / "acme.yaml")).has_changes
