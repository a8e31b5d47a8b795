"""Refusing a stale saved plan: re-read what the plan was made from and compare fingerprints."""

from __future__ import annotations

import asyncio
from typing import Any

from runform.core.address import parse
from runform.errors import PlanError, StalePlanError
from runform.providers.cutover.api.client import CutoverClient
from runform.providers.cutover.api.errors import NotFound
from runform.providers.cutover.live.lookups import Lookups
from runform.providers.cutover.plan.fingerprint import fingerprint_of, stale_keys
from runform.providers.cutover.plan.model import Plan
from runform.providers.cutover.state.shapes import LiveRunbook, RunbookState, RunbookTree

_ABSENT = "absent:"
# The last part of an address: `.task["T"]` (quotes inside the name are escaped).


def check_target(client: CutoverClient, plan: Plan) -> None:
    """Refuse a plan made against another Cutover (its ids mean nothing here)."""
    here = str(getattr(client, "target", ""))
    if plan.target and here and plan.target != here:
        raise StalePlanError(
            f"the plan was made against {plan.target}, not {here}: "
            "make the plan again against this Cutover"
        )


async def check_fresh(client: CutoverClient, lookups: Lookups, plan: Plan) -> None:
    """Raise StalePlanError naming each object that changed since `plan` was made."""
    from runform.providers.cutover.live.fetch import fetch_runbook, index_runbooks, workspace_of

    check_target(client, plan)

    runbook_ids = [key.split(":", 1)[1] for key in plan.fingerprint if key.startswith("runbook:")]

    async def read(runbook_id: str) -> LiveRunbook | None:
        try:
            return await fetch_runbook(client, lookups, runbook_id)
        except (NotFound, PlanError):
            return None  # gone: every key of it shows up as deleted

    # Runbooks the plan would create: still absent unless a listing of their workspace (one
    # per workspace, never the fuzzy `query`, which may not show a new runbook yet) has one.
    absent = [_parse_absent(key) for key in plan.fingerprint if key.startswith(_ABSENT)]
    spaces = [
        workspace_of(lookups, RunbookTree(runbook=RunbookState(name=name, workspace=workspace)))
        for workspace, name in absent
    ]
    reads, index = await asyncio.gather(
        asyncio.gather(*(read(i) for i in runbook_ids)),
        index_runbooks(client, lookups, set(spaces)),
    )
    live = [r for r in reads if r is not None]
    still_absent = [
        pair for pair, space in zip(absent, spaces, strict=True) if not index.get((space, pair[1]))
    ]
    current = fingerprint_of(live, still_absent)
    changed = stale_keys(plan.fingerprint, current)
    if changed:
        names = _names(plan, live)
        details = [_describe(key, plan.fingerprint, current, names) for key in changed]
        shown = "; ".join(details[:10]) + (
            f"; and {len(details) - 10} more" if len(details) > 10 else ""
        )
        raise StalePlanError(
            f"the live state changed since the plan was made: {shown}. Make the plan again."
        )


def _parse_absent(key: str) -> tuple[str | None, str]:
    workspace, _, name = key[len(_ABSENT) :].partition("/")
    return (None if workspace == "-" else workspace), name


def _names(plan: Plan, live: list[LiveRunbook]) -> dict[str, str]:
    """`kind:id` -> a human label, from the plan's changes and the fresh reads."""
    names: dict[str, str] = {}
    for runbook in plan.roots:
        if runbook.live_id:
            names[f"runbook:{runbook.live_id}"] = f'runbook "{runbook.name}"'
        for change in runbook.changes:
            if change.id:
                names[f"{change.kind}:{change.id}"] = f'{change.kind} "{change.name}"'
        # Unchanged objects are only in live_ids: `runbook["R"].task["T"]` -> `task "T"`.
        for address, object_id in runbook.live_ids.items():
            parsed = parse(address)
            names.setdefault(f"{parsed.kind}:{object_id}", f'{parsed.kind} "{parsed.key}"')
    for fresh in live:
        names.setdefault(f"runbook:{fresh.id}", f'runbook "{fresh.state.name}"')
        for stream in fresh.streams:
            names.setdefault(f"stream:{stream.id}", f'stream "{stream.state.name}"')
        for task in fresh.tasks:
            names.setdefault(f"task:{task.id}", f'task "{task.state.name}"')
    return names


def _describe(
    key: str, saved: dict[str, Any], current: dict[str, Any], names: dict[str, str]
) -> str:
    if key.startswith(_ABSENT):
        workspace, name = _parse_absent(key)
        where = f" in workspace {workspace}" if workspace else ""
        return f'runbook "{name}"{where} now exists'
    label = names.get(key, key.replace(":", " "))
    if key not in current:
        return f"{label} was deleted"
    if key not in saved:
        return f"{label} was added"
    return f"{label} was modified (updated_at {saved[key]} -> {current[key]})"
