"""The filters of a runbook's task list, each narrowing the result, none ever widening it.

The names are those the API notes list (today's client and Round 2, Task reads): the 2022-02-22
reference itself lists only paging, `sort`, `fields[task]` and `forecast` for this endpoint.
Any other parameter is refused (400 `invalid`, `source.parameter` naming it): ignored, a
misspelt or unsupported filter would answer with every task.
"""

from __future__ import annotations

from collections.abc import Callable

from runform.providers.cutover.sandbox import jsonapi
from runform.providers.cutover.sandbox.context import Context
from runform.providers.cutover.sandbox.schedule import planned_times
from runform.providers.cutover.sandbox.store import Record

PARAMETERS = frozenset(
    [
        "page[number]",
        "page[size]",
        "page[limit]",
        "page[offset]",
        "sort",
        "fields[task]",
        "forecast",
        "stream_id",
        "stage",
        "task_type_id",
        "search_term",
        "runbook_team_id",
        "user_id",
        "source_runbook_id",
        "level",
        "completion_type",
        "has_comments",
    ]
)
# Stage names as today's client reports them; `default` is read as `not_startable`.
STAGE_ALIASES = {"default": "not_startable", "active": "in_progress"}
SORTS = ("start_planned", "-start_planned")


def filter_tasks(
    ctx: Context, runbook: Record, records: list[Record], stage_of: Callable[[Record], str]
) -> list[Record]:
    """The runbook's tasks the query asks for, in the order it asks for (id order by default)."""
    ctx.refuse_unknown_parameters(PARAMETERS)
    for name in ("stream_id", "task_type_id", "source_runbook_id"):
        wanted = ctx.ids(name)
        if wanted is not None:
            records = [r for r in records if r.get(name) in wanted]
    for name, kind in (("runbook_team_id", "runbook_team"), ("user_id", "user")):
        wanted = ctx.ids(name)
        if wanted is not None:
            records = [r for r in records if _assigned(r, kind, wanted)]
    stages = _values(ctx, "stage")
    if stages is not None:
        stages = {STAGE_ALIASES.get(s, s) for s in stages}
        records = [r for r in records if stage_of(r) in stages]
    for name in ("level", "completion_type"):
        # A value no task can have (a typo, another spelling) matches nothing.
        allowed = _values(ctx, name)
        if allowed is not None:
            records = [r for r in records if r.get(name) in allowed]
    has_comments = ctx.flag("has_comments")
    if has_comments is not None:
        records = [r for r in records if bool(r.get("comments_count")) == has_comments]
    # Round 2, Task reads: `search_term` matches task names (not descriptions).
    term = (ctx.query.get("search_term") or "").lower()
    if term:
        records = [r for r in records if term in str(r.get("name") or "").lower()]
    sort = ctx.query.get("sort")
    if sort in SORTS:
        times = planned_times(ctx.store, runbook)
        records = sorted(
            records, key=lambda r: times[int(str(r["id"]))][0], reverse=sort.startswith("-")
        )
    elif sort:
        raise jsonapi.ApiFailure.one(
            400, "sort must be start_planned or -start_planned", "invalid", parameter="sort"
        )
    return records


def _values(ctx: Context, name: str) -> set[str] | None:
    """A comma-separated filter's values, or None when absent (an empty value is no filter)."""
    raw = ctx.query.get(name)
    if not raw:
        return None
    return {part.strip() for part in raw.split(",")}


def _assigned(record: Record, kind: str, wanted: set[int]) -> bool:
    assignees = record.get("assignees") or []
    assert isinstance(assignees, list)
    return any(a["type"] == kind and a["id"] in wanted for a in assignees)
