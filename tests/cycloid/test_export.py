"""`runform export --cycloid ORG` writes files that plan empty, and never a secret."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.cycloid.conftest import Cycloid
from tests.cycloid.support import apply, plan
from tests.cycloid.test_cli import SECRET, runform, served

from runform.providers.cycloid.export import export_organization

ORG = "/organizations/acme"


@pytest.mark.anyio
async def test_an_exported_organization_plans_empty(
    either: Cycloid, example: Path, tmp_path: Path
) -> None:
    (example / "keys" / "deploy.json").write_text(json.dumps({"ssh_key": SECRET}))
    assert (await apply(either, example / "acme.yaml")).ok
    async with either.http() as http:  # objects made elsewhere, with fields the example leaves out
        await http.post(
            f"{ORG}/teams",
            json={
                "name": "Platform",
                "canonical": "platform",
                "owner": "tnguyen",
                "roles_canonical": [],
            },
        )
        await http.post(
            f"{ORG}/projects/payments-api/environments", json={"name": "QA", "canonical": "QA.eu"}
        )
    folder = tmp_path / "exported"
    async with either.client() as client:
        path = await export_organization(client, "acme", folder)
    assert not (await plan(either, path)).has_changes
    text = path.read_text()
    assert "platform" in text and "QA.eu" in text and "owner: tnguyen" in text
    assert (folder / "policies" / "tags_required.rego").read_text().startswith("package tags")
    assert json.loads((folder / "secrets" / "git-deploy-key.json").read_text()) == {}
    assert all(SECRET not in p.read_text() for p in folder.rglob("*") if p.is_file())


def test_export_on_the_command_line(example: Path, cycloid_server: Cycloid) -> None:
    env = served(cycloid_server)
    assert runform(example, "apply", "--auto-approve", env=env).returncode == 0
    exported = runform(example, "export", "--cycloid", "acme", "-o", "exported", env=env)
    assert exported.returncode == 0, exported.stderr
    again = runform(example, "plan", "exported", env=env)
    assert again.returncode == 0, again.stderr
    assert "No changes. Cycloid matches the files." in again.stdout
    unknown = runform(example, "export", "--cycloid", "nobody", env=env)
    assert unknown.returncode == 1 and "'nobody' does not exist in Cycloid" in unknown.stderr
