"""Planning and applying through a provider: one fixed sequence, the provider's hooks in it.

Plan: read live → baseline → diff → refine → order → annotate, for every root at once; then
the delete limit over the whole plan. Apply: the core runner, with a session per root whose
recovery after a doubtful write is a fresh plan of that root.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime
from types import MappingProxyType
from typing import TYPE_CHECKING

from runform import __version__
from runform.core.diff import diff_root
from runform.core.journal import Journal
from runform.core.model import Action, Change, Plan, RootPlan
from runform.core.order import with_dependencies
from runform.core.progress import ApplyProgress
from runform.core.resources import RootState
from runform.core.result import ApplyResult
from runform.core.root_session import Recorder
from runform.core.runner import Applier
from runform.errors import PlanError

if TYPE_CHECKING:
    from runform.providers.base import Provider


async def plan_roots(
    provider: Provider, desired: Sequence[RootState], *, delete_limit: int | None = 10
) -> Plan:
    """The plan that makes each desired root so; refused past `delete_limit` deletions."""
    planned = await asyncio.gather(*(_plan_root(provider, root) for root in desired))
    roots = [root for root, _ in planned]
    # Only the kinds the provider's schema marks `limited` count (Cycloid: projects,
    # environments and credentials).
    deletes = sum(
        1
        for r in roots
        for c in r.changes
        if c.action is Action.DELETE and provider.schema.type(c.kind).limited
    )
    blocked = None
    if delete_limit is not None and deletes > delete_limit:
        blocked = f"{deletes} deletions, over the limit of {delete_limit}"
    fingerprint: dict[str, str | None] = {}
    for _, live in planned:
        for resource in live.resources if live else ():
            fingerprint[f"{resource.kind}:{resource.id}"] = resource.version
    return Plan(
        runform_version=__version__,
        created_at=datetime.now(UTC).replace(microsecond=0).isoformat(),
        target=provider.target(),
        roots=roots,
        fingerprint=dict(sorted(fingerprint.items())),
        blocked=blocked,
    )


async def _plan_root(provider: Provider, desired: RootState) -> tuple[RootPlan, RootState | None]:
    live = await provider.read(desired)
    changes, unchanged = diff_root(desired, provider.baseline(desired, live), provider.schema)
    plan = provider.root_model(
        provider=provider.name,
        name=desired.root.key,
        address=str(desired.root.address),
        live_id=live.root.id if live else None,
        source=desired.source,
        changes=changes,
        unchanged=unchanged,
        live_ids={str(r.address): r.id for r in live.resources if r.id} if live else {},
    )
    plan = provider.refine(plan, desired, live)
    plan.changes = with_dependencies(plan.changes, provider.schema)
    return provider.annotate(plan, desired, live), live


async def apply_roots(
    provider: Provider,
    plan: Plan,
    desired: Sequence[RootState],
    *,
    parallelism: int = 10,
    journal: Journal | None = None,
    progress: ApplyProgress | None = None,
) -> ApplyResult:
    """Make the plan's changes through the provider and return exactly what was done."""
    applier = applier_for(
        provider, plan, desired, parallelism=parallelism, journal=journal, progress=progress
    )
    return await applier.run()


def applier_for(
    provider: Provider,
    plan: Plan,
    desired: Sequence[RootState],
    *,
    parallelism: int = 10,
    journal: Journal | None = None,
    progress: ApplyProgress | None = None,
) -> Applier:
    """The runner `apply_roots` runs, for a caller that may interrupt it (Ctrl-C)."""
    by_key = {root.root.key: root for root in desired}

    def session(root: RootPlan) -> _Session:
        if root.name not in by_key:
            raise PlanError(f"{root.address} is not in the files any more")
        return _Session(provider, root, by_key[root.name])

    return Applier(
        plan,
        session,
        provider.schema,
        parallelism=parallelism,
        journal=journal,
        progress=progress,
    )


class _Session:
    """One root's writes through the provider; ids are learned from the plan and each write."""

    def __init__(self, provider: Provider, plan: RootPlan, desired: RootState) -> None:
        self.provider = provider
        self.desired = desired
        self.ids: dict[str, str] = dict(plan.live_ids)
        if plan.live_id:
            self.ids[plan.address] = plan.live_id

    async def perform(self, change: Change, record: Recorder) -> str | None:
        written = await self.provider.write(change, MappingProxyType(self.ids))
        if change.action is Action.DELETE:
            self.ids.pop(change.address, None)
        elif written.id is not None:
            self.ids[change.address] = written.id
        record(change, written.method, written.path, written.id)
        return written.id

    async def remaining(self, open_changes: list[Change]) -> list[Change]:
        fresh, _ = await _plan_root(self.provider, self.desired)
        self.ids = dict(fresh.live_ids)
        if fresh.live_id:
            self.ids[fresh.address] = fresh.live_id
        return [c for c in fresh.changes if c.action is not Action.NOOP]

    def known_id(self, change: Change) -> str | None:
        return self.ids.get(change.address)
