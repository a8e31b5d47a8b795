"""API versions and the instance's Core: which version a request runs at, and which 405s."""

from __future__ import annotations

import httpx
import pytest
from click.testing import CliRunner

from runform.cli.main import cli
from runform.core.sandbox_kit.transport import InProcessTransport
from runform.providers.cutover.sandbox import create_app
from runform.providers.cutover.sandbox.instance import API_VERSIONS, Instance

from .support import document, errors_of

pytestmark = pytest.mark.anyio

NEWER = [
    ("DELETE", "/core/runbooks/1", None),
    ("PATCH", "/core/runbooks/1/pause", {}),
    ("POST", "/core/runbooks/1/streams", document("stream", {"name": "New"})),
    ("PATCH", "/core/runbooks/1/streams/1", document("stream", {"name": "New"})),
    ("DELETE", "/core/runbooks/1/tasks/1", None),
    ("PATCH", "/core/runbooks/1/tasks/1/skip", {}),
    ("GET", "/core/runbooks/1/runbook_teams", None),
    ("GET", "/core/custom_fields", None),
    ("GET", "/core/action_logs", None),
    ("GET", "/core/activities?runbook_id=1", None),
]
PINS = [None, *API_VERSIONS]  # None: no Api-Version header at all


def client_for(app, pin: str | None) -> httpx.AsyncClient:
    headers = {"Authorization": f"Bearer {app.state.token}"}
    if pin is not None:
        headers["Api-Version"] = pin
    return httpx.AsyncClient(
        transport=InProcessTransport(app=app), base_url="http://sandbox.local", headers=headers
    )


@pytest.mark.parametrize("pin", PINS)
async def test_an_old_core_answers_405_for_newer_endpoints_at_any_pin(pin):
    # Round 2, Versions: "a 405 means the instance's Core is too old for that endpoint, not
    # that the pinned API version is" (the reference: 405 "not implemented yet in the API").
    app = create_app(":memory:", core_version="2022-02-22")
    async with client_for(app, pin) as client:
        answers = [await client.request(method, path, json=body) for method, path, body in NEWER]
        older = [
            await client.get("/core/runbooks/1/streams"),
            await client.get("/core/runbooks/1/tasks"),
            await client.get("/core/workspaces"),
        ]
        unauthenticated = await client.get("/core/custom_fields", headers={"Authorization": ""})
    assert [a.status_code for a in answers] == [405] * len(NEWER)
    # The reference's code table has nothing for a 405, so no code is invented for it.
    assert {errors_of(a)[0][0] for a in answers} == {None}
    assert [o.status_code for o in older] == [200, 200, 200]
    assert unauthenticated.status_code == 401


@pytest.mark.parametrize("pin", PINS)
async def test_todays_core_has_the_newer_endpoints_at_every_pin(pin):
    # Round 2, Versions: "endpoints are added to existing API versions": pinning the oldest
    # version, or none, loses no endpoint on today's Core.
    app = create_app(":memory:")
    async with client_for(app, pin) as client:
        answers = [await client.request(m, p, json=b) for m, p, b in NEWER if m == "GET"]
    assert [a.status_code for a in answers] == [200, 200, 200, 200]


def test_without_a_pin_a_request_runs_at_the_earliest_provisioned_version():
    # Round 2, Versions: "without Api-Version, a request runs at the instance's earliest
    # provisioned version" (the reference's "typically the latest version at time of
    # provisioning" is the version it was provisioned at, not today's newest).
    assert Instance().request_version(None) == "2021-10-13"
    assert Instance(earliest="2022-01-10").request_version(None) == "2022-01-10"
    assert Instance(earliest="2022-01-10").request_version("2022-02-22") == "2022-02-22"
    assert Instance(core="2022-01-10").api_versions == ("2021-10-13", "2022-01-10")


async def test_a_version_the_instance_was_not_provisioned_at_is_refused():
    # Unknown, the plainest reading: an instance serves the versions from its first up to
    # its Core's; another pin is refused as an unknown one is (400, parameter Api-Version).
    app = create_app(":memory:", core_version="2022-01-10", earliest_api_version="2022-01-10")
    answers = {}
    for pin in ("2021-10-13", "2022-02-22", "2022-01-10", "2099-01-01"):
        async with client_for(app, pin) as client:
            answers[pin] = await client.get("/core/workspaces")
    assert answers["2022-01-10"].status_code == 200
    for pin in ("2021-10-13", "2022-02-22", "2099-01-01"):
        assert answers[pin].status_code == 400
        assert errors_of(answers[pin]) == [("invalid", "Api-Version")]


def test_an_impossible_instance_is_refused():
    with pytest.raises(ValueError, match="core"):
        create_app(":memory:", core_version="2020-01-01")
    with pytest.raises(ValueError, match="never provisioned"):
        create_app(":memory:", core_version="2021-10-13", earliest_api_version="2022-02-22")
    result = CliRunner().invoke(cli, ["sandbox", "serve", "--core-version", "2020-01-01"])
    assert result.exit_code == 1  # bad input, like any other
    assert "--core-version" in result.output
    result = CliRunner().invoke(
        cli,
        [
            "sandbox",
            "serve",
            "--core-version",
            "2021-10-13",
            "--earliest-api-version",
            "2022-02-22",
        ],
    )
    assert result.exit_code == 1
    assert "never provisioned" in result.output
