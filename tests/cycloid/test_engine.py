"""Cycloid through the core engine: plan, apply, re-plan; updates as full-body PUTs; the
managed scope; stale projects; credentials in use; rotation; the version pin."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.cycloid.conftest import Cycloid
from tests.cycloid.support import actions, apply, plan

from runform.core.model import Action
from runform.errors import ConfigError

pytestmark = pytest.mark.anyio
ORG = "/organizations/acme"


async def test_the_example_plans_applies_and_plans_no_changes(
    either: Cycloid, example: Path
) -> None:
    first = await plan(either, example / "acme.yaml")
    assert first.counts() == {"create": 10, "update": 0, "delete": 0}
    result = await apply(either, example / "acme.yaml")
    assert result.ok and result.counts()["created"] == 10
    again = await plan(either, example / "acme.yaml")
    assert not again.has_changes


async def test_renaming_a_team_with_its_canonical_kept_is_an_update(
    either: Cycloid, example: Path
) -> None:
    file = example / "acme.yaml"
    await apply(either, file)
    async with either.http() as http:  # an owner set elsewhere: the file does not manage it
        put = await http.put(
            f"{ORG}/teams/payments",
            json={
                "canonical": "payments",
                "name": "Payments",
                "owner": "tnguyen",
                "roles_canonical": ["release_managers", "organization-member"],
            },
        )
        assert put.status_code == 200, put.text
    file.write_text(file.read_text().replace("  - name: Payments\n", "  - name: Payments team\n"))
    renamed = await plan(either, file)
    assert actions(renamed) == [("update", 'team["payments"]')]
    assert [(f.field, f.before, f.after) for f in renamed.changes()[0].fields] == [
        ("name", "Payments", "Payments team")
    ]
    assert (await apply(either, file)).ok
    async with either.http() as http:
        team = (await http.get(f"{ORG}/teams/payments")).json()["data"]
    assert team["name"] == "Payments team"
    assert team["owner"] == {"username": "tnguyen"}  # the full-body PUT kept it
    assert not (await plan(either, file)).has_changes


async def test_a_project_update_keeps_unmanaged_fields(cycloid: Cycloid, example: Path) -> None:
    file = example / "acme.yaml"
    await apply(cycloid, file)
    async with cycloid.http() as http:
        live = (await http.get(f"{ORG}/projects/payments-api")).json()["data"]
        await http.put(
            f"{ORG}/projects/payments-api",
            json={
                "name": live["name"],
                "description": live["description"],
                "icon": "rocket",
                "config_repository_canonical": "config",
                "updated_at": live["updated_at"],
            },
        )
    file.write_text(file.read_text().replace("The payments service", "Payments, EU"))
    assert actions(await plan(cycloid, file)) == [("update", 'project["payments-api"]')]
    assert (await apply(cycloid, file)).ok
    async with cycloid.http() as http:
        after = (await http.get(f"{ORG}/projects/payments-api")).json()["data"]
    assert after["description"] == "Payments, EU" and after["icon"] == "rocket"


async def test_a_project_changed_after_the_plan_is_a_stale_plan(
    cycloid: Cycloid, example: Path
) -> None:
    from runform.core.engine import apply_roots, plan_roots
    from runform.providers.cycloid.definitions import load_all
    from runform.providers.cycloid.hooks import CycloidProvider

    file = example / "acme.yaml"
    await apply(cycloid, file)
    file.write_text(file.read_text().replace("The payments service", "Payments, EU"))
    definitions = load_all([file])
    async with cycloid.client() as client:
        provider = CycloidProvider(client, definitions)
        made = await plan_roots(provider, [definitions[0].root])
        async with cycloid.http() as http:
            live = (await http.get(f"{ORG}/projects/payments-api")).json()["data"]
            await http.put(
                f"{ORG}/projects/payments-api",
                json={
                    "name": live["name"],
                    "config_repository_canonical": "config",
                    "updated_at": live["updated_at"],
                },
            )
        result = await apply_roots(provider, made, [definitions[0].root])
    assert not result.ok
    assert "changed in Cycloid since the plan read it" in result.failed[0].message


async def test_only_the_sections_a_file_has_are_managed(cycloid: Cycloid, example: Path) -> None:
    await apply(cycloid, example / "acme.yaml")
    only_teams = example / "teams.yaml"
    only_teams.write_text(
        "cycloid: {organization: acme}\n"
        "teams:\n"
        "  - name: Payments\n"
        "    canonical: payments\n"
        "    roles: [release_managers, organization-member]\n"
    )
    assert not (await plan(cycloid, only_teams)).has_changes  # members: not listed, not managed
    roles = example / "roles.yaml"
    roles.write_text("cycloid: {organization: acme}\nroles: []\n")
    # The built-in roles are never the files' to delete; the one the example made is.
    assert actions(await plan(cycloid, roles)) == [("delete", 'role["release_managers"]')]


async def test_members_are_added_and_removed(cycloid: Cycloid, example: Path) -> None:
    file = example / "acme.yaml"
    await apply(cycloid, file)
    file.write_text(
        file.read_text().replace("members: [kjohnson, mlopez]", "members: [kjohnson, tnguyen]")
    )
    made = await plan(cycloid, file)
    assert actions(made) == [
        ("create", 'team["payments"].member["tnguyen"]'),
        ("delete", 'team["payments"].member["mlopez"]'),
    ]
    assert (await apply(cycloid, file)).ok
    async with cycloid.http() as http:
        members = (await http.get(f"{ORG}/teams/payments/members")).json()["data"]
    assert sorted(m["username"] for m in members) == ["kjohnson", "tnguyen"]


async def test_a_credential_in_use_is_reported_with_what_uses_it(
    cycloid: Cycloid, example: Path
) -> None:
    await apply(cycloid, example / "acme.yaml")
    file = example / "credentials.yaml"
    file.write_text("cycloid: {organization: acme}\ncredentials: []\n")
    made = await plan(cycloid, file)
    assert actions(made) == [("delete", 'credential["git-deploy-key"]')]
    result = await apply(cycloid, file)
    assert not result.ok
    assert result.failed[0].message.endswith("it is in use by config_repository:config")


async def test_a_credential_changes_only_when_rotated_or_its_other_fields_do(
    cycloid: Cycloid, example: Path, tmp_path: Path
) -> None:
    file, state = example / "acme.yaml", tmp_path / "state"
    await apply(cycloid, file, state=state)
    secret = example / "keys" / "deploy.json"
    secret.write_text(json.dumps({"ssh_key": "NEW-SECRET-VALUE"}))
    assert not (await plan(cycloid, file, state=state)).has_changes  # the secret is not compared
    file.write_text(file.read_text().replace("rotate: 0", "rotate: 1"))
    rotated = await plan(cycloid, file, state=state)
    assert [(f.field, f.before, f.after) for f in rotated.changes()[0].fields] == [("rotate", 0, 1)]
    assert rotated.roots[0].sensitive == {rotated.changes()[0].address: ["raw"]}
    assert "NEW-SECRET-VALUE" not in rotated.model_dump_json()
    assert (await apply(cycloid, file, state=state)).ok
    async with cycloid.http() as http:
        credential = (await http.get(f"{ORG}/credentials/git-deploy-key")).json()["data"]
    assert credential["raw"] == {"ssh_key": "NEW-SECRET-VALUE"}
    assert not (await plan(cycloid, file, state=state)).has_changes


@pytest.mark.parametrize("version", ["v6.3.0", "v5.9.12", "banana"])
async def test_an_api_version_outside_the_range_is_refused(
    cycloid: Cycloid, example: Path, version: str
) -> None:
    cycloid.app.state.version = version
    with pytest.raises(ConfigError, match=r"supports v6\.0\.x to v6\.2\.x"):
        await plan(cycloid, example / "acme.yaml")


async def test_every_version_of_the_range_is_accepted(cycloid: Cycloid, example: Path) -> None:
    for version in ("v6.0.0", "6.1.4", "v6.2.99"):
        cycloid.app.state.version = version
        assert (await plan(cycloid, example / "acme.yaml")).changes()[0].action is Action.CREATE


async def test_an_unknown_username_makes_the_plan_unappliable(
    cycloid: Cycloid, example: Path
) -> None:
    file = example / "acme.yaml"
    file.write_text(
        file.read_text().replace("members: [kjohnson, mlopez]", "members: [kjohnson, ghost]")
    )
    made = await plan(cycloid, file)
    root = made.roots[0]
    assert not root.appliable
    assert root.refusal == (
        'organization["acme"].team["payments"].member["ghost"]: \'ghost\': not a user of the '
        "organization (its users: admin, kjohnson, mlopez, tnguyen)"
    )


async def test_a_projects_team_cannot_change_after_creation(
    cycloid: Cycloid, example: Path
) -> None:
    file = example / "acme.yaml"
    await apply(cycloid, file)
    async with cycloid.http() as http:
        await http.post(
            f"{ORG}/teams",
            json={"name": "Platform", "canonical": "platform", "roles_canonical": []},
        )
    file.write_text(file.read_text().replace("    team: payments\n", "    team: platform\n"))
    root = (await plan(cycloid, file)).roots[0]
    assert not root.appliable
    assert root.refusal.startswith(
        'organization["acme"].project["payments-api"]: a project\'s team'
    )
