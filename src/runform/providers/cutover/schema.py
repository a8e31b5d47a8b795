"""Cutover's resource types for the core: a runbook root, its streams, tasks and RTO.

Text fields treat "" as null (Cutover returns either for an unset description), lists of names
are sets, custom fields compare only the keys a file sets, and times compare as instants.
"""

from __future__ import annotations

from runform.core.compare import Compare
from runform.core.schema import FieldSpec, ResourceType, Schema

TEXT, EXACT, INSTANT = Compare.TEXT, Compare.EXACT, Compare.INSTANT


def _text(*names: str) -> tuple[FieldSpec, ...]:
    return tuple(FieldSpec(name, TEXT) for name in names)


def _instants(*names: str) -> tuple[FieldSpec, ...]:
    return tuple(FieldSpec(name, INSTANT) for name in names)


CUSTOM_FIELDS = FieldSpec("custom_fields", Compare.SUBSET_MAP)

RUNBOOK = ResourceType(
    "runbook",
    archives=True,  # DELETE /core/runbooks/{id} archives
    fields=(
        *_text("name", "workspace", "folder", "type", "description", "timezone"),
        *_instants("start_planned", "start_scheduled", "end_scheduled"),
        *_text("status", "status_message"),
        FieldSpec("is_template", EXACT),
        *_text("template_status"),
        CUSTOM_FIELDS,
    ),
)
STREAM = ResourceType(
    "stream",
    parent="runbook",
    fields=(
        *_text("name"),
        FieldSpec("parent", TEXT, references="stream"),
        *_text("color", "description"),
    ),
)
TASK = ResourceType(
    "task",
    parent="runbook",
    fields=(
        *_text("name"),
        FieldSpec("stream", TEXT, references="stream"),
        *_text("type"),
        FieldSpec("duration", EXACT),
        *_text("level"),
        FieldSpec("predecessors", Compare.SET, references="task"),
        FieldSpec("assignees", Compare.SET),
        FieldSpec("links", Compare.SET),
        *_instants("start_fixed", "end_fixed"),
        *_text("start_requirements", "end_requirements"),
        FieldSpec("disable_notify", EXACT),
        *_text("description"),
        CUSTOM_FIELDS,
    ),
)

# The runbook's recovery time objective, a part of the runbook planned on its own: it names
# tasks, so it waits for their creation (a runbook change cannot: its tasks wait for it).
RTO = ResourceType(
    "rto",
    parent="runbook",
    fields=(
        FieldSpec("rto", EXACT),
        FieldSpec("rto_start_task", TEXT, references="task"),
        FieldSpec("rto_end_task", TEXT, references="task"),
    ),
)

CUTOVER = Schema((RUNBOOK, STREAM, TASK, RTO))


def compare_of(field: str) -> Compare:
    """A field's compare mode; one field name means one thing on every Cutover type."""
    return _MODES.get(field, EXACT)


_MODES: dict[str, Compare] = {}
for _kind in CUTOVER.types:
    for _spec in _kind.fields:
        if _MODES.setdefault(_spec.name, _spec.compare) is not _spec.compare:
            raise ValueError(f"{_spec.name}: compared two ways on Cutover types")
