"""A runbook's stream changes: the files' streams matched against Cutover's (or a template
copy's), and which unmatched streams stay (primary, from the template, still needed) or go."""

from __future__ import annotations

from typing import Any

from runform.providers.cutover.plan.draft import Draft, full_values, matched_change
from runform.providers.cutover.plan.model import Action, Change, Kind, stream_address
from runform.providers.cutover.plan.values import field_changes, managed_values
from runform.providers.cutover.state.shapes import RunbookTree
from runform.text.safe import shown


def plan_streams(draft: Draft, desired: RunbookTree) -> set[str]:
    """Stream changes; returns the names of all streams the runbook has after the plan."""
    current = draft.current
    matches = draft.streams
    for stream in desired.streams:
        base = matches.get(stream.name)
        common: dict[str, Any] = {
            "address": stream_address(draft.name, stream.name),
            "kind": Kind.STREAM,
            "root": draft.name,
            "name": stream.name,
        }
        if base is None:
            old = desired.stream_renamed_from.get(stream.name)
            if old is not None:
                draft.warnings.append(
                    f'stream "{shown(stream.name)}" is renamed from "{shown(old)}", which '
                    f"neither Cutover nor the template has: it is created instead"
                    + (
                        " (a new runbook's primary stream is Cutover's to name; rename it "
                        "once the runbook exists)"
                        if current.live is None and not current.predicted
                        else ""
                    )
                )
            draft.add(Change(**common, action=Action.CREATE, after=managed_values(stream)))
            continue
        # The base as the files' renames leave it: a substream of a renamed parent has not moved.
        base_state = base.state.model_copy(update={"parent": draft.stream_name(base.state.parent)})
        fields = field_changes(stream, base_state)
        draft.add(matched_change(common, stream, base, base_state, fields, current.predicted))
    names = {s.name for s in desired.streams}
    matched = {id(s) for s in matches.values()}
    unmatched = [s for s in current.streams if id(s) not in matched]
    needed = {t.stream for t in draft.final_tasks.values() if t.stream} | {
        s.parent for s in desired.streams if s.parent
    }
    kept = [
        s
        for s in unmatched
        if current.predicted or s.from_template or s.is_primary or s.state.name in needed
    ]
    # A stream stays when a kept stream sits under it.
    parents = {s.state.name: s.state.parent for s in current.streams}
    for existing in list(kept):
        parent = parents.get(existing.state.name)
        while parent:
            needed.add(parent)
            parent = parents.get(parent)
    for existing in unmatched:
        common = {
            "address": stream_address(draft.name, existing.state.name),
            "kind": Kind.STREAM,
            "root": draft.name,
            "name": existing.state.name,
        }
        keep = any(k is existing for k in kept) or existing.state.name in needed
        if keep and existing.is_primary and desired.streams and not existing.from_template:
            draft.warnings.append(
                f'stream "{shown(existing.state.name)}" stays though the files leave it out: it '
                "is the runbook's primary stream, which Cutover never deletes"
            )
        if keep:
            names.add(existing.state.name)
            if current.predicted:
                draft.add(
                    Change(
                        **common,
                        action=Action.COPY,
                        after=full_values(existing.state),
                        from_template=True,
                    )
                )
            else:
                draft.unchanged["stream"] += 1
        else:
            draft.add(
                Change(
                    **common,
                    action=Action.DELETE,
                    id=existing.id,
                    before=full_values(existing.state),
                )
            )
    return names
