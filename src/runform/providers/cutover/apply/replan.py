"""Re-planning one runbook from the files against the live state, after an unknown outcome."""

from __future__ import annotations

from typing import Any

from runform.core.model import RootPlan
from runform.errors import PlanError
from runform.providers.cutover.api.client import CutoverClient
from runform.providers.cutover.apply.recovery import Replan
from runform.providers.cutover.live.lookups import Lookups
from runform.providers.cutover.state.shapes import LiveRunbook


def replanner(
    client: CutoverClient, definitions: Any, options: Any, lookups: Lookups | None = None
) -> Replan:
    """A `replan` callback: plan just this runbook again, with the same files and options."""

    async def replan(runbook_plan: RootPlan, live: LiveRunbook | None = None) -> RootPlan:
        from runform.providers.cutover.engine import make_plan

        narrowed = options.model_copy(update={"runbooks": (runbook_plan.name,)})
        known = {runbook_plan.name: live} if live is not None else None
        plan, _ = await make_plan(client, definitions, narrowed, lookups=lookups, known=known)
        for fresh in plan.roots:
            if fresh.name == runbook_plan.name:
                if not fresh.appliable:
                    raise PlanError(f'runbook "{fresh.name}": {fresh.refusal}')
                return fresh
        raise PlanError(f'runbook "{runbook_plan.name}" is no longer in the plan')

    return replan
