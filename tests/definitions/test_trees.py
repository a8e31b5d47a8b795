"""How trees are built from validated documents."""

from __future__ import annotations

from runform.providers.cutover.definitions.models import RunbookSpec, TaskSpec
from runform.providers.cutover.definitions.trees import TIME_FIELDS


def test_the_time_fields_are_found_from_the_models() -> None:
    """Only these fields are read in the runbook's timezone and checked for clock changes."""
    assert TIME_FIELDS[RunbookSpec] == {"start_planned", "start_scheduled", "end_scheduled"}
    assert TIME_FIELDS[TaskSpec] == {"start_fixed", "end_fixed"}
