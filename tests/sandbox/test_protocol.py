"""Transport rules: auth, read-only token, Api-Version, content types, bad bodies, routes."""

from __future__ import annotations

import httpx
import pytest

from .support import document, errors_of

pytestmark = pytest.mark.anyio

NEW_RUNBOOK = document("runbook", {"name": "R"}, workspace="default")


async def test_missing_or_wrong_token_is_401(any_sandbox):
    async with httpx.AsyncClient(
        base_url=any_sandbox.base_url, transport=any_sandbox.transport
    ) as client:
        missing = await client.get("/core/runbooks")
        wrong = await client.get("/core/runbooks", headers={"Authorization": "Bearer nope"})
        basic = await client.get(
            "/core/runbooks", headers={"Authorization": f"Basic {any_sandbox.token}"}
        )
    for response in (missing, wrong, basic):
        assert response.status_code == 401
        assert errors_of(response) == [("unauthorized", None)]
        assert any_sandbox.token not in response.text


async def test_read_only_token_reads_but_cannot_write(any_sandbox):
    async with any_sandbox.client(token=any_sandbox.read_only_token) as client:
        read = await client.get("/core/runbooks")
        create = await client.post("/core/runbooks", json=NEW_RUNBOOK)
        patch = await client.patch("/core/runbooks/1", json=document("runbook", {"name": "x"}))
        delete = await client.delete("/core/runbooks/1")
    assert read.status_code == 200
    for response in (create, patch, delete):
        assert response.status_code == 403
        assert errors_of(response) == [("forbidden", None)]
    async with any_sandbox.client() as client:
        template = (await client.get("/core/runbooks/1")).json()["data"]
    assert template["attributes"]["name"] == "Standard release"
    assert template["attributes"]["archived"] is False


@pytest.mark.parametrize("version", ["2021-10-13", "2022-01-10", "2022-02-22", None])
async def test_known_api_versions_are_accepted(sandbox, version):
    async with sandbox.client() as client:
        headers = {"Api-Version": version} if version else {}
        if version is None:
            client.headers.pop("Api-Version")
        response = await client.get("/core/workspaces", headers=headers)
    assert response.status_code == 200


async def test_unknown_api_version_is_400(any_sandbox):
    async with any_sandbox.client() as client:
        response = await client.get("/core/workspaces", headers={"Api-Version": "2030-01-01"})
    assert response.status_code == 400
    assert errors_of(response) == [("invalid", "Api-Version")]


async def test_both_content_types_and_core_url_are_accepted(sandbox):
    async with sandbox.client() as client:
        for content_type in ("application/json", "application/vnd.api+json"):
            response = await client.post(
                "/core/runbooks",
                content=httpx.Request("POST", "/", json=NEW_RUNBOOK).content,
                headers={"Content-Type": content_type, "Core-Url": "https://acme.cutover.com"},
            )
            assert response.status_code == 201, response.text
            assert response.headers["content-type"].startswith("application/vnd.api+json")


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'"text"', b"\xff\xfe"])
async def test_malformed_body_is_400(any_sandbox, body):
    async with any_sandbox.client() as client:
        response = await client.post(
            "/core/runbooks", content=body, headers={"Content-Type": "application/json"}
        )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "invalid"


async def test_body_without_data_is_400(sandbox):
    async with sandbox.client() as client:
        response = await client.post("/core/runbooks", json={"meta": {}})
    assert response.status_code == 400
    assert errors_of(response) == [("invalid", "/data")]


async def test_unknown_route_and_method(any_sandbox):
    async with any_sandbox.client() as client:
        route = await client.get("/core/nothing")
        method = await client.put("/core/runbooks/1", json=NEW_RUNBOOK)
    assert route.status_code == 404
    assert errors_of(route) == [("not_found", None)]
    assert method.status_code == 405
    assert errors_of(method) == [(None, None)]  # the reference's table has no 405 code
