"""The token never shows: not in logs (debug included), reprs or exceptions."""

from __future__ import annotations

import asyncio
import logging
import pickle

import pytest

from runform.providers.cutover.api import (
    AmbiguousWrite,
    ApiError,
    ApiSettings,
    Ref,
    open_client,
)


def test_debug_log_of_a_whole_session_has_no_token(target, caplog):
    caplog.set_level(logging.DEBUG)  # every logger: runform, httpx, httpcore, uvicorn
    errors: list[ApiError] = []

    async def session():
        async with target.client() as client:
            workspace = (await client.list("/core/workspaces"))[0]
            runbook = await client.create(
                "/core/runbooks",
                "runbook",
                {"name": "Logged"},
                {"workspace": Ref(id=workspace.id, type="workspace")},
            )
            await client.update(f"/core/runbooks/{runbook.id}", "runbook", {"description": "x"})
            for failing in (
                client.get("/core/runbooks/424242"),
                client.create("/core/runbooks", "runbook", {"name": ""}, {"workspace": workspace}),
            ):
                try:
                    await failing
                except ApiError as err:
                    errors.append(err)
            target.faults.throttle_rate = 0.5
            target.faults.seed = 1
            await client.list("/core/teams")
            target.faults.throttle_rate = 0.0
            target.faults.drop_rate = 1.0
            try:
                await client.update(f"/core/runbooks/{runbook.id}", "runbook", {"name": "Gone?"})
            except AmbiguousWrite as err:
                errors.append(err)
            target.faults.drop_rate = 0.0
            return client

    client = run(session())
    text = caplog.text
    assert "GET /core/workspaces?page[size]=100&page[number]=1 -> 200" in text
    assert "POST /core/runbooks -> 201" in text
    assert " ms)" in text
    assert len(errors) == 3
    assert target.token not in text
    for record in caplog.records:
        assert target.token not in record.getMessage()
        assert target.token not in repr(record.args)
    for err in errors:
        # Nothing from httpx (whose request object holds the headers) hangs off our errors.
        assert err.__cause__ is None
        assert err.__context__ is None
        assert target.token not in str(err)
        assert target.token not in repr(err)
        assert target.token not in repr(err.__dict__)
        assert target.token not in repr(pickle.dumps(err.__dict__))
    assert target.token not in repr(client)
    assert target.token not in repr(vars(client))


def test_unauthorized_token_is_not_echoed(target, caplog):
    caplog.set_level(logging.DEBUG)
    wrong = "c0ffee" * 8

    async def session():
        async with target.client(token=wrong) as client:
            with pytest.raises(ApiError) as refused:
                await client.get("/core/workspaces/1")
            return refused.value

    error = run(session())
    assert error.status == 401
    assert wrong not in str(error)
    assert wrong not in caplog.text


def test_settings_repr_hides_the_token():
    token = "ab" * 24
    settings = ApiSettings(base_url="https://api.cutover.net", token=token)
    assert token not in repr(settings)
    assert token not in str(settings.model_dump())
    assert settings.token is not None and settings.token.get_secret_value() == token


def test_open_client_without_url_uses_a_persistent_sandbox(tmp_path):
    db = tmp_path / "state" / "sandbox.db"
    settings = ApiSettings(sandbox_db=str(db))
    assert settings.is_sandbox

    async def first():
        async with open_client(settings) as client:
            workspace = (await client.list("/core/workspaces"))[0]
            await client.create(
                "/core/runbooks",
                "runbook",
                {"name": "Kept"},
                {"workspace": Ref(id=workspace.id, type="workspace")},
            )

    async def second():
        async with open_client(settings) as client:
            found = await client.list("/core/runbooks")
            return [r.attributes["name"] for r in found]

    run(first())
    assert db.exists()
    assert "Kept" in run(second())


def run(coroutine):
    return asyncio.run(coroutine)
