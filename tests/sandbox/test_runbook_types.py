"""Runbook types: their Round 2 attributes, keys, and restrict_create_to_templates."""

from __future__ import annotations

import pytest

from .support import all_pages, create_runbook, document, errors_of

pytestmark = pytest.mark.anyio

RESTRICTED = "disaster-recovery"  # the seeded type with restrict_create_to_templates


async def test_types_carry_the_round_2_attributes(any_sandbox):
    # Round 2, Runbooks: runbook types carry enable_rto, incident,
    # restrict_create_to_templates and ai_create_enabled.
    async with any_sandbox.client() as client:
        types = await all_pages(client, "/core/runbook_types")
    for kind in types:
        for name in ("enable_rto", "incident", "restrict_create_to_templates", "ai_create_enabled"):
            assert isinstance(kind["attributes"][name], bool), (kind["id"], name)
    by_key = {t["attributes"]["key"]: t["attributes"] for t in types}
    assert by_key[RESTRICTED]["restrict_create_to_templates"] is True
    assert by_key[RESTRICTED]["enable_rto"] is True
    assert by_key["normal-runbook"]["restrict_create_to_templates"] is False


async def test_a_type_is_named_by_id_or_key(sandbox):
    # The reference: a type's key is "interchangeable with `id` in requests"; Round 2: keys
    # are tenant specific (here the normal type's key is normal-runbook, not normal).
    async with sandbox.client() as client:
        by_key = await create_runbook(client, "By key", runbook_type="dynamic")
        unknown = await client.post(
            "/core/runbooks",
            json=document("runbook", {"name": "x"}, workspace=1, runbook_type="normal"),
        )
    assert by_key["relationships"]["runbook_type"]["data"]["id"] == "2"
    assert errors_of(unknown) == [("not_found", "/data/relationships/runbook_type")]


async def test_a_restricted_type_takes_only_copies_of_a_template(sandbox):
    # Round 2, Runbooks: restrict_create_to_templates is "a type whose runbooks may only be
    # created from a template"; the reference has no code of its own, so `invalid`.
    async with sandbox.client() as client:
        direct = await client.post(
            "/core/runbooks",
            json=document("runbook", {"name": "DR"}, workspace=1, runbook_type=RESTRICTED),
        )
        body = document("runbook", {"name": "DR copy"}, runbook_type=RESTRICTED)
        body["meta"] = {"copy": {"source_runbook_id": "1"}}
        copied = await client.post("/core/runbooks", json=body)
        plain = await create_runbook(client, "Not a template")
        body = document("runbook", {"name": "DR from a runbook"}, runbook_type=RESTRICTED)
        body["meta"] = {"copy": {"source_runbook_id": plain["id"]}}
        from_runbook = await client.post("/core/runbooks", json=body)
        # Unknown, the plainest reading: a template of such a type is made directly.
        template = await client.post(
            "/core/runbooks",
            json=document(
                "runbook",
                {"name": "DR template", "is_template": True},
                workspace=1,
                runbook_type=RESTRICTED,
            ),
        )
    assert errors_of(direct) == [("invalid", "/data/relationships/runbook_type")]
    assert copied.status_code == 201, copied.text
    assert errors_of(from_runbook) == [("invalid", "/data/relationships/runbook_type")]
    assert template.status_code == 201, template.text
