"""Cutover's words for the core plan: resource kinds, addresses, and a runbook's schedule."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field

from runform.core.address import quote
from runform.core.model import PLAN_FORMAT_VERSION, Action, Change, FieldChange, Plan, RootPlan
from runform.providers.cutover.plan.outline import Outline

__all__ = [
    "PLAN_FORMAT_VERSION",
    "Action",
    "Archive",
    "Change",
    "CutoverPlan",
    "FieldChange",
    "Kind",
    "Plan",
    "RootPlan",
    "RunbookPlan",
    "Schedule",
    "rto_address",
    "runbook_address",
    "stream_address",
    "task_address",
]


class Kind(StrEnum):
    RUNBOOK = "runbook"
    STREAM = "stream"
    TASK = "task"
    RTO = "rto"


@lru_cache(maxsize=4096)  # asked for once per task of the runbook
def runbook_address(name: str) -> str:
    return f"runbook[{quote(name)}]"


def rto_address(runbook: str) -> str:
    return f"{runbook_address(runbook)}.rto"


def stream_address(runbook: str, name: str) -> str:
    return f"{runbook_address(runbook)}.stream[{quote(name)}]"


def task_address(runbook: str, name: str) -> str:
    return f"{runbook_address(runbook)}.task[{quote(name)}]"


class Schedule(BaseModel):
    """A runbook's planned length: total duration and critical path, in seconds."""

    model_config = ConfigDict(frozen=True)

    task_count: int = 0
    critical_path_seconds: int = 0
    critical_path: tuple[str, ...] = ()  # task names along the longest chain
    planned_end: str | None = None  # ISO datetime when the runbook has a start time
    # What policies read (docs/design.md, Policies): tasks by type name, and start_scheduled.
    task_types: dict[str, int] = Field(default_factory=dict)
    start_scheduled: str | None = None


class Archive(BaseModel):
    """What archiving a runbook takes with it: Cutover archives its streams and tasks with it
    (`DELETE /core/runbooks/{id}`), so they are counted here, not planned one by one."""

    model_config = ConfigDict(frozen=True)

    streams: int = 0
    tasks: int = 0


class RunbookPlan(RootPlan):
    """Everything planned for one runbook: the core's root plan and the runbook's schedule."""

    model_config = ConfigDict(extra="forbid")

    provider: str = "cutover"
    archive: Archive | None = None  # set when the plan archives the runbook
    schedule_before: Schedule | None = None
    schedule_after: Schedule | None = None
    # Every stream and task with its predecessors, as Cutover has them (None: a runbook it does
    # not have) and after the plan (deleted ones kept): what `runform graph` draws.
    outline_before: Outline | None = None
    outline_after: Outline | None = None


class CutoverPlan(Plan):
    """A plan of Cutover runbooks only: the plan file's schema (schemas/plan.schema.json)."""

    roots: list[RunbookPlan] = Field(default_factory=list)  # type: ignore[assignment]
