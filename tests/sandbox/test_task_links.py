"""Task links (Round 2, Task actions and links): written with string ids, read back as
integers; a `runbook` link needs the `linked` task type and a template with tasks, and in a
runbook that is not a template points at a fresh copy of the template."""

from __future__ import annotations

import pytest

from .support import all_pages, create_runbook, document, errors_of

pytestmark = pytest.mark.anyio

TEMPLATE = "1"  # the seeded "Standard release" template, with twelve tasks


async def _task_type(client, key: str) -> str:
    types = await all_pages(client, "/core/task_types")
    return next(t["id"] for t in types if t["attributes"]["key"] == key)


def _linked_task(name: str, links: object, task_type: str | None) -> dict:
    extra = {"task_type": task_type} if task_type else {}
    return document("task", {"name": name, "task_links": links}, **extra)


async def test_a_runbook_link_points_at_a_fresh_copy_of_the_template(sandbox):
    # Round 2: "in a runbook that is not a template the link points at a freshly made copy of
    # the template, and the task takes the template's name"; the id reads back as an integer.
    async with sandbox.client() as client:
        linked = await _task_type(client, "linked")
        runbook = await create_runbook(client, "Parent")
        path = f"/core/runbooks/{runbook['id']}/tasks"
        links = [{"id": TEMPLATE, "link_type": "runbook"}]
        created = await client.post(path, json=_linked_task("Run the release", links, linked))
        assert created.status_code == 201, created.text
        task = created.json()["data"]
        copy_id = task["attributes"]["task_links"][0]["id"]
        copy = await client.get(f"/core/runbooks/{copy_id}")
        copy_tasks = await all_pages(client, f"/core/runbooks/{copy_id}/tasks")
        template = (await client.get(f"/core/runbooks/{TEMPLATE}")).json()["data"]
        listed = await all_pages(client, path)
        copies = await all_pages(client, "/core/runbooks", {"source_runbook_id": TEMPLATE})
    assert task["attributes"]["name"] == template["attributes"]["name"]
    assert isinstance(copy_id, int) and str(copy_id) != TEMPLATE
    assert task["attributes"]["task_links"] == [{"id": copy_id, "link_type": "runbook"}]
    assert listed[0]["attributes"]["task_links"] == [{"id": copy_id, "link_type": "runbook"}]
    assert copy.json()["data"]["attributes"]["name"] == template["attributes"]["name"]
    assert copy.json()["data"]["attributes"]["is_template"] is False
    assert len(copy_tasks) == 12
    assert [r["id"] for r in copies] == [str(copy_id)]


async def test_in_a_template_the_link_points_at_the_template_itself(sandbox):
    # Round 2 makes a copy only "in a runbook that is not a template".
    async with sandbox.client() as client:
        linked = await _task_type(client, "linked")
        template = await create_runbook(client, "Umbrella", is_template=True)
        links = [{"id": TEMPLATE, "link_type": "runbook"}]
        created = await client.post(
            f"/core/runbooks/{template['id']}/tasks", json=_linked_task("x", links, linked)
        )
        runbooks = await all_pages(client, "/core/runbooks")
    assert created.status_code == 201, created.text
    assert created.json()["data"]["attributes"]["task_links"] == [
        {"id": int(TEMPLATE), "link_type": "runbook"}
    ]
    assert len(runbooks) == 2  # no copy made


LINKS = "/data/attributes/task_links"
TYPE = "/data/relationships/task_type"


def _runbook(ident: object) -> list[dict[str, object]]:
    return [{"id": ident, "link_type": "runbook"}]


@pytest.mark.parametrize(
    ("links", "kind", "expected"),
    [
        # A runbook link needs the tenant's task type with key `linked` (Round 2).
        (_runbook(TEMPLATE), None, ("invalid", TYPE)),
        # Written as a string id (Round 2); the reference's codes for the rest.
        (_runbook(1), "linked", ("invalid", f"{LINKS}/0/id")),
        (
            [{"id": TEMPLATE, "link_type": "folder"}],
            "linked",
            ("inclusion", f"{LINKS}/0/link_type"),
        ),
        (_runbook("999"), "linked", ("not_found", f"{LINKS}/0/id")),
        ([{"link_type": "runbook"}], "linked", ("blank", f"{LINKS}/0/id")),
        ({"id": TEMPLATE}, "linked", ("invalid", LINKS)),
        # A template (with at least one task), and a snippet only for a snippet link.
        (_runbook("PARENT"), "linked", ("invalid", f"{LINKS}/0/id")),
        (_runbook("EMPTY"), "linked", ("empty", f"{LINKS}/0/id")),
        ([{"id": TEMPLATE, "link_type": "snippet"}], "linked", ("invalid", f"{LINKS}/0/id")),
    ],
)
async def test_refusals_use_the_references_codes_and_write_nothing(sandbox, links, kind, expected):
    async with sandbox.client() as client:
        linked = await _task_type(client, kind) if kind else None
        parent = await create_runbook(client, "Parent")
        empty = await create_runbook(client, "Empty", is_template=True)
        names = {"PARENT": parent["id"], "EMPTY": empty["id"]}
        if isinstance(links, list):
            links = [{**item, "id": names.get(item.get("id"), item.get("id"))} for item in links]
            links = [{k: v for k, v in item.items() if v is not None} for item in links]
        path = f"/core/runbooks/{parent['id']}/tasks"
        refused = await client.post(path, json=_linked_task("x", links, linked))
        runbooks = await all_pages(client, "/core/runbooks")
        tasks = await all_pages(client, path)
    assert refused.status_code == 422, refused.text
    assert errors_of(refused) == [expected]
    assert len(runbooks) == 3 and tasks == []


async def test_patch_links_keeps_them_and_guards_the_task_type(sandbox):
    async with sandbox.client() as client:
        linked = await _task_type(client, "linked")
        normal = await _task_type(client, "normal")
        snippet = await create_runbook(client, "Checks", is_template=True, template_type="snippet")
        runbook = await create_runbook(client, "Parent")
        path = f"/core/runbooks/{runbook['id']}/tasks"
        task = (await client.post(path, json=_linked_task("Later", [], linked))).json()["data"]
        body = _linked_task("ignored", [{"id": TEMPLATE, "link_type": "runbook"}], None)
        patched = await client.patch(f"{path}/{task['id']}", json=body)
        renamed = await client.patch(
            f"{path}/{task['id']}", json=document("task", {"description": "now linked"})
        )
        retyped = await client.patch(
            f"{path}/{task['id']}", json=document("task", {}, task_type=normal)
        )
        other = await client.post(
            path,
            json=_linked_task("Run checks", [{"id": snippet["id"], "link_type": "snippet"}], None),
        )
    assert patched.status_code == 200, patched.text
    attributes = patched.json()["data"]["attributes"]
    assert attributes["name"] == "Standard release"
    [link] = attributes["task_links"]
    assert link["link_type"] == "runbook" and isinstance(link["id"], int)
    assert renamed.json()["data"]["attributes"]["task_links"] == [link]
    # The task type cannot leave `linked` while the task holds a runbook link.
    assert errors_of(retyped) == [("invalid", "/data/relationships/task_type")]
    # A snippet link keeps the name given and needs no particular task type (unknown).
    assert other.status_code == 201, other.text
    assert other.json()["data"]["attributes"]["name"] == "Run checks"
    assert other.json()["data"]["attributes"]["task_links"] == [
        {"id": int(snippet["id"]), "link_type": "snippet"}
    ]
