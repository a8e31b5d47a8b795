"""Runbooks: create, list filters, get, patch, archive, and Cutover's validation codes."""

from __future__ import annotations

import pytest

from .support import all_pages, create_runbook, document, errors_of

pytestmark = pytest.mark.anyio


async def test_create_defaults_and_read_back(sandbox):
    async with sandbox.client() as client:
        created = await create_runbook(client, "Payments release", workspace="payments")
        fetched = await client.get(f"/core/runbooks/{created['id']}")
    assert fetched.status_code == 200
    data = fetched.json()["data"]
    assert data == created
    attributes = data["attributes"]
    assert attributes["archived"] is False
    assert attributes["is_template"] is False
    assert attributes["stage"] == "planning"
    assert attributes["status"] == "off"
    assert attributes["timing_mode"] == "unscheduled"
    assert data["relationships"]["workspace"]["data"] == {"id": "2", "type": "workspace"}
    assert data["relationships"]["runbook_type"]["data"] == {"id": "1", "type": "runbook_type"}
    # Round 2, Runbooks: a runbook without a folder lands in Default (test_default_folder.py).
    assert data["relationships"]["folder"]["data"] is not None
    assert data["links"]["self"].endswith(f"/core/runbooks/{data['id']}")


async def test_patch_changes_fields_and_updated_at(sandbox):
    async with sandbox.client() as client:
        created = await create_runbook(client, "R", timezone="Europe/London")
        response = await client.patch(
            f"/core/runbooks/{created['id']}",
            json=document(
                "runbook",
                {
                    "description": "Monthly",
                    "start_scheduled": "2026-12-05T22:00:00+00:00",
                    "end_scheduled": "2026-12-06T02:00:00Z",
                    "status": "amber",
                    "custom_field_values": [
                        {"name": "Change ticket", "value": "CHG1"},
                        {"custom_field_id": "2", "value": "High"},
                    ],
                },
                folder=1,
            ),
        )
    assert response.status_code == 200, response.text
    attributes = response.json()["data"]["attributes"]
    assert attributes["description"] == "Monthly"
    assert attributes["start_scheduled"] == "2026-12-05T22:00:00Z"
    assert attributes["timing_mode"] == "scheduled"
    assert attributes["timezone"] == "Europe/London"
    assert attributes["updated_at"] > created["attributes"]["updated_at"]
    assert attributes["created_at"] == created["attributes"]["created_at"]
    assert [(v["name"], v["value"]) for v in attributes["custom_field_values"]] == [
        ("Change ticket", "CHG1"),
        ("Risk", "High"),
    ]
    assert set(attributes["custom_field_values"][0]) == {
        "name",
        "custom_field_id",
        "value",
        "display_name",
        "read_only",
    }
    assert response.json()["data"]["relationships"]["folder"]["data"]["id"] == "1"


async def test_delete_archives(sandbox):
    async with sandbox.client() as client:
        created = await create_runbook(client, "Gone")
        deleted = await client.delete(f"/core/runbooks/{created['id']}")
        fetched = await client.get(f"/core/runbooks/{created['id']}")
        listed = await all_pages(client, "/core/runbooks")
        archived = await all_pages(client, "/core/runbooks", {"archived": "true"})
        patched = await client.patch(
            f"/core/runbooks/{created['id']}", json=document("runbook", {"name": "x"})
        )
    assert deleted.status_code == 204
    assert fetched.status_code == 404
    assert errors_of(fetched) == [("not_found", None)]
    assert created["id"] not in [r["id"] for r in listed]
    assert [r["id"] for r in archived] == [created["id"]]
    assert archived[0]["attributes"]["archived"] is True
    assert patched.status_code == 404


