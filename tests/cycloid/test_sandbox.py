"""The Cycloid sandbox answers as the reference says: keys, envelopes, paging, validation,
PUT-replaces, updated_at, 411, 409 for a credential in use, 404 for unknown parents, events."""

from __future__ import annotations

import http.client
import json
import time
from urllib.parse import urlparse

import pytest
from tests.cycloid.conftest import KEY, Cycloid

pytestmark = pytest.mark.anyio
ORG = "/organizations/acme"


async def test_the_api_key_is_required_and_a_wrong_one_is_forbidden(either: Cycloid) -> None:
    async with either.http(key=None) as http:
        missing = await http.get(f"{ORG}/teams")
    async with either.http(key="wrong") as http:
        wrong = await http.get(f"{ORG}/teams")
        version = await http.get("/version")  # getAppVersion takes no key
    assert missing.status_code == 401
    assert wrong.status_code == 403
    assert wrong.json()["errors"][0]["code"] == "Forbidden"
    assert version.status_code == 200 and version.json()["data"]["version"] == "v6.2.62"


async def test_the_seeded_organization_has_its_roles_and_users(either: Cycloid) -> None:
    async with either.http() as http:
        roles = (await http.get(f"{ORG}/roles")).json()
        members = (await http.get(f"{ORG}/members")).json()
        other = await http.get("/organizations/nobody/roles")
    assert [r["canonical"] for r in roles["data"]] == [
        "organization-admin",
        "organization-member",
        "default-project-viewer",
    ]
    assert roles["pagination"] == {"index": 1, "size": 1000, "total": 3}
    assert "kjohnson" in [m["username"] for m in members["data"]]
    assert other.status_code == 404 and other.json()["errors"][0]["code"] == "NotFound"


async def test_lists_page_by_index_and_size(cycloid: Cycloid) -> None:
    async with cycloid.http() as http:
        pages = [
            (await http.get(f"{ORG}/roles", params={"page_index": i, "page_size": 2})).json()
            for i in (1, 2, 3)
        ]
        bad = await http.get(f"{ORG}/roles", params={"page_index": 0})
    assert [len(p["data"]) for p in pages] == [2, 1, 0]
    assert pages[1]["pagination"] == {"index": 2, "size": 2, "total": 3}
    assert bad.status_code == 422 and "page_index" in bad.json()["errors"][0]["details"][0]


async def test_validation_reports_every_broken_rule(either: Cycloid) -> None:
    body = {"name": "ab", "canonical": "-bad", "roles_canonical": ["x"]}
    async with either.http() as http:
        team = await http.post(f"{ORG}/teams", json=body)
        credential = await http.post(
            f"{ORG}/credentials", json={"name": "c", "type": "password", "path": "p"}
        )
        policy = await http.post(
            f"{ORG}/infra_policies",
            json={"name": "Tags", "owner": "kjohnson", "body": "x", "severity": "high"},
        )
    assert team.status_code == 422
    details = team.json()["errors"][0]["details"]
    assert "name: should be at least 3 chars long" in details
    assert any(d.startswith("canonical: should match") for d in details)
    assert any(d.startswith("roles_canonical.0: should be at least 3") for d in details)
    assert credential.json()["errors"][0]["details"] == [
        "type: should be one of ['ssh', 'aws', 'custom', 'azure', 'azure_storage', 'gcp', "
        "'basic_auth', 'elasticsearch', 'swift', 'vmware']",
        "raw: is required",
    ]
    assert policy.json()["errors"][0]["details"] == [
        "severity: should be one of ['critical', 'warning', 'advisory']"
    ]


async def test_a_put_replaces_the_object(cycloid: Cycloid) -> None:
    async with cycloid.http() as http:
        made = await http.post(
            f"{ORG}/infra_policies",
            json={
                "name": "Tags",
                "canonical": "tags",
                "owner": "kjohnson",
                "body": "package a",
                "severity": "warning",
                "description": "kept?",
                "enabled": True,
            },
        )
        assert made.status_code == 200
        put = await http.put(
            f"{ORG}/infra_policies/tags",
            json={
                "name": "Tags",
                "owner": "kjohnson",
                "body": "package b",
                "severity": "warning",
                "description": "",
                "enabled": False,
            },
        )
        missing = await http.put(f"{ORG}/infra_policies/tags", json={"name": "Tags"})
    assert put.json()["data"]["description"] == "" and put.json()["data"]["enabled"] is False
    assert missing.status_code == 422
    assert "description: is required" in missing.json()["errors"][0]["details"]


async def _project(http, name: str = "Payments") -> dict:
    await http.post(
        f"{ORG}/credentials",
        json={
            "name": "Key",
            "canonical": "key",
            "type": "ssh",
            "path": "key",
            "raw": {"ssh_key": "s"},
        },
    )
    await http.post(
        f"{ORG}/config_repositories",
        json={
            "name": "Config",
            "canonical": "config",
            "url": "git@example.com:a/c.git",
            "branch": "main",
            "default": True,
            "credential_canonical": "key",
        },
    )
    made = await http.post(
        f"{ORG}/projects",
        json={
            "name": name,
            "canonical": "payments",
            "config_repository_canonical": "config",
            "description": "the payments",
        },
    )
    assert made.status_code == 200, made.text
    return made.json()["data"]


