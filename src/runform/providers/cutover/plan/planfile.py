"""Cutover plan files: the core's format, with each root read as a runbook plan."""

from __future__ import annotations

from pathlib import Path

from runform.core import planfile
from runform.core.planfile import plan_json, save_plan
from runform.providers.cutover.plan.model import CutoverPlan, Plan, RunbookPlan

__all__ = ["load_plan", "plan_json", "plan_schema", "save_plan"]


def load_plan(path: str | Path) -> Plan:
    return planfile.load_plan(path, {"cutover": RunbookPlan})


def plan_schema() -> dict[str, object]:
    return planfile.plan_schema(CutoverPlan)
