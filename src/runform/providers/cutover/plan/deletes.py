"""The delete safety limit: a plan that deletes too much is refused unless allowed."""

from __future__ import annotations

from collections.abc import Sequence

from runform.errors import PlanError
from runform.providers.cutover.plan.model import Action, Kind, RunbookPlan
from runform.providers.cutover.plan.options import PlanOptions


def check_delete_limits(runbooks: Sequence[RunbookPlan], options: PlanOptions) -> None:
    """Raise PlanError past the limits (count across the plan, share of each runbook's tasks)."""
    problems = delete_limit_problems(runbooks, options)
    if problems:
        raise PlanError(
            "refusing to plan this many deletions:\n  "
            + "\n  ".join(problems)
            + "\nCheck the files, then run again with --allow-deletes if the deletions are meant"
            " (the limits are delete_limit_count and delete_limit_percent in runform.yaml)."
        )


def blocked_by_deletes(runbooks: Sequence[RunbookPlan], options: PlanOptions) -> str | None:
    """Why the plan is blocked by the delete limits, or None: the plan is still made and shown
    in full, so a reviewer sees what would be deleted; apply refuses it."""
    problems = delete_limit_problems(runbooks, options)
    if not problems:
        return None
    return (
        "needs `--allow-deletes`: "
        + "; ".join(problems)
        + " (the limits are delete_limit_count and delete_limit_percent in runform.yaml)"
    )


def delete_limit_problems(runbooks: Sequence[RunbookPlan], options: PlanOptions) -> list[str]:
    """Each limit the plan passes, in words (none with --allow-deletes)."""
    if options.allow_deletes or not options.delete_limit:
        return []
    problems = []
    total = 0
    for plan in runbooks:
        deletes = [c for c in plan.changes if c.action is Action.DELETE]
        total += len(deletes)
        task_deletes = sum(1 for c in deletes if c.kind == Kind.TASK)
        existing = _existing_tasks(plan)
        if task_deletes and existing:
            share = 100.0 * task_deletes / existing
            if share > options.delete_limit_percent:
                problems.append(
                    f'runbook "{plan.name}" would delete {task_deletes} of its {existing} tasks '
                    f"({share:.0f}%, limit {options.delete_limit_percent:g}%)"
                )
    if total > options.delete_limit_count:
        problems.insert(
            0, f"the plan would delete {total} objects (limit {options.delete_limit_count})"
        )
    return problems


def _existing_tasks(plan: RunbookPlan) -> int:
    """Tasks the runbook has before the plan (a template copy's tasks for a new copy)."""
    if plan.schedule_before is not None:
        return plan.schedule_before.task_count
    return sum(1 for c in plan.changes if c.kind == Kind.TASK and c.from_template)
