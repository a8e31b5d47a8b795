"""Helpers for apply tests: a fast-retrying client on the sandbox, plan, apply, read back."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from runform.providers.cutover.api import CutoverClient, RetryPolicy
from runform.providers.cutover.apply import Journal, apply_plan
from runform.providers.cutover.apply.replan import replanner
from runform.providers.cutover.definitions import load_definitions
from runform.providers.cutover.engine import make_plan
from runform.providers.cutover.live.fetch import find_runbook
from runform.providers.cutover.live.lookups import Lookups
from runform.providers.cutover.plan.options import PlanOptions
from runform.providers.cutover.state.shapes import RunbookState, RunbookTree

DATA = Path(__file__).parent / "data"
# Back-off in milliseconds, so fault tests spend their time on work, not on waiting.
FAST_RETRY = RetryPolicy(max_attempts=8, base_delay=0.001, max_delay=0.01)
ALL_FAULTS = {"error_rate": 0.10, "throttle_rate": 0.05, "drop_rate": 0.03, "retry_after": 0}


def client_for(sandbox: Any, **options: Any) -> CutoverClient:
    """The real client over the sandbox's transport (in-process) or socket (served)."""
    return CutoverClient(
        sandbox.base_url, sandbox.token, sandbox.transport, retry=FAST_RETRY, **options
    )


async def plan_files(client: CutoverClient, paths: list[Path], **options: Any):
    return await make_plan(client, load_definitions(paths), PlanOptions(**options))


async def apply_files(
    client: CutoverClient,
    paths: list[Path],
    journal_root: Path,
    *,
    parallelism: int = 10,
    with_replan: bool = False,
    **options: Any,
):
    """Plan and apply `paths`; returns the ApplyResult."""
    definitions = load_definitions(paths)
    plan_options = PlanOptions(**options)
    plan, lookups = await make_plan(client, definitions, plan_options)
    replan = replanner(client, definitions, plan_options, lookups) if with_replan else None
    with Journal(journal_root) as journal:
        return await apply_plan(
            client, plan, lookups, parallelism=parallelism, journal=journal, replan=replan
        )


async def read_runbook(client: CutoverClient, name: str, workspace: str = "default"):
    """The live runbook by name (None when absent)."""
    lookups = await Lookups.fetch(client)
    tree = RunbookTree(runbook=RunbookState(name=name, workspace=workspace))
    return await find_runbook(client, lookups, tree)


async def live_task_names(client: CutoverClient, runbook_id: str) -> list[str]:
    """Every task name in the runbook, duplicates kept (so a test can count them)."""
    tasks = await client.list(f"/core/runbooks/{runbook_id}/tasks", page_size=100)
    return [t.attributes["name"] for t in tasks]


def comparable(live: Any) -> dict[str, Any]:
    """A live runbook without ids or timestamps: two applies of one file compare equal."""
    return {
        "runbook": live.state.model_dump(mode="json"),
        "streams": sorted(s.state.model_dump_json() for s in live.streams),
        "tasks": sorted(
            t.state.model_copy(
                update={"predecessors": tuple(sorted(t.state.predecessors or ()))}
            ).model_dump_json()
            for t in live.tasks
        ),
    }


def big_runbook_yaml(name: str, count: int, seed: int = 7) -> str:
    """A runbook of `count` tasks in three streams, each after one or two recent tasks."""
    rng = random.Random(seed)
    lines = [
        "runbook:",
        f"  name: {name}",
        "  workspace: default",
        "streams:",
        "  - name: Alpha",
        "  - name: Beta",
        "    streams:",
        "      - name: Gamma",
        "tasks:",
    ]
    for index in range(count):
        lines += [
            f"  - name: Task {index}",
            f"    stream: {rng.choice(['Alpha', 'Beta', 'Gamma'])}",
            f"    duration: {60 * (1 + index % 5)}",
        ]
        if index:
            preds = {f"Task {rng.randrange(max(0, index - 10), index)}" for _ in range(2)}
            lines.append("    after: [" + ", ".join(sorted(preds)) + "]")
    return "\n".join(lines) + "\n"
