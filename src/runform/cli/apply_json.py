"""`apply --json`: the lines that are not the runner's own (the plan about to be applied, and
the summary last), written through the same `JsonProgress` as every other event."""

from __future__ import annotations

from typing import Any

from runform.core.events import JsonProgress

JSON_NEEDS_APPROVAL = (
    "apply --json cannot ask for `yes` (its stdout is JSON lines): pass -auto-approve, or "
    "apply a saved plan file (`runform plan -out FILE`, then `runform apply -json FILE`)"
)


def announce_plan(reporter: JsonProgress, plan: Any) -> None:
    """`apply_start` (the target and the planned counts), then one `planned_change` each."""
    reporter.write("apply_start", {"target": plan.target, "planned": plan.counts()})
    for change in plan.changes():
        fields = {"address": change.address, "action": change.action.value, "id": change.id}
        reporter.write("planned_change", fields)


def write_summary(
    reporter: JsonProgress,
    result: Any,
    target: str,
    duration: float,
    message: str | None = None,
    *,
    status: str = "blocked",
) -> None:
    """The last line: the result's account, or (`result` None) a plan that was not applied
    (`status` blocked, or refused: not the reviewed plan)."""
    if result is None:
        fields: dict[str, Any] = {
            "status": status,
            "counts": {"created": 0, "updated": 0, "deleted": 0},
            "requests": 0,
            "failed": [],
            "uncertain": [],
            "not_attempted": [],
            "journal": None,
        }
    else:
        fields = {
            "status": result.status.value,
            "counts": result.counts(),
            "requests": result.requests,
            "failed": [dict(f.__dict__) for f in result.failed],
            "uncertain": list(result.uncertain),
            "not_attempted": list(result.not_attempted),
            "journal": result.journal_path,
        }
    fields.update(target=target, duration_seconds=round(duration, 3), message=message)
    reporter.write("summary", fields)
