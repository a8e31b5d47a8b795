"""Organization-scoped objects: roles, teams and their members, credentials, config
repositories and infra policies. Creates take a client-chosen `canonical` (or derive one from
the name); updates are PUTs that replace the whole object."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from starlette.responses import Response

from runform.core.sandbox_kit.documents import Document
from runform.providers.cycloid.sandbox import validation as v
from runform.providers.cycloid.sandbox.context import Context, data, now_seconds
from runform.providers.cycloid.sandbox.errors import ApiError

Handler = Callable[[Context], Response]


def derive_canonical(name: str) -> str:
    """The server's own derivation from a name (clients never rely on it)."""
    text = re.sub(r"[^a-z0-9\-_]", "", name.strip().lower().replace(" ", "-"))
    return text.strip("-_") or "object"


def _owner(ctx: Context, username: str | None) -> dict[str, str] | None:
    if not username:
        return None
    ctx.need("member", ctx.organization, username, "user")
    return {"username": username}


def _create(ctx: Context, kind: str, body: dict[str, Any]) -> Document:
    canonical = body.get("canonical") or derive_canonical(str(body.get("name", "")))
    if ctx.store.get(kind, ctx.organization, canonical) is not None:
        raise ApiError(409, f"a {kind.replace('_', ' ')} {canonical!r} already exists")
    stamp = now_seconds()
    document = {
        **body,
        "id": ctx.store.next_id(),
        "canonical": canonical,
        "created_at": stamp,
        "updated_at": stamp,
    }
    return ctx.store.put(kind, ctx.organization, canonical, document)


def _replace(ctx: Context, kind: str, current: Document, body: dict[str, Any]) -> Document:
    """PUT semantics: what the body does not send is gone (only identity and dates stay)."""
    kept: Document = {
        key: current[key] for key in ("id", "canonical", "created_at", "default") if key in current
    }
    document = {**kept, **body, "updated_at": max(now_seconds(), int(current["updated_at"]) + 1)}
    document["canonical"] = current["canonical"]
    return ctx.store.put(kind, ctx.organization, current["canonical"], document)


# Roles ---------------------------------------------------------------------------------


def list_roles(ctx: Context) -> Response:
    return ctx.page(ctx.store.all("role", ctx.organization))


def create_role(ctx: Context) -> Response:
    body = v.check(ctx.body, v.ROLE)
    _check_rules(body["rules"])
    return data(_create(ctx, "role", body))


def get_role(ctx: Context) -> Response:
    return data(ctx.need("role", ctx.organization, ctx.params["role"], "role"))


def update_role(ctx: Context) -> Response:
    current = ctx.need("role", ctx.organization, ctx.params["role"], "role")
    body = v.check(ctx.body, v.ROLE)
    _check_rules(body["rules"])
    return data(_replace(ctx, "role", current, body))


def delete_role(ctx: Context) -> Response:
    ctx.need("role", ctx.organization, ctx.params["role"], "role")
    ctx.store.delete("role", ctx.organization, ctx.params["role"])
    return data(None)


def _check_rules(rules: list[dict[str, Any]]) -> None:
    problems = [
        f"rules.{index}.{name}: is required"
        for index, rule in enumerate(rules)
        for name in ("action", "effect")
        if not isinstance(rule.get(name), str) or not rule.get(name)
    ]
    if problems:
        raise ApiError.invalid(problems)


# Teams and members ---------------------------------------------------------------------


def _team_view(ctx: Context, team: Document) -> Document:
    roles = [ctx.store.get("role", ctx.organization, c) for c in team.get("roles_canonical", [])]
    view = {key: value for key, value in team.items() if key != "roles_canonical"}
    view["roles"] = [{"canonical": r["canonical"], "name": r["name"]} for r in roles if r]
    view["owner"] = _owner(ctx, team.get("owner")) if team.get("owner") else None
    members = ctx.store.all("team_member", _team_scope(ctx, team["canonical"]))
    view["member_count"] = len(members)
    view["members_preview"] = members[:6]
    return view


def _team_scope(ctx: Context, team: str) -> str:
    return f"{ctx.organization}/{team}"


