"""One change as one Cycloid request. Creates send the canonical the plan shows; updates are
PUTs of the whole object (the file's managed fields over the unmanaged ones of the plan's live
read, since a field left out is removed); a project's update sends the `updated_at` of that
read, and a conflict on it means the plan is stale."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from runform.core.address import Address, parse
from runform.core.model import Action, Change
from runform.errors import PlanError, StalePlanError
from runform.providers.base import Written
from runform.providers.cycloid.client import CONFLICT, CycloidApiError, CycloidClient

Body = dict[str, Any]


def _role(values: Body, create: bool) -> Body:
    return {
        "name": values.get("name"),
        "description": values.get("description") or "",
        "rules": values.get("rules") or [],
    }


def _team(values: Body, create: bool) -> Body:
    return _dropping_none(
        {
            "name": values.get("name"),
            "owner": values.get("owner"),
            "roles_canonical": values.get("roles") or [],
        }
    )


def _credential(values: Body, create: bool) -> Body:
    return _dropping_none(
        {key: values.get(key) for key in ("name", "type", "path", "description", "owner")}
    )


def _repository(values: Body, create: bool) -> Body:
    return {
        "name": values.get("name"),
        "url": values.get("url"),
        "branch": values.get("branch"),
        "default": bool(values.get("default")),
        "credential_canonical": values.get("credential"),
    }


def _project(values: Body, create: bool) -> Body:
    body = {
        "name": values.get("name"),
        "description": values.get("description"),
        "owner": values.get("owner"),
        "color": values.get("color"),
        "icon": values.get("icon"),
        "config_repository_canonical": values.get("config_repository"),
    }
    if create:
        body["team_canonical"] = values.get("team")
    else:
        body["cloud_provider"] = values.get("cloud_provider")
        body["updated_at"] = values.get("updated_at")
    return _dropping_none(body)


def _environment(values: Body, create: bool) -> Body:
    return _dropping_none({"name": values.get("name"), "color": values.get("color")})


def _policy(values: Body, create: bool) -> Body:
    body = {key: values.get(key) for key in ("name", "owner", "body", "severity")}
    body["description"] = values.get("description") or ""
    body["enabled"] = bool(values.get("enabled"))
    return body


BODIES: dict[str, Callable[[Body, bool], Body]] = {
    "role": _role,
    "team": _team,
    "credential": _credential,
    "config_repository": _repository,
    "project": _project,
    "environment": _environment,
    "infra_policy": _policy,
}
COLLECTIONS = {
    "role": "roles",
    "team": "teams",
    "credential": "credentials",
    "config_repository": "config_repositories",
    "project": "projects",
    "environment": "environments",
    "infra_policy": "infra_policies",
    "member": "members",
}


def collection_path(address: Address) -> str:
    """The list path of the object at `address` (`/organizations/acme/projects/p/environments`)."""
    parts = [f"/organizations/{address.root.key}"]
    for kind, key in address.segments[1:-1]:
        parts.append(f"{COLLECTIONS[kind]}/{key}")
    parts.append(COLLECTIONS[address.kind])
    return "/".join(parts)


def _dropping_none(body: Body) -> Body:
    return {key: value for key, value in body.items() if value is not None}


async def write(
    client: CycloidClient,
    change: Change,
    ids: Mapping[str, str],
    secret: Callable[[str], dict[str, Any]],
) -> Written:
    """Make `change`; `secret(canonical)` reads a credential's raw fields when sent."""
    address = parse(change.address)
    base = collection_path(address)
    if change.kind == "member":
        return await _member(client, change, address, base, ids)
    if change.action is Action.DELETE:
        path = f"{base}/{change.id or address.key}"
        try:
            await client.send("DELETE", path)
        except CycloidApiError as err:
            if err.means(CONFLICT):
                users = ", ".join(err.details) or "another object"
                raise PlanError(
                    f"{change.address} cannot be deleted: it is in use by {users}"
                ) from None
            raise
        return Written("DELETE", path, None)
    create = change.action is Action.CREATE
    values = (
        dict(change.after or {}) if create else {**(change.before or {}), **(change.after or {})}
    )
    body = BODIES[change.kind](values, create)
    if change.kind in ("team", "credential") or create:
        body["canonical"] = address.key
    if change.kind == "credential":
        body["raw"] = secret(address.key)
    method, path = ("POST", base) if create else ("PUT", f"{base}/{address.key}")
    try:
        await client.send(method, path, body)
    except CycloidApiError as err:
        if change.kind == "project" and not create and err.means(CONFLICT):
            raise StalePlanError(
                f"{change.address} changed in Cycloid since the plan read it (its updated_at "
                f"{values.get('updated_at')} is not the current one); plan again"
            ) from None
        raise
    return Written(method, path, address.key)


async def _member(
    client: CycloidClient, change: Change, address: Address, base: str, ids: Mapping[str, str]
) -> Written:
    if change.action is Action.CREATE:
        made = await client.send("POST", base, {"username": address.key})
        member_id = made.get("id") if isinstance(made, dict) else None
        return Written("POST", base, None if member_id is None else str(member_id))
    member_id = change.id or ids.get(change.address)
    path = f"{base}/{member_id}"
    await client.send("DELETE", path)
    return Written("DELETE", path, None)