async def test_an_archived_runbook_is_served_nowhere_but_the_archived_listing(sandbox):
    # The reference: `archived` is read-only ("use DELETE operation to archive"), there is no
    # un-archive, and 404 means "never existed, archived or deleted".
    async with sandbox.client() as client:
        created = await create_runbook(client, "Archived twice")
        path = f"/core/runbooks/{created['id']}"
        assert (await client.delete(path)).status_code == 204
        again = await client.delete(path)
        streams = await client.get(f"{path}/streams")
        tasks = await client.get(f"{path}/tasks")
        by_id = await all_pages(
            client, "/core/runbooks", {"archived": "true", "runbook_id": created["id"]}
        )
        unarchive = await client.patch(
            path, json=document("runbook", {"name": "Archived twice", "archived": False})
        )
    assert again.status_code == 404
    assert streams.status_code == 404 and tasks.status_code == 404
    assert [r["id"] for r in by_id] == [created["id"]]
    assert unarchive.status_code == 404


async def test_list_filters(sandbox):
    async with sandbox.client() as client:
        a = await create_runbook(client, "Alpha payments", workspace="payments", folder=5)
        b = await create_runbook(
            client, "Beta", workspace="2", description="payments too", runbook_type=2
        )
        c = await create_runbook(client, "Gamma tmpl", is_template=True, template_status="draft")

        async def ids(**params):
            return [r["id"] for r in await all_pages(client, "/core/runbooks", params)]

        assert await ids(workspace_id="payments") == [a["id"], b["id"]]
        assert await ids(workspace_id="2") == [a["id"], b["id"]]
        assert await ids(folder_id="5") == [a["id"]]
        assert await ids(runbook_type_id="2") == [b["id"]]
        assert await ids(query="PAYMENTS") == [a["id"], b["id"]]
        assert await ids(is_template="true") == ["1", c["id"]]
        assert await ids(is_template="false") == [a["id"], b["id"]]
        assert await ids(template_status="draft") == [c["id"]]
        assert await ids(template_status="approved") == ["1"]
        assert await ids(run_type="live") == []
        bad = await client.get("/core/runbooks", params={"is_template": "maybe"})
    assert bad.status_code == 400
    assert errors_of(bad) == [("invalid", "is_template")]


@pytest.mark.parametrize(
    ("attributes", "relationships", "expected"),
    [
        ({"name": ""}, {}, [("blank", "/data/attributes/name")]),
        ({"name": "   "}, {}, [("blank", "/data/attributes/name")]),
        ({}, {}, [("blank", "/data/attributes/name")]),
        ({"name": "x" * 256}, {}, [("too_long", "/data/attributes/name")]),
        ({"name": "R", "status": "purple"}, {}, [("inclusion", "/data/attributes/status")]),
        (
            {"name": "R", "template_type": "big"},
            {},
            [("inclusion", "/data/attributes/template_type")],
        ),
        ({"name": "R", "timezone": "Mars/Olympus"}, {}, [("invalid", "/data/attributes/timezone")]),
        ({"name": "R", "is_template": "yes"}, {}, [("invalid", "/data/attributes/is_template")]),
        ({"name": "R", "rto": -5}, {}, [("greater_than_or_equal_to", "/data/attributes/rto")]),
        (
            {"name": "R", "start_scheduled": "tomorrow"},
            {},
            [("invalid", "/data/attributes/start_scheduled")],
        ),
        (
            {
                "name": "R",
                "start_scheduled": "2026-12-05T22:00:00Z",
                "end_scheduled": "2026-12-05T21:00:00Z",
            },
            {},
            [("end_scheduled_must_be_after_start_scheduled", "/data/attributes/end_scheduled")],
        ),
        (
            {
                "name": "R",
                "start_planned": "2026-12-05T22:00:00Z",
                "start_scheduled": "2026-12-05T22:00:00Z",
            },
            {},
            [("must_be_empty", "/data/attributes/start_planned")],
        ),
        (
            {"name": "R", "end_scheduled": "2026-12-05T21:00:00Z"},
            {},
            [("invalid", "/data/attributes/end_scheduled")],
        ),
        (
            {"name": "R", "template_status": "approved"},
            {},
            [
                (
                    "runbook.cannot_update_template_status_on_non_template",
                    "/data/attributes/template_status",
                )
            ],
        ),
        (
            {"name": "R", "is_template": True, "template_status": "published"},
            {},
            [("inclusion", "/data/attributes/template_status")],
        ),
        (
            {"name": "R", "custom_field_values": [{"name": "Nope", "value": "x"}]},
            {},
            [("not_found", "/data/attributes/custom_field_values/0/name")],
        ),
        (
            {"name": "R", "custom_field_values": [{"name": "Risk", "value": "Extreme"}]},
            {},
            [("inclusion", "/data/attributes/custom_field_values/0/value")],
        ),
        (
            {"name": "R", "custom_field_values": [{"name": "Evidence URL", "value": "x"}]},
            {},
            [("invalid", "/data/attributes/custom_field_values/0")],
        ),
        ({"name": "R"}, {"workspace": None}, [("required", "/data/relationships/workspace")]),
        ({"name": "R"}, {"workspace": "nowhere"}, [("not_found", "/data/relationships/workspace")]),
        (
            {"name": "R"},
            {"workspace": "default", "folder": 5},
            [("not_found", "/data/relationships/folder")],
        ),
        (
            {"name": "R"},
            {"workspace": "default", "runbook_type": 99},
            [("not_found", "/data/relationships/runbook_type")],
        ),
        (
            {"name": "", "status": "purple"},
            {},
            [("blank", "/data/attributes/name"), ("inclusion", "/data/attributes/status")],
        ),
    ],
)
async def test_create_validation(sandbox, attributes, relationships, expected):
    relationships = {"workspace": "default", **relationships}
    async with sandbox.client() as client:
        response = await client.post(
            "/core/runbooks", json=document("runbook", attributes, **relationships)
        )
        listed = await all_pages(client, "/core/runbooks")
    assert response.status_code == 422, response.text
    assert errors_of(response) == expected
    error = response.json()["errors"][0]
    assert error["status"] == "422"
    assert error["title"] and error["detail"]
    assert [r["id"] for r in listed] == ["1"]