def _team_body(ctx: Context, rules: tuple[v.Rule, ...]) -> dict[str, Any]:
    body = v.check(ctx.body, rules)
    for role in body["roles_canonical"]:
        ctx.need("role", ctx.organization, role, "role")
    _owner(ctx, body.get("owner"))
    return body


def list_teams(ctx: Context) -> Response:
    return ctx.page([_team_view(ctx, t) for t in ctx.store.all("team", ctx.organization)])


def create_team(ctx: Context) -> Response:
    return data(_team_view(ctx, _create(ctx, "team", _team_body(ctx, v.TEAM_CREATE))))


def get_team(ctx: Context) -> Response:
    return data(_team_view(ctx, ctx.need("team", ctx.organization, ctx.params["team"], "team")))


def update_team(ctx: Context) -> Response:
    current = ctx.need("team", ctx.organization, ctx.params["team"], "team")
    body = _team_body(ctx, v.TEAM_UPDATE)
    if body["canonical"] != current["canonical"]:
        raise ApiError.invalid(["canonical: a team's canonical cannot change"])
    return data(_team_view(ctx, _replace(ctx, "team", current, body)))


def delete_team(ctx: Context) -> Response:
    ctx.need("team", ctx.organization, ctx.params["team"], "team")
    ctx.store.delete("team", ctx.organization, ctx.params["team"])
    ctx.store.delete_scope(_team_scope(ctx, ctx.params["team"]))
    return data(None)


def list_team_members(ctx: Context) -> Response:
    ctx.need("team", ctx.organization, ctx.params["team"], "team")
    return ctx.page(ctx.store.all("team_member", _team_scope(ctx, ctx.params["team"])))


def assign_member(ctx: Context) -> Response:
    ctx.need("team", ctx.organization, ctx.params["team"], "team")
    body = v.check(ctx.body, v.MEMBER)
    user = ctx.need("member", ctx.organization, body["username"], "user")
    scope = _team_scope(ctx, ctx.params["team"])
    if ctx.store.get("team_member", scope, str(user["id"])) is not None:
        raise ApiError(409, f"{body['username']!r} is already a member of the team")
    member = {"id": user["id"], "username": user["username"], "email": user["email"]}
    return data(ctx.store.put("team_member", scope, str(user["id"]), member))


def get_team_member(ctx: Context) -> Response:
    scope = _team_scope(ctx, ctx.params["team"])
    ctx.need("team", ctx.organization, ctx.params["team"], "team")
    return data(ctx.need("team_member", scope, ctx.params["member_id"], "team member"))


def unassign_member(ctx: Context) -> Response:
    scope = _team_scope(ctx, ctx.params["team"])
    ctx.need("team", ctx.organization, ctx.params["team"], "team")
    ctx.need("team_member", scope, ctx.params["member_id"], "team member")
    ctx.store.delete("team_member", scope, ctx.params["member_id"])
    return data(None)


def list_members(ctx: Context) -> Response:
    return ctx.page(ctx.store.all("member", ctx.organization))


# Credentials ---------------------------------------------------------------------------


def _credential_view(credential: Document, with_raw: bool) -> Document:
    return {k: val for k, val in credential.items() if with_raw or k != "raw"}


def list_credentials(ctx: Context) -> Response:
    found = ctx.store.all("credential", ctx.organization)
    return ctx.page([_credential_view(c, with_raw=False) for c in found])


def create_credential(ctx: Context) -> Response:
    body = v.check(ctx.body, v.CREDENTIAL_CREATE)
    _owner(ctx, body.get("owner"))
    return data(_credential_view(_create(ctx, "credential", body), with_raw=False))


def get_credential(ctx: Context) -> Response:
    found = ctx.need("credential", ctx.organization, ctx.params["credential"], "credential")
    return data(_credential_view(found, with_raw=True))


def update_credential(ctx: Context) -> Response:
    current = ctx.need("credential", ctx.organization, ctx.params["credential"], "credential")
    body = v.check(ctx.body, v.CREDENTIAL_UPDATE)
    if body["canonical"] != current["canonical"]:
        raise ApiError.invalid(["canonical: a credential's canonical cannot change"])
    _owner(ctx, body.get("owner"))
    return data(_credential_view(_replace(ctx, "credential", current, body), with_raw=False))


