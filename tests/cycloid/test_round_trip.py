"""Any valid file applied once plans no changes: what runform reads back is what it wrote."""

from __future__ import annotations

import json
from pathlib import Path

import anyio
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from tests.cycloid.conftest import Cycloid
from tests.cycloid.support import apply, plan

from runform.core.sandbox_kit.transport import InProcessTransport
from runform.providers.cycloid import canonical
from runform.providers.cycloid.sandbox import create_app

NAMES = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=3, max_size=40)
COLOURS = st.sampled_from(["blue", "red", "green", None])
# A team's name derives its canonical, which keeps only [a-z0-9_-]: names led by three such
# characters keep most examples valid (arbitrary text alone failed the filtering health check).
TEAMS = st.builds(
    str.__add__, st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=3, max_size=8), NAMES
)


@settings(max_examples=25)
@given(team=TEAMS, description=st.one_of(st.none(), NAMES), colour=COLOURS, enabled=st.booleans())
def test_a_valid_file_applied_once_plans_no_changes(
    tmp_path_factory, team: str, description: str | None, colour: str | None, enabled: bool
) -> None:
    assume(canonical.problem(canonical.derive(team), "team") is None)
    folder: Path = tmp_path_factory.mktemp("org")
    (folder / "key.json").write_text(json.dumps({"ssh_key": "k"}))
    (folder / "p.rego").write_text("package p\n")
    project = {"name": team, "config_repository": "config", "environments": [{"name": "Staging"}]}
    if description is not None:
        project["description"] = description
    if colour is not None:
        project["environments"][0]["color"] = colour
    document = {
        "cycloid": {"organization": "acme"},
        "teams": [{"name": team, "roles": ["organization-member"], "members": ["mlopez"]}],
        "credentials": [{"name": "Key", "type": "ssh", "path": "key", "raw_file": "key.json"}],
        "config_repositories": [
            {
                "name": "Config",
                "url": "git@example.com:a/c.git",
                "branch": "main",
                "credential": "key",
            }
        ],
        "projects": [project],
        "infra_policies": [
            {
                "name": "Policy",
                "owner": "kjohnson",
                "severity": "advisory",
                "enabled": enabled,
                "body_file": "p.rego",
            }
        ],
    }
    file = folder / "org.yaml"
    file.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")  # JSON is YAML
    app = create_app()
    sandbox = Cycloid(app, "http://cycloid", InProcessTransport(app))

    async def round_trip() -> None:
        assert (await apply(sandbox, file)).ok
        again = await plan(sandbox, file)
        assert not again.has_changes, again.changes()

    anyio.run(round_trip)
