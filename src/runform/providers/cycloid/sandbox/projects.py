"""Projects and their environments. `updateProject` replaces the project and must send the
`updated_at` (seconds) of the project it read: a different one is refused as a conflict."""

from __future__ import annotations

from starlette.responses import Response

from runform.core.sandbox_kit.documents import Document
from runform.providers.cycloid.sandbox import validation as v
from runform.providers.cycloid.sandbox.context import Context, data, now_seconds
from runform.providers.cycloid.sandbox.errors import ApiError
from runform.providers.cycloid.sandbox.organization import derive_canonical


def _scope(ctx: Context, project: str) -> str:
    return f"{ctx.organization}/{project}"


def _view(ctx: Context, project: Document) -> Document:
    environments = ctx.store.all("environment", _scope(ctx, project["canonical"]))
    owner = {"username": project["owner"]} if project.get("owner") else None
    return {**project, "owner": owner, "environments": environments}


def _check_links(ctx: Context, body: dict[str, object]) -> None:
    if body.get("config_repository_canonical"):
        ctx.need(
            "config_repository",
            ctx.organization,
            str(body["config_repository_canonical"]),
            "config repository",
        )
    if body.get("team_canonical"):
        ctx.need("team", ctx.organization, str(body["team_canonical"]), "team")
    if body.get("owner"):
        ctx.need("member", ctx.organization, str(body["owner"]), "user")


def list_projects(ctx: Context) -> Response:
    return ctx.page([_view(ctx, p) for p in ctx.store.all("project", ctx.organization)])


def create_project(ctx: Context) -> Response:
    body = v.check(ctx.body, v.PROJECT_CREATE)
    _check_links(ctx, body)
    canonical = body.get("canonical") or derive_canonical(str(body["name"]))
    if ctx.store.get("project", ctx.organization, canonical) is not None:
        raise ApiError(409, f"a project {canonical!r} already exists")
    stamp = now_seconds()
    project = {
        **body,
        "id": ctx.store.next_id(),
        "canonical": canonical,
        "created_at": stamp,
        "updated_at": stamp,
    }
    return data(_view(ctx, ctx.store.put("project", ctx.organization, canonical, project)))


def get_project(ctx: Context) -> Response:
    return data(_view(ctx, ctx.need("project", ctx.organization, ctx.params["project"], "project")))


def update_project(ctx: Context) -> Response:
    current = ctx.need("project", ctx.organization, ctx.params["project"], "project")
    body = v.check(ctx.body, v.PROJECT_UPDATE)
    if current.get("config_repository_canonical") and not body.get("config_repository_canonical"):
        # "not marked as required, it's actually required for projects already using CR"
        raise ApiError.invalid(["config_repository_canonical: is required"])
    _check_links(ctx, body)
    if int(body["updated_at"]) != int(current["updated_at"]):
        raise ApiError(
            409,
            "the project was updated since it was read",
            [f"updated_at: {body['updated_at']} is not the project's {current['updated_at']}"],
        )
    # What updateProject does not take (the team) stays; what it takes and is not sent goes.
    kept: Document = {
        k: current[k] for k in ("id", "canonical", "created_at", "team_canonical") if k in current
    }
    sent = {key: value for key, value in body.items() if key != "updated_at"}
    stamp = max(now_seconds(), int(current["updated_at"]) + 1)
    project = {**kept, **sent, "updated_at": stamp}
    return data(
        _view(ctx, ctx.store.put("project", ctx.organization, current["canonical"], project))
    )


def delete_project(ctx: Context) -> Response:
    ctx.need("project", ctx.organization, ctx.params["project"], "project")
    ctx.store.delete("project", ctx.organization, ctx.params["project"])
    ctx.store.delete_scope(_scope(ctx, ctx.params["project"]))
    return data(None)


def list_environments(ctx: Context) -> Response:
    ctx.need("project", ctx.organization, ctx.params["project"], "project")
    return ctx.page(ctx.store.all("environment", _scope(ctx, ctx.params["project"])))


def create_environment(ctx: Context) -> Response:
    ctx.need("project", ctx.organization, ctx.params["project"], "project")
    body = v.check(ctx.body, v.ENVIRONMENT_CREATE)
    canonical = body.get("canonical") or derive_canonical(str(body["name"]))
    scope = _scope(ctx, ctx.params["project"])
    if ctx.store.get("environment", scope, canonical) is not None:
        raise ApiError(409, f"an environment {canonical!r} already exists in the project")
    stamp = now_seconds()
    environment = {
        **body,
        "id": ctx.store.next_id(),
        "canonical": canonical,
        "created_at": stamp,
        "updated_at": stamp,
    }
    return data(ctx.store.put("environment", scope, canonical, environment))


def get_environment(ctx: Context) -> Response:
    ctx.need("project", ctx.organization, ctx.params["project"], "project")
    scope = _scope(ctx, ctx.params["project"])
    return data(ctx.need("environment", scope, ctx.params["environment"], "environment"))


def update_environment(ctx: Context) -> Response:
    ctx.need("project", ctx.organization, ctx.params["project"], "project")
    scope = _scope(ctx, ctx.params["project"])
    current = ctx.need("environment", scope, ctx.params["environment"], "environment")
    body = v.check(ctx.body, v.ENVIRONMENT_UPDATE)
    kept = {key: current[key] for key in ("id", "canonical", "created_at")}
    stamp = max(now_seconds(), int(current["updated_at"]) + 1)
    return data(
        ctx.store.put(
            "environment", scope, current["canonical"], {**kept, **body, "updated_at": stamp}
        )
    )


def delete_environment(ctx: Context) -> Response:
    ctx.need("project", ctx.organization, ctx.params["project"], "project")
    scope = _scope(ctx, ctx.params["project"])
    ctx.need("environment", scope, ctx.params["environment"], "environment")
    ctx.store.delete("environment", scope, ctx.params["environment"])
    return data(None)
