"""Shared wording for every renderer: values, durations, counts, schedule lines."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from runform.core.address import parse
from runform.providers.cutover.plan.model import (
    Action,
    Change,
    Kind,
    Plan,
    RootPlan,
    RunbookPlan,
    Schedule,
)
from runform.text.safe import shown

SYMBOLS = {
    Action.CREATE: "+",
    Action.COPY: "»",
    Action.UPDATE: "~",
    Action.DELETE: "-",
    Action.NOOP: " ",
}


def duration_text(seconds: int | None) -> str:
    """`15m`, `1h30m`, `2d4h`: the same short form the files use."""
    if seconds is None:
        return "(none)"
    if seconds == 0:
        return "0s"
    sign = "-" if seconds < 0 else ""
    rest = abs(int(seconds))
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        amount, rest = divmod(rest, size)
        if amount:
            parts.append(f"{amount}{unit}")
    return sign + "".join(parts)


# How much of one value a plan line shows (the JSON plan keeps every value whole).
PLAN_VALUE_LIMIT = 300
# Context kept before the first difference when a long text value is shown from there.
DIFFERENCE_CONTEXT = 40


def value_text(field: str, value: Any) -> str:
    """A field's value for people, on one line, control characters escaped, long ones cut."""
    return shown(_plain_value(field, value), PLAN_VALUE_LIMIT)


def value_pair(field: str, before: Any, after: Any) -> tuple[str, str]:
    """Both sides of an update; long texts are shown from just before where they differ."""
    if not (isinstance(before, str) and isinstance(after, str)):
        return value_text(field, before), value_text(field, after)
    if max(len(before), len(after)) <= PLAN_VALUE_LIMIT:
        return value_text(field, before), value_text(field, after)
    first = next(
        (i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b),
        min(len(before), len(after)),
    )
    start = max(0, first - DIFFERENCE_CONTEXT)
    return _from(before, start), _from(after, start)


def _from(text: str, start: int) -> str:
    window = text[start : start + PLAN_VALUE_LIMIT]
    lead = "…" if start else ""
    tail = "…" if start + PLAN_VALUE_LIMIT < len(text) else ""
    return f"{lead}{shown(window, PLAN_VALUE_LIMIT)}{tail} ({len(text):,} characters)"