async def test_patch_validation_uses_the_stored_state(sandbox):
    async with sandbox.client() as client:
        created = await create_runbook(client, "R", start_scheduled="2026-12-05T22:00:00Z")
        path = f"/core/runbooks/{created['id']}"
        early_end = await client.patch(
            path, json=document("runbook", {"end_scheduled": "2026-12-05T20:00:00Z"})
        )
        blank = await client.patch(path, json=document("runbook", {"name": ""}))
        status = await client.patch(path, json=document("runbook", {"template_status": "draft"}))
        template = await client.patch(path, json=document("runbook", {"is_template": True}))
        planned = await client.patch(
            path, json=document("runbook", {"start_planned": "2026-12-01T00:00:00Z"})
        )
        template_now = await client.patch(
            path, json=document("runbook", {"is_template": True, "template_status": "draft"})
        )
        untemplate = await client.patch(path, json=document("runbook", {"is_template": False}))
    assert errors_of(early_end) == [
        ("end_scheduled_must_be_after_start_scheduled", "/data/attributes/end_scheduled")
    ]
    assert errors_of(blank) == [("blank", "/data/attributes/name")]
    assert errors_of(status)[0][0] == "runbook.cannot_update_template_status_on_non_template"
    # Round 2, Runbooks: nothing says a template cannot have `start_scheduled`.
    assert template.status_code == 200, template.text
    assert planned.status_code == 200
    assert planned.json()["data"]["attributes"]["start_scheduled"] is None
    assert planned.json()["data"]["attributes"]["start_planned"] == "2026-12-01T00:00:00Z"
    assert template_now.json()["data"]["attributes"]["template_status"] == "draft"
    assert untemplate.json()["data"]["attributes"]["template_status"] is None


async def test_unknown_runbook_is_404(sandbox):
    async with sandbox.client() as client:
        for path in ("/core/runbooks/999", "/core/runbooks/abc", "/core/runbooks/999/tasks"):
            response = await client.get(path)
            assert response.status_code == 404, path
            assert response.json()["errors"][0]["code"] == "not_found"
