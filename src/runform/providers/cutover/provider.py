"""Cutover as an installed provider: its name, schema, plan-file model and file keys."""

from __future__ import annotations

from runform.providers.base import ProviderInfo
from runform.providers.cutover.plan.model import RunbookPlan
from runform.providers.cutover.schema import CUTOVER

PROVIDER = ProviderInfo(
    name="cutover",
    schema=CUTOVER,
    root_model=RunbookPlan,
    file_keys=("runbook", "runbooks"),
)
