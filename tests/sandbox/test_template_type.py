"""`template_type` (off, default, snippet) and `is_template` read back consistent."""

from __future__ import annotations

import pytest

from .support import create_runbook, document, errors_of

pytestmark = pytest.mark.anyio


def kind_of(runbook: dict) -> tuple[bool, str]:
    attributes = runbook["attributes"]
    return attributes["is_template"], attributes["template_type"]


async def test_template_type_and_is_template_set_each_other_on_create(any_sandbox):
    # Round 2, Runbooks: template_type goes with is_template: default reads back as a
    # template, off as not one. A snippet is taken as a template (the plainest reading).
    async with any_sandbox.client() as client:
        plain = await create_runbook(client, "Plain")
        by_type = await create_runbook(client, "By type", template_type="default")
        by_flag = await create_runbook(client, "By flag", is_template=True)
        snippet = await create_runbook(client, "Snippet", template_type="snippet")
        off = await create_runbook(client, "Off", template_type="off")
    assert kind_of(plain) == (False, "off")
    assert kind_of(by_type) == (True, "default")
    assert kind_of(by_flag) == (True, "default")
    assert kind_of(snippet) == (True, "snippet")
    assert kind_of(off) == (False, "off")


async def test_template_type_follows_is_template_on_patch(sandbox):
    # Round 2, Runbooks: the two stay consistent whichever one a patch sends.
    async with sandbox.client() as client:
        runbook = await create_runbook(client, "R")
        path = f"/core/runbooks/{runbook['id']}"
        made = await client.patch(path, json=document("runbook", {"template_type": "default"}))
        snippet = await client.patch(path, json=document("runbook", {"template_type": "snippet"}))
        kept = await client.patch(path, json=document("runbook", {"is_template": True}))
        unmade = await client.patch(path, json=document("runbook", {"is_template": False}))
        again = await client.patch(path, json=document("runbook", {"is_template": True}))
        fetched = await client.get(path)
    assert kind_of(made.json()["data"]) == (True, "default")
    assert kind_of(snippet.json()["data"]) == (True, "snippet")
    assert kind_of(kept.json()["data"]) == (True, "snippet"), "already a template: kind kept"
    assert kind_of(unmade.json()["data"]) == (False, "off")
    assert kind_of(again.json()["data"]) == (True, "default")
    assert kind_of(fetched.json()["data"]) == (True, "default")


async def test_a_disagreeing_pair_is_refused(sandbox):
    # Round 2, Runbooks: template_type goes with is_template; a body where they disagree has
    # no consistent reading, so it is refused with the reference's general `invalid`.
    async with sandbox.client() as client:
        created = await client.post(
            "/core/runbooks",
            json=document(
                "runbook",
                {"name": "x", "is_template": False, "template_type": "default"},
                workspace=1,
            ),
        )
        runbook = await create_runbook(client, "R")
        patched = await client.patch(
            f"/core/runbooks/{runbook['id']}",
            json=document("runbook", {"is_template": True, "template_type": "off"}),
        )
    assert errors_of(created) == [("invalid", "/data/attributes/template_type")]
    assert errors_of(patched) == [("invalid", "/data/attributes/template_type")]


async def test_a_used_template_must_remain_a_template(sandbox):
    # The reference's code runbook.cannot_remove_template_when_in_use: "This Runbook Template
    # has already been used and must remain as a Template."
    async with sandbox.client() as client:
        body = document("runbook", {"name": "Copy"})
        body["meta"] = {"copy": {"source_runbook_id": "1"}}
        copied = await client.post("/core/runbooks", json=body)
        by_flag = await client.patch(
            "/core/runbooks/1", json=document("runbook", {"is_template": False})
        )
        by_type = await client.patch(
            "/core/runbooks/1", json=document("runbook", {"template_type": "off"})
        )
        unused = await create_runbook(client, "Unused", is_template=True)
        freed = await client.patch(
            f"/core/runbooks/{unused['id']}", json=document("runbook", {"is_template": False})
        )
    assert copied.status_code == 201
    assert kind_of(copied.json()["data"]) == (False, "off")
    code = "runbook.cannot_remove_template_when_in_use"
    assert errors_of(by_flag) == [(code, "/data/attributes/is_template")]
    assert errors_of(by_type) == [(code, "/data/attributes/is_template")]
    assert freed.status_code == 200
