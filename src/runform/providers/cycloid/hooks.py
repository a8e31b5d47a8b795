"""The Cycloid provider on the core engine: read one organization, narrow the live state to
what the files manage, keep full live values on updates (for full-body PUTs), write a change.

What the files manage: the kinds whose section the file has (`teams:`), a team's members when
it lists `members:`, a project's environments when it lists `environments:`; never the
organization's built-in roles. Live objects outside that are left alone, never deleted."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from runform.core.model import Action, Change, RootPlan
from runform.core.resources import RootState
from runform.providers.base import BaseProvider, Written
from runform.providers.cycloid.client import CycloidClient
from runform.providers.cycloid.definitions import Definitions, read_secret
from runform.providers.cycloid.live import read_organization
from runform.providers.cycloid.provider import BUILTIN_ROLES, OrganizationPlan
from runform.providers.cycloid.rotations import Rotations
from runform.providers.cycloid.schema import CYCLOID
from runform.providers.cycloid.version import read_version
from runform.providers.cycloid.writes import write


class CycloidProvider(BaseProvider):
    name = "cycloid"
    schema = CYCLOID
    root_model: type[RootPlan] = OrganizationPlan

    def __init__(
        self, client: CycloidClient, definitions: list[Definitions], state_dir: Path | None = None
    ) -> None:
        self.client = client
        self.definitions = {d.organization: d for d in definitions}
        self.rotations = Rotations(state_dir)
        self.api_version: str | None = None
        self.users: dict[str, set[str]] = {}  # organization -> its members' usernames

    def target(self) -> str:
        return f"cycloid {self.client.base_url}"

    async def read(self, desired: RootState) -> RootState | None:
        if self.api_version is None:
            self.api_version = await read_version(self.client)
        rotate = {
            r.key: int(r.values.get("rotate", 0))
            for r in desired.children
            if r.kind == "credential"
        }
        organization = desired.root.key
        live = await read_organization(self.client, organization, self.rotations, rotate)
        members = await self.client.get_all(f"/organizations/{organization}/members")
        self.users[organization] = {str(m.get("username")) for m in members if m.get("username")}
        return live

    def baseline(self, desired: RootState, live: RootState | None) -> RootState | None:
        if live is None:
            return None
        managed = self.definitions[desired.root.key]
        kept = tuple(r for r in live.children if _is_managed(r.address.segments, r.values, managed))
        return RootState(live.root, kept, live.source)

    def refine(self, plan: RootPlan, desired: RootState, live: RootState | None) -> RootPlan:
        """An update carries the whole live object in `before`: its PUT sends the rest."""
        if live is None:
            return plan
        refusals = [
            f"{c.address}: a project's team is set when it is created (updateProject takes "
            "no team_canonical); keep the team, or delete and re-create the project"
            for c in plan.changes
            if c.kind == "project" and any(f.field == "team" for f in c.fields)
        ]
        unknown = _unknown_users(plan.changes, self.users.get(desired.root.key, set()))
        if refusals:
            plan.appliable, plan.refusal = False, "; ".join(refusals)
        elif unknown:
            known = ", ".join(sorted(self.users.get(desired.root.key, set()))) or "none"
            plan.appliable = False
            plan.refusal = (
                f"{', '.join(unknown)}: not a user of the organization (its users: {known})"
            )
        full = {str(r.address): r.values for r in live.resources}
        plan.changes = [
            c.model_copy(update={"before": {**full.get(c.address, {}), **(c.before or {})}})
            if c.action is Action.UPDATE
            else c
            for c in plan.changes
        ]
        return plan

    def annotate(self, plan: RootPlan, desired: RootState, live: RootState | None) -> RootPlan:
        """Creates and updates of a credential send its raw fields: the plan says so."""
        if isinstance(plan, OrganizationPlan):
            plan.sensitive = {
                c.address: ["raw"]
                for c in plan.changes
                if c.kind == "credential" and c.action in (Action.CREATE, Action.UPDATE)
            }
        return plan

    async def write(self, change: Change, ids: Mapping[str, str]) -> Written:
        organization = change.root
        written = await write(self.client, change, ids, lambda c: self._secret(organization, c))
        if change.kind == "credential":
            rotate = None if change.action is Action.DELETE else (change.after or {}).get("rotate")
            self.rotations.record(organization, change.name, rotate)
        return written

    def _secret(self, organization: str, credential: str) -> dict[str, Any]:
        return read_secret(self.definitions[organization].secrets[credential])


def _unknown_users(changes: list[Change], users: set[str]) -> list[str]:
    """Each username a create or update names (members, owners) that the organization lacks."""
    found: list[str] = []
    for change in changes:
        if change.action not in (Action.CREATE, Action.UPDATE):
            continue
        names = [change.name] if change.kind == "member" else []
        owner = (change.after or {}).get("owner")
        names += [owner] if isinstance(owner, str) and owner else []
        found += [f"{change.address}: {n!r}" for n in names if n not in users]
    return found


def _is_managed(
    segments: tuple[tuple[str, str], ...], values: dict[str, Any], managed: Definitions
) -> bool:
    kind, key = segments[1]
    if kind not in managed.sections:
        return False
    if kind == "role" and (key in BUILTIN_ROLES or values.get("default")):
        return False
    if len(segments) == 2:
        return True
    if kind == "team":
        return key in managed.teams_with_members
    if kind == "project":
        return key in managed.projects_with_environments
    return False
