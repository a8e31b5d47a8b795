"""The plan as versioned JSON (docs/plan-format.md): the same text a plan file holds."""

from __future__ import annotations

from runform.providers.cutover.plan.model import Plan
from runform.providers.cutover.plan.planfile import plan_json


def render_json(plan: Plan) -> str:
    return plan_json(plan)