async def test_update_project_needs_the_updated_at_it_read(either: Cycloid) -> None:
    async with either.http() as http:
        project = await _project(http)
        body = {"name": "Payments", "config_repository_canonical": "config"}
        without = await http.put(f"{ORG}/projects/payments", json=body)
        stale = await http.put(
            f"{ORG}/projects/payments", json={**body, "updated_at": project["updated_at"] - 5}
        )
        fresh = await http.put(
            f"{ORG}/projects/payments", json={**body, "updated_at": project["updated_at"]}
        )
        again = await http.put(
            f"{ORG}/projects/payments", json={**body, "updated_at": project["updated_at"]}
        )
    assert without.status_code == 422
    assert stale.status_code == 409 and stale.json()["errors"][0]["code"] == "Conflict"
    assert fresh.status_code == 200
    assert fresh.json()["data"]["updated_at"] > project["updated_at"]
    assert "description" not in fresh.json()["data"]  # not sent: removed
    assert again.status_code == 409


async def test_a_credential_a_config_repository_uses_cannot_be_deleted(either: Cycloid) -> None:
    async with either.http() as http:
        await _project(http)
        refused = await http.delete(f"{ORG}/credentials/key")
        listed = (await http.get(f"{ORG}/credentials")).json()["data"]
        one = (await http.get(f"{ORG}/credentials/key")).json()["data"]
    assert refused.status_code == 409
    assert refused.json()["errors"][0]["details"] == ["config_repository:config"]
    assert "raw" not in listed[0] and one["raw"] == {"ssh_key": "s"}


async def test_unknown_parents_and_references_are_404(either: Cycloid) -> None:
    async with either.http() as http:
        environment = await http.post(f"{ORG}/projects/nope/environments", json={"name": "S"})
        member = await http.post(f"{ORG}/teams/nope/members", json={"username": "kjohnson"})
        team = await http.post(
            f"{ORG}/teams", json={"name": "Payments", "roles_canonical": ["no-such-role"]}
        )
    assert [r.status_code for r in (environment, member, team)] == [404, 404, 404]


def test_a_put_without_a_body_or_content_length_is_411(cycloid_server: Cycloid) -> None:
    url = urlparse(cycloid_server.base_url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    connection.putrequest("PUT", f"{ORG}/teams/payments")
    connection.putheader("Authorization", f"Bearer {KEY}")
    connection.endheaders()
    answer = connection.getresponse()
    assert answer.status == 411
    assert json.loads(answer.read())["errors"][0]["code"] == "LengthRequired"


async def test_team_members_are_assigned_by_username_and_removed_by_id(cycloid: Cycloid) -> None:
    async with cycloid.http() as http:
        await http.post(
            f"{ORG}/teams",
            json={
                "name": "Payments",
                "canonical": "payments",
                "roles_canonical": ["organization-member"],
            },
        )
        member = (
            await http.post(f"{ORG}/teams/payments/members", json={"username": "kjohnson"})
        ).json()["data"]
        twice = await http.post(f"{ORG}/teams/payments/members", json={"username": "kjohnson"})
        unknown = await http.post(f"{ORG}/teams/payments/members", json={"username": "ghost"})
        removed = await http.delete(f"{ORG}/teams/payments/members/{member['id']}")
        left = (await http.get(f"{ORG}/teams/payments/members")).json()
    assert twice.status_code == 409 and unknown.status_code == 404
    assert removed.status_code == 204 and left["data"] == [] and left["pagination"]["total"] == 0


async def test_events_are_stored_and_read_by_a_time_range(either: Cycloid) -> None:
    event = {
        "type": "Custom",
        "title": "apply",
        "message": "done",
        "severity": "info",
        "tags": [{"key": "source", "value": "runform"}],
        "color": "green",
    }
    async with either.http() as http:
        sent = await http.post(f"{ORG}/events", json=event)
        hex_colour = await http.post(f"{ORG}/events", json={**event, "color": "ff0000"})
        no_tags = await http.post(
            f"{ORG}/events", json={k: v for k, v in event.items() if k != "tags"}
        )
        now = int(time.time() * 1000)
        unbounded = await http.get(f"{ORG}/events")
        found = await http.get(f"{ORG}/events", params={"begin": now - 60_000, "end": now + 1})
        other = await http.get(
            f"{ORG}/events", params={"begin": now - 60_000, "end": now + 1, "severity": "err"}
        )
    assert sent.status_code == 204
    assert hex_colour.status_code == 422 and no_tags.status_code == 422
    assert unbounded.status_code == 422
    assert [e["title"] for e in found.json()["data"]] == ["apply"]
    assert other.json()["data"] == []


async def test_injected_faults_answer_before_handling(cycloid: Cycloid) -> None:
    cycloid.faults.error_rate = 1.0
    async with cycloid.http() as http:
        failed = await http.post(f"{ORG}/roles", json={"name": "Ops", "rules": []})
        cycloid.faults.error_rate = 0.0
        roles = (await http.get(f"{ORG}/roles")).json()["data"]
    assert failed.status_code in (500, 503, 504)
    assert len(roles) == 3
