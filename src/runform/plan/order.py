"""Which changes must happen before which: runbook first, parents and predecessors first,
deletes after whatever still points at the deleted object, successors before predecessors."""

from __future__ import annotations

from collections import defaultdict

from runform.plan.model import Action, Change, Kind, stream_address, task_address


def add_dependencies(changes: list[Change]) -> None:
    """Fill `depends_on` of every change in place (changes of one runbook)."""
    if not changes:
        return
    runbook = changes[0].runbook
    created = {c.address for c in changes if c.action is Action.CREATE}
    runbook_changes = [c.address for c in changes if c.kind is Kind.RUNBOOK]
    # Who points at a name before the plan: an object's deletion waits for them.
    pointing: dict[str, list[str]] = defaultdict(list)
    for change in changes:
        if change.action is Action.NOOP or not change.before:
            continue
        if change.kind is Kind.TASK:
            for pred in change.before.get("predecessors") or ():
                pointing[task_address(runbook, pred)].append(change.address)
            if change.before.get("stream") and (
                change.action is Action.DELETE or _changed(change, "stream")
            ):
                pointing[stream_address(runbook, change.before["stream"])].append(change.address)
        elif (
            change.kind is Kind.STREAM
            and change.before.get("parent")
            and (change.action is Action.DELETE or _changed(change, "parent"))
        ):
            pointing[stream_address(runbook, change.before["parent"])].append(change.address)
    for index, change in enumerate(changes):
        if change.kind is Kind.RUNBOOK:
            continue
        needs: list[str] = list(runbook_changes)
        after = change.after or {}
        if change.action is Action.DELETE:
            needs += pointing.get(change.address, [])
        elif change.kind is Kind.STREAM:
            if after.get("parent"):
                needs.append(stream_address(runbook, after["parent"]))
        else:
            if after.get("stream"):
                needs.append(stream_address(runbook, after["stream"]))
            needs += [task_address(runbook, p) for p in after.get("predecessors") or ()]
        deps = tuple(
            dict.fromkeys(
                a
                for a in needs
                if a != change.address
                and (a in created or a in runbook_changes or change.action is Action.DELETE)
            )
        )
        if deps:
            changes[index] = change.model_copy(update={"depends_on": deps})


def _changed(change: Change, field: str) -> bool:
    return any(f.field == field for f in change.fields)
