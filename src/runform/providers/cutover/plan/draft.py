"""What diffing one runbook collects: its changes, the state it ends in, and how values are
shown before and after."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from runform.providers.cutover.plan.current import CurrentRunbook, CurrentStream, CurrentTask
from runform.providers.cutover.plan.model import Action, Change, FieldChange
from runform.providers.cutover.plan.values import (
    base_value,
    field_names,
    json_value,
    managed_fields,
    managed_values,
)
from runform.providers.cutover.state.shapes import RunbookState, StreamState, TaskState


@dataclass
class Draft:
    """Changes and final states collected while diffing one runbook."""

    name: str
    current: CurrentRunbook
    changes: list[Change] = field(default_factory=list)
    unchanged: dict[str, int] = field(
        default_factory=lambda: {"runbook": 0, "stream": 0, "task": 0}
    )
    final_tasks: dict[str, TaskState] = field(default_factory=dict)
    base_tasks: dict[str, CurrentTask] = field(default_factory=dict)  # final name -> base
    deleted_tasks: list[CurrentTask] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    positions: dict[str, int] = field(default_factory=dict)  # address -> reading order
    streams: dict[str, CurrentStream] = field(default_factory=dict)  # desired name -> base
    stream_renames: dict[str, str] = field(default_factory=dict)  # old name -> new name

    def stream_name(self, name: str | None) -> str | None:
        """A current stream's name once the files' renames are applied."""
        return self.stream_renames.get(name, name) if name is not None else None

    def add(self, change: Change) -> None:
        if change.action is Action.NOOP:
            self.unchanged[change.kind] += 1
        else:
            self.changes.append(change)


def before_values(desired: Any, base: Any) -> dict[str, Any]:
    return {f: json_value(f, base_value(f, desired, base)) for f in managed_fields(desired)}


def full_values(state: RunbookState | StreamState | TaskState) -> dict[str, Any]:
    """Every field of a current object, JSON-ready."""
    return {
        f: json_value(f, getattr(state, f))
        for f in field_names(type(state))
        if getattr(state, f) is not None
    }


def matched_action(fields: tuple[FieldChange, ...], predicted: bool) -> Action:
    """What becomes of an object both the files and Cutover (or the template) hold: updated
    when a field differs; else brought by the template's copy, or left as it is."""
    if fields:
        return Action.UPDATE
    return Action.COPY if predicted else Action.NOOP


def matched_change(
    common: dict[str, Any],
    desired: Any,
    base: CurrentStream | CurrentTask,
    base_state: StreamState | TaskState,
    fields: tuple[FieldChange, ...],
    predicted: bool,
) -> Change:
    """The change for such an object, `common` naming it (address, kind, root, name): the
    values before, and after the files' (or, brought unchanged by a copy, all the base's)."""
    return Change(
        **common,
        action=matched_action(fields, predicted),
        id=base.id,
        before=before_values(desired, base_state),
        after=managed_values(desired) if fields or not predicted else full_values(base_state),
        fields=fields,
        from_template=base.from_template,
        renamed_from=base.state.name if base.state.name != desired.name else None,
    )
