"""The Cutover use cases the command line wires: each is the whole sequence of one operation,
so the CLI only gathers options, asks, and prints.

- `read_saved_plan`: a plan file, checked against the Cutover it was made for and against the
  live state it was made from, before anything is applied.
- `run_apply`: a plan applied with a journal and progress, interruptible, re-planning a runbook
  after a doubtful write when the files are at hand; then a comment on each changed runbook.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from runform.core.interrupt import run_interruptible
from runform.core.model import Plan
from runform.core.progress import ApplyProgress
from runform.core.result import ApplyResult, ApplyStatus
from runform.providers.cutover.api.client import CutoverClient
from runform.providers.cutover.apply import Journal, make_applier
from runform.providers.cutover.apply.comments import comment_changed_runbooks
from runform.providers.cutover.apply.recovery import Replan
from runform.providers.cutover.apply.staleness import check_fresh, check_target
from runform.providers.cutover.live.lookups import Lookups
from runform.providers.registry import load_plan


async def read_saved_plan(client: CutoverClient, path: Path) -> tuple[Plan, Lookups]:
    """The saved plan and the directory it is applied with; refused when made against another
    Cutover (checked before anything is read there) or when the live state has moved since."""
    plan = load_plan(path)
    check_target(client, plan)
    lookups = await Lookups.fetch(client)
    await check_fresh(client, lookups, plan)
    return plan, lookups


async def run_apply(
    client: CutoverClient,
    plan: Plan,
    lookups: Lookups,
    *,
    parallelism: int,
    progress: ApplyProgress,
    replan: Replan | None = None,
    state_dir: Path = Path(".runform"),
    context: dict[str, Any] | None = None,
    comment: bool = True,
    entries: Sequence[Mapping[str, Any]] = (),
) -> ApplyResult:
    """Apply `plan`, journaling every call under `state_dir` with the apply's `context`
    (actor, target, digest, commit, reason); Ctrl-C stops it gracefully. With `comment`, each
    changed runbook gets a comment saying what changed and why (a refusal is a warning).
    `entries` are journaled first (a policy overridden, and why: who reads the journal sees
    what the apply went ahead despite)."""
    journal = Journal(state_dir, context).open()
    for entry in entries:
        journal.record(**entry)
    applier = make_applier(
        client,
        plan,
        lookups,
        parallelism=parallelism,
        journal=journal,
        progress=progress,
        replan=replan,
    )
    try:
        result = await run_interruptible(applier)
        if comment and result.status is not ApplyStatus.INTERRUPTED:
            result.warnings += await comment_changed_runbooks(client, plan, result, journal)
        return result
    finally:
        progress.close()
        journal.close()
