"""The entry point: apply a plan with the live reads recovery needs wired in."""

from __future__ import annotations

from typing import Any

from runform.core.journal import Journal
from runform.core.model import RootPlan
from runform.core.progress import ApplyProgress
from runform.core.result import ApplyResult
from runform.core.runner import Applier
from runform.errors import PlanError
from runform.providers.cutover.api.client import CutoverClient
from runform.providers.cutover.apply.race import runbook_tree
from runform.providers.cutover.apply.recovery import Replan
from runform.providers.cutover.apply.session import CutoverSession
from runform.providers.cutover.live.lookups import Lookups
from runform.providers.cutover.plan.model import Change, Plan
from runform.providers.cutover.schema import CUTOVER
from runform.providers.cutover.state.shapes import LiveRunbook


def make_applier(
    client: CutoverClient,
    plan: Plan,
    lookups: Lookups,
    *,
    parallelism: int = 10,
    journal: Journal | None = None,
    progress: ApplyProgress | None = None,
    replan: Replan | None = None,
) -> Applier:
    """An Applier whose re-reads go through Cutover's `live.fetch` (so a caller can interrupt
    it)."""
    from runform.providers.cutover.live.fetch import fetch_runbook, find_runbook

    async def read(runbook_id: str) -> LiveRunbook:
        return await fetch_runbook(client, lookups, runbook_id)

    async def find(change: Change) -> LiveRunbook | None:
        return await find_runbook(client, lookups, runbook_tree(change))

    def session(root: RootPlan) -> CutoverSession:
        if root.provider != "cutover":
            raise PlanError(f"{root.address}: a {root.provider} plan; this apply makes Cutover's")
        return CutoverSession(root, client, lookups, read=read, find=find, replan=replan)

    def requests() -> int:
        stats = getattr(client, "stats", None)
        return int(getattr(stats, "total_requests", 0) or 0)

    return Applier(
        plan,
        session,
        CUTOVER,
        parallelism=parallelism,
        journal=journal,
        progress=progress,
        requests=requests,
    )


async def apply_plan(
    client: CutoverClient, plan: Plan, lookups: Lookups, **options: Any
) -> ApplyResult:
    """Make the plan's changes in Cutover and return exactly what was done.

    `options` are make_applier's: parallelism, journal, progress, replan.
    """
    return await make_applier(client, plan, lookups, **options).run()
