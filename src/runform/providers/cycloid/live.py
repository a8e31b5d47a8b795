"""Reading one organization from Cycloid into the core's resources, in the files' words.

Each object's values are every field runform knows of it (the managed ones and the ones it
copies into a full-body update), named as in the files: `roles` for a team's role canonicals,
`credential` for a config repository's, and so on. A credential's `raw` is never read into
them. Where the reference does not give a response's shape, both plausible ones are read (an
owner as a username or as an object; a team's roles as canonicals or as objects)."""

from __future__ import annotations

import asyncio
from typing import Any

from runform.core.address import Address
from runform.core.resources import Resource, RootState
from runform.errors import PlanError
from runform.providers.cycloid.client import NOT_FOUND, CycloidApiError, CycloidClient
from runform.providers.cycloid.rotations import Rotations

Item = dict[str, Any]


def owner_of(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("username") or value.get("canonical")
    return str(value) if value else None


def canonical_of(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("canonical")
    return str(value) if value else None


def _role(item: Item) -> Item:
    rules = [
        {
            "action": r.get("action"),
            "effect": r.get("effect"),
            "resources": sorted(r.get("resources") or []),
        }
        for r in item.get("rules") or []
    ]
    return {
        "name": item.get("name"),
        "description": item.get("description") or None,
        "rules": rules,
    }


def _team(item: Item) -> Item:
    if "roles_canonical" in item:
        roles = [str(r) for r in item["roles_canonical"] or []]
    else:
        roles = [c for c in (canonical_of(r) for r in item.get("roles") or []) if c]
    return {"name": item.get("name"), "owner": owner_of(item.get("owner")), "roles": roles}


def _credential(item: Item) -> Item:
    return {key: item.get(key) or None for key in ("name", "type", "path", "description")} | {
        "owner": owner_of(item.get("owner"))
    }


def _repository(item: Item) -> Item:
    credential = item.get("credential_canonical") or canonical_of(item.get("credential"))
    return {
        "name": item.get("name"),
        "url": item.get("url"),
        "branch": item.get("branch"),
        "default": bool(item.get("default")),
        "credential": credential,
    }


def _project(item: Item) -> Item:
    repository = item.get("config_repository_canonical") or canonical_of(
        item.get("config_repository")
    )
    team = item.get("team_canonical") or canonical_of(item.get("team"))
    values = {key: item.get(key) or None for key in ("name", "description", "color", "icon")}
    return values | {
        "owner": owner_of(item.get("owner")),
        "config_repository": repository,
        "team": team,
        "cloud_provider": canonical_of(item.get("cloud_provider")),
        "updated_at": item.get("updated_at"),
    }


def _environment(item: Item) -> Item:
    return {"name": item.get("name"), "color": item.get("color") or None}


def _policy(item: Item) -> Item:
    return {
        "name": item.get("name"),
        "description": item.get("description") or None,
        "owner": owner_of(item.get("owner")),
        "body": item.get("body"),
        "severity": item.get("severity"),
        "enabled": bool(item.get("enabled")),
    }


def _version(item: Item) -> str | None:
    stamp = item.get("updated_at")
    return None if stamp is None else str(stamp)


async def read_organization(
    client: CycloidClient, organization: str, rotations: Rotations, desired_rotate: dict[str, int]
) -> RootState:
    """The organization and everything runform manages in it; PlanError when it is unknown."""
    base = f"/organizations/{organization}"
    try:
        await client.get(base)
    except CycloidApiError as err:
        if err.means(NOT_FOUND):
            raise PlanError(
                f"the organization {organization!r} does not exist in Cycloid (or this API key "
                "cannot see it); runform manages what is inside an organization, not the "
                "organization itself"
            ) from None
        raise
    kinds = ("roles", "teams", "credentials", "config_repositories", "projects", "infra_policies")
    lists = await asyncio.gather(*(client.get_all(f"{base}/{kind}") for kind in kinds))
    roles, teams, credentials, repositories, projects, policies = lists
    members = await asyncio.gather(
        *(client.get_all(f"{base}/teams/{t['canonical']}/members") for t in teams)
    )
    environments = await asyncio.gather(
        *(client.get_all(f"{base}/projects/{p['canonical']}/environments") for p in projects)
    )
    org = Address.of("organization", organization)
    found: list[Resource] = []

    def add(address: Address, values: Item, item: Item, object_id: str | None = None) -> None:
        found.append(Resource(address, values, id=object_id or address.key, version=_version(item)))

    for item in roles:
        add(
            org.child("role", item["canonical"]),
            _role(item) | {"default": bool(item.get("default"))},
            item,
        )
    for item, team_members in zip(teams, members, strict=True):
        team = org.child("team", item["canonical"])
        add(team, _team(item), item)
        for member in team_members:
            username = owner_of(member) or str(member.get("id"))
            add(
                team.child("member", username),
                {"username": username},
                member,
                str(member.get("id")),
            )
    for item in credentials:
        canonical = item["canonical"]
        recorded = rotations.get(organization, canonical)
        rotate = recorded if recorded is not None else desired_rotate.get(canonical, 0)
        add(org.child("credential", canonical), _credential(item) | {"rotate": rotate}, item)
    for item in repositories:
        add(org.child("config_repository", item["canonical"]), _repository(item), item)
    for item, project_envs in zip(projects, environments, strict=True):
        project = org.child("project", item["canonical"])
        add(project, _project(item), item)
        for env in project_envs:
            add(project.child("environment", env["canonical"]), _environment(env), env)
    for item in policies:
        add(org.child("infra_policy", item["canonical"]), _policy(item), item)
    root = Resource(org, {}, id=organization)
    return RootState(root, tuple(found))