def delete_credential(ctx: Context) -> Response:
    canonical = ctx.params["credential"]
    ctx.need("credential", ctx.organization, canonical, "credential")
    users = [
        repo["canonical"]
        for repo in ctx.store.all("config_repository", ctx.organization)
        if repo.get("credential_canonical") == canonical
    ]
    if users:
        raise ApiError(
            409,
            f"the credential {canonical!r} is in use",
            [f"config_repository:{name}" for name in users],
        )
    ctx.store.delete("credential", ctx.organization, canonical)
    return data(None)


# Config repositories -------------------------------------------------------------------


def _repository_body(ctx: Context, rules: tuple[v.Rule, ...]) -> dict[str, Any]:
    body = v.check(ctx.body, rules)
    ctx.need("credential", ctx.organization, body["credential_canonical"], "credential")
    return body


def _only_default(ctx: Context, canonical: str) -> None:
    """One config repository is the default: making one so makes the others not."""
    for repo in ctx.store.all("config_repository", ctx.organization):
        if repo["canonical"] != canonical and repo.get("default"):
            ctx.store.put(
                "config_repository", ctx.organization, repo["canonical"], {**repo, "default": False}
            )


def list_config_repositories(ctx: Context) -> Response:
    return ctx.page(ctx.store.all("config_repository", ctx.organization))


def create_config_repository(ctx: Context) -> Response:
    made = _create(ctx, "config_repository", _repository_body(ctx, v.CONFIG_REPOSITORY_CREATE))
    if made["default"]:
        _only_default(ctx, made["canonical"])
    return data(made)


def get_config_repository(ctx: Context) -> Response:
    repo = ctx.params["config_repository"]
    return data(ctx.need("config_repository", ctx.organization, repo, "config repository"))


def update_config_repository(ctx: Context) -> Response:
    repo = ctx.params["config_repository"]
    current = ctx.need("config_repository", ctx.organization, repo, "config repository")
    body = _repository_body(ctx, v.CONFIG_REPOSITORY_UPDATE)
    made = _replace(ctx, "config_repository", current, body)
    if made["default"]:
        _only_default(ctx, made["canonical"])
    return data(made)


def delete_config_repository(ctx: Context) -> Response:
    repo = ctx.params["config_repository"]
    ctx.need("config_repository", ctx.organization, repo, "config repository")
    users = [
        p["canonical"]
        for p in ctx.store.all("project", ctx.organization)
        if p.get("config_repository_canonical") == repo
    ]
    if users:
        raise ApiError(
            409, f"the config repository {repo!r} is in use", [f"project:{name}" for name in users]
        )
    ctx.store.delete("config_repository", ctx.organization, repo)
    return data(None)


# Infra policies ------------------------------------------------------------------------


def _policy_view(ctx: Context, policy: Document) -> Document:
    return {**policy, "owner": _owner(ctx, policy.get("owner")) if policy.get("owner") else None}


def list_infra_policies(ctx: Context) -> Response:
    found = ctx.store.all("infra_policy", ctx.organization)
    return ctx.page([_policy_view(ctx, p) for p in found])


def create_infra_policy(ctx: Context) -> Response:
    body = v.check(ctx.body, v.INFRA_POLICY_CREATE)
    _owner(ctx, body["owner"])
    body.setdefault("enabled", False)
    return data(_policy_view(ctx, _create(ctx, "infra_policy", body)))


def get_infra_policy(ctx: Context) -> Response:
    policy = ctx.params["infra_policy"]
    return data(_policy_view(ctx, ctx.need("infra_policy", ctx.organization, policy, "policy")))


def update_infra_policy(ctx: Context) -> Response:
    policy = ctx.params["infra_policy"]
    current = ctx.need("infra_policy", ctx.organization, policy, "infra policy")
    body = v.check(ctx.body, v.INFRA_POLICY_UPDATE)
    _owner(ctx, body.get("owner"))
    return data(_policy_view(ctx, _replace(ctx, "infra_policy", current, body)))


def delete_infra_policy(ctx: Context) -> Response:
    policy = ctx.params["infra_policy"]
    ctx.need("infra_policy", ctx.organization, policy, "infra policy")
    ctx.store.delete("infra_policy", ctx.organization, policy)
    return data(None)
