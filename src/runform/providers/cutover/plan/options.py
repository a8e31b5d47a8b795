"""Choices that shape a plan: safety limits, targeting, and defaults the files leave out."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class PlanOptions(BaseModel):
    """Options for planning; the CLI fills them from flags and runform.yaml."""

    model_config = ConfigDict(frozen=True)

    allow_deletes: bool = False
    delete_limit: bool = True  # runform.yaml policies.delete_limit.enabled
    delete_limit_count: int = 10  # refuse more deletions than this across the plan
    delete_limit_percent: float = 25.0  # refuse deleting more than this share of a runbook's tasks
    targets: tuple[str, ...] = ()  # address globs to keep (with what they depend on)
    excludes: tuple[str, ...] = ()  # address globs to leave out (with what depends on them)
    runbooks: tuple[str, ...] | None = None  # plan only runbooks with these names
    forecast: bool = False  # read each runbook's tasks in one forecast response, not pages
    destroy: bool = False  # `runform destroy`: archive every runbook the files name
    # Filled from the live lookups so schedules of new tasks use their type's default duration.
    default_task_type: str | None = None
    default_durations: dict[str, int] = Field(default_factory=dict)