def _plain_value(field: str, value: Any) -> str:
    if value is None:
        return "(none)"
    if field in ("duration", "rto"):  # a task's duration, a runbook's RTO: both seconds
        return duration_text(value)
    if field == "assignees":
        return "[" + ", ".join(f"{a['kind']}:{a['name']}" for a in value) + "]" if value else "[]"
    if field == "links":
        return (
            "["
            + ", ".join(
                f"template:{link['template'] if isinstance(link, dict) else link}" for link in value
            )
            + "]"
        )
    if isinstance(value, list | tuple):
        return "[" + ", ".join(str(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {value_text('', v)}" for k, v in value.items()) + "}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and field != "name":
        return value if value else '""'
    return str(value)


def object_label(change: Change) -> str:
    """`task "Smoke test"`, `stream "Database"`, `runbook "Payments release"`; a keyless part
    of its parent (a runbook's `rto`) by its kind alone."""
    if parse(change.address).key == "":
        return change.kind
    return f'{change.kind} "{shown(change.name)}"'


def runbook_counts(runbook: RunbookPlan) -> dict[str, int]:
    counts = {"create": 0, "update": 0, "delete": 0}
    for change in runbook.changes:
        if change.action in (Action.CREATE, Action.COPY):
            counts["create"] += 1
        elif change.action in (Action.UPDATE, Action.DELETE):
            counts[change.action.value] += 1
    return counts


def plan_line(plan: Plan) -> str:
    counts = plan.counts()
    archives = archive_count(plan)
    archived = f" ({archives} runbook{'s' if archives != 1 else ''} archived)" if archives else ""
    return (
        f"Plan: {counts['create']} to create, {counts['update']} to update, "
        f"{counts['delete']} to delete{archived}."
    )


def is_archive(change: Change) -> bool:
    """A runbook's deletion: Cutover archives it, with its streams and tasks."""
    return change.kind == Kind.RUNBOOK and change.action is Action.DELETE


def archive_count(plan: Plan) -> int:
    return sum(1 for change in plan.changes() if is_archive(change))


def as_runbook(root: RootPlan) -> RunbookPlan:
    """A root of a Cutover plan, which is always a runbook's: the engine makes `RunbookPlan`s
    and a plan file is read with that model (`planfile.load_plan`, `registry.load_plan`)."""
    assert isinstance(root, RunbookPlan), f"not a runbook's plan: a {root.provider} root"
    return root


def archive_text(runbook: RootPlan) -> str:
    """`ARCHIVE: Cutover archives the runbook with its 2 streams and 5 tasks; ...`."""
    archive = getattr(runbook, "archive", None)
    taken = ""
    if archive is not None:
        streams = f"{archive.streams} stream{'s' if archive.streams != 1 else ''}"
        tasks = f"{archive.tasks} task{'s' if archive.tasks != 1 else ''}"
        taken = f" with its {streams} and {tasks}"
    return f"ARCHIVE: Cutover archives the runbook{taken}; runform cannot restore it"


def unchanged_text(runbook: RunbookPlan) -> str | None:
    total = sum(runbook.unchanged.values())
    if not total:
        return None
    parts = [
        f"{n} {kind}{'s' if n != 1 else ''}"
        for kind in ("runbook", "stream", "task")
        if (n := runbook.unchanged.get(kind, 0))
    ]
    return f"{total} unchanged ({', '.join(parts)})"


def end_text(value: str | None) -> str:
    if not value:
        return "-"
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    return moment.strftime("%Y-%m-%d %H:%M %Z").strip()


def schedule_text(before: Schedule | None, after: Schedule | None) -> str | None:
    """`12 → 13 tasks, critical path 3h35m → 3h45m (+10m), planned end ...`."""
    if after is None:
        return None
    if before is None:
        text = (
            f"{after.task_count} tasks, critical path {duration_text(after.critical_path_seconds)}"
        )
        if after.planned_end:
            text += f", planned end {end_text(after.planned_end)}"
        return text
    delta = after.critical_path_seconds - before.critical_path_seconds
    change = f" ({'+' if delta > 0 else '-'}{duration_text(abs(delta))})" if delta else ""
    tasks = (
        f"{before.task_count} → {after.task_count} tasks"
        if before.task_count != after.task_count
        else f"{after.task_count} tasks"
    )
    path = (
        f"critical path {duration_text(before.critical_path_seconds)} → "
        f"{duration_text(after.critical_path_seconds)}{change}"
        if delta
        else f"critical path {duration_text(after.critical_path_seconds)} (unchanged)"
    )
    text = f"{tasks}, {path}"
    if after.planned_end:
        if before.planned_end and before.planned_end != after.planned_end:
            text += f", planned end {end_text(before.planned_end)} → {end_text(after.planned_end)}"
        else:
            text += f", planned end {end_text(after.planned_end)}"
    return text


def drift_text(change: Change) -> str:
    """One line for an object Cutover moved since the base, the files leaving it as it was."""
    fields = _moved_fields(change, "cutover")
    return f"{object_label(change)}: Cutover changed {fields} since the base; the plan puts it back"


def conflict_text(change: Change) -> str:
    """One line for an object whose fields both the files and Cutover changed since the base."""
    fields = _moved_fields(change, "both")
    return f"{object_label(change)}: both the files and Cutover changed {fields} since the base"


def _moved_fields(change: Change, source: str) -> str:
    """The fields of one source, each with who moved it in Cutover and when, where known."""
    return ", ".join(
        f.field + attribution_text(f.changed_by, f.changed_at)
        for f in change.fields
        if f.source == source
    )


def attribution_text(by: str | None, at: str | None) -> str:
    """` (by jane@example.com, 2026-12-01 14:30 UTC)`, or "" when Cutover did not say."""
    parts = [f"by {shown(by)}"] if by else []
    if at:
        parts.append(shown(end_text(at)))
    return f" ({', '.join(parts)})" if parts else ""


def has_source(change: Change, source: str) -> bool:
    return any(f.source == source for f in change.fields)


def copy_text(change: Change) -> str:
    copy = change.copy or {}
    parts = [k for k in ("tasks", "teams", "users") if copy.get(k)]
    with_ = f" with {', '.join(parts)}" if parts else ""
    template = shown(copy.get("template"))
    return f'copy of template "{template}" (id {copy.get("template_id")}){with_}'


def create_fields(change: Change) -> list[tuple[str, str]]:
    """The fields a create or copy sets, as (field, text), the name left out."""
    return [(k, value_text(k, v)) for k, v in (change.after or {}).items() if k != "name"]


def is_brought_by_copy(change: Change) -> bool:
    """A stream or task the template copy brings as it is (listed, not detailed)."""
    return change.action is Action.COPY and change.kind != Kind.RUNBOOK
