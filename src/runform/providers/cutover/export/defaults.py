"""Cutover's default values: fields holding them are left out of exported files."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

TASK_LEVEL = "level_3"
TASK_START_REQUIREMENTS = "any_can_start"
TASK_END_REQUIREMENTS = "all_must_end"
RUNBOOK_STATUS = "off"


@dataclass(frozen=True)
class ExportDefaults:
    """The tenant-specific defaults: default runbook and task types, task type durations."""

    runbook_type: str | None = None
    task_type: str | None = None
    task_type_durations: Mapping[str, int] = field(default_factory=dict)

    def task_duration(self, task_type: str | None) -> int | None:
        """The duration a task of `task_type` (or of the default type) gets when none is sent."""
        return self.task_type_durations.get(task_type or self.task_type or "")
