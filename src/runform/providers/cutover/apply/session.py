"""Cutover's side of applying one runbook: its writes, its ids, and its re-read after a doubt."""

from __future__ import annotations

from runform.core.model import Change, RootPlan
from runform.core.root_session import Recorder
from runform.errors import ExistsSincePlan
from runform.providers.cutover.api.client import CutoverClient
from runform.providers.cutover.api.errors import ApiError
from runform.providers.cutover.apply.calls import CallContext, perform
from runform.providers.cutover.apply.ids import RunbookIds
from runform.providers.cutover.apply.recovery import Finder, Reader, Replan, remaining_after_read
from runform.providers.cutover.apply.rereads import Rereads
from runform.providers.cutover.live.lookups import Lookups
from runform.providers.cutover.plan.model import Action, Kind
from runform.text.safe import shown


class CutoverSession:
    """The core runner's `RootSession` for one runbook."""

    def __init__(
        self,
        plan: RootPlan,
        client: CutoverClient,
        lookups: Lookups,
        *,
        read: Reader,
        find: Finder,
        replan: Replan | None,
    ) -> None:
        self.plan = plan
        self.client = client
        self.lookups = lookups
        self.read = read
        self.find = find
        self.replan = replan
        self.ids = RunbookIds(plan.name)
        self.ids.runbook_id = plan.live_id
        self.ids.seed(plan.live_ids)
        self.rereads = Rereads(client, lookups)

    async def perform(self, change: Change, record: Recorder) -> str | None:
        self.rereads.writing(change)
        if _makes_runbook(change) and self.ids.runbook_id is None:
            await self._adopt_if_made_since_plan(change)
        context = CallContext(self.client, self.lookups, self.ids, record, self.read)
        try:
            return await perform(context, change)
        except ApiError as error:
            if _made_since_plan(change, error):
                # Cutover keeps stream names unique in a runbook: `taken` on a create means
                # another apply made it since the plan. Re-read and re-plan, as for a runbook.
                raise ExistsSincePlan(
                    f'adopted {change.kind} "{shown(change.name)}" made since the plan (Cutover: '
                    "name taken)",
                    "",
                    f"/core/runbooks/{self.ids.runbook_id}",
                ) from None
            raise

    async def _adopt_if_made_since_plan(self, change: Change) -> None:
        """Re-list the workspace just before a create: a runbook of that name made since the
        plan (another apply's) is adopted, re-read and re-planned, never made a second time."""
        live = await self.find(change)
        if live is not None:
            raise ExistsSincePlan(
                f'adopted runbook "{shown(change.name)}" (id {live.id}) made since the plan',
                live.id,
                f"/core/runbooks/{live.id}",
            )

    async def remaining(self, open_changes: list[Change]) -> list[Change]:
        return await remaining_after_read(
            self.plan,
            self.ids,
            open_changes,
            read=self.rereads.read,
            find=self.find,
            replan=self.replan,
        )

    def known_id(self, change: Change) -> str | None:
        if change.kind in (Kind.RUNBOOK, Kind.RTO):
            return self.ids.runbook_id
        table = self.ids.streams if change.kind == Kind.STREAM else self.ids.tasks
        return table.get(change.name)


def _made_since_plan(change: Change, error: ApiError) -> bool:
    """A stream create refused because its name is taken (the one unique name under a runbook
    the reference's `taken` code covers)."""
    creates_stream = change.kind == Kind.STREAM and change.action is Action.CREATE
    return creates_stream and "taken" in error.codes


def _makes_runbook(change: Change) -> bool:
    return change.kind == Kind.RUNBOOK and change.action in (Action.CREATE, Action.COPY)
