"""A plan: small value objects, one per change, plus a little metadata.

Changes carry values in canonical-name space (see `runform.state`); the applier turns names
into ids with the live lookups. Ordering comes from `depends_on`, never from list position.
"""

from __future__ import annotations

import warnings
from enum import StrEnum
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from runform.core.address import quote

PLAN_FORMAT_VERSION = 1


class Action(StrEnum):
    CREATE = "create"
    COPY = "copy"  # a runbook created by copying a template
    UPDATE = "update"
    DELETE = "delete"
    NOOP = "no-op"


class Kind(StrEnum):
    RUNBOOK = "runbook"
    STREAM = "stream"
    TASK = "task"


@lru_cache(maxsize=4096)  # asked for once per task of the runbook
def runbook_address(name: str) -> str:
    return f"runbook[{quote(name)}]"


def stream_address(runbook: str, name: str) -> str:
    return f"{runbook_address(runbook)}.stream[{quote(name)}]"


def task_address(runbook: str, name: str) -> str:
    return f"{runbook_address(runbook)}.task[{quote(name)}]"


class FieldChange(BaseModel):
    """One managed field's before and after value (JSON-ready, names not ids)."""

    model_config = ConfigDict(frozen=True)

    field: str
    before: Any = None
    after: Any = None


# `Change.copy` is the plan format's field name; pydantic's deprecated `BaseModel.copy` is unused.
warnings.filterwarnings("ignore", message='Field name "copy" in "Change"', category=UserWarning)


class Change(BaseModel):
    """One create, copy, update, delete or no-op of one object."""

    model_config = ConfigDict(frozen=True)

    address: str
    kind: Kind
    action: Action
    runbook: str  # the runbook's name (its address is runbook_address(runbook))
    name: str
    id: str | None = None  # live id, for updates and deletes
    before: dict[str, Any] | None = None  # managed fields, live values
    after: dict[str, Any] | None = None  # managed fields, desired values
    fields: tuple[FieldChange, ...] = ()
    depends_on: tuple[str, ...] = ()
    from_template: bool = False  # the object is (or will be) brought by a template copy
    renamed_from: str | None = None
    drift: bool = False  # live differs from the file on a field the file manages
    copy: dict[str, Any] | None = None  # for COPY: {template, template_id, tasks, teams, users}


class Schedule(BaseModel):
    """A runbook's planned length: total duration and critical path, in seconds."""

    model_config = ConfigDict(frozen=True)

    task_count: int = 0
    critical_path_seconds: int = 0
    critical_path: tuple[str, ...] = ()  # task names along the longest chain
    planned_end: str | None = None  # ISO datetime when the runbook has a start time


class RunbookPlan(BaseModel):
    """Everything planned for one runbook."""

    name: str
    address: str
    live_id: str | None = None
    source: str | None = None  # file:line the runbook came from
    appliable: bool = True
    refusal: str | None = None  # why the runbook cannot be applied as planned
    changes: list[Change] = Field(default_factory=list)
    unchanged: dict[str, int] = Field(default_factory=dict)  # kind -> count of no-ops
    schedule_before: Schedule | None = None
    schedule_after: Schedule | None = None
    warnings: list[str] = Field(default_factory=list)
    # Address → live id of every stream and task that exists before the plan, unchanged ones
    # included (under its name after the plan), so the applier can name predecessors by id.
    live_ids: dict[str, str] = Field(default_factory=dict)


class Plan(BaseModel):
    """A whole plan, as saved by `plan -out` and read by `apply PLANFILE` / `show`."""

    format_version: int = PLAN_FORMAT_VERSION
    runform_version: str = ""
    created_at: str = ""
    target: str = ""  # the Cutover planned against: base URL and Core-Url (never the token)
    runbooks: list[RunbookPlan] = Field(default_factory=list)
    fingerprint: dict[str, str | None] = Field(default_factory=dict)  # object id -> updated_at
    definitions_digest: str | None = None  # digest of the files the plan was made from

    def changes(self) -> list[Change]:
        return [c for rb in self.runbooks for c in rb.changes if c.action is not Action.NOOP]

    def counts(self) -> dict[str, int]:
        counts = {"create": 0, "update": 0, "delete": 0}
        for change in self.changes():
            key = "create" if change.action in (Action.CREATE, Action.COPY) else change.action.value
            counts[key] += 1
        return counts

    @property
    def has_changes(self) -> bool:
        return bool(self.changes())
