"""Cycloid files: canonicals derived offline, references resolved, problems at file:line:column."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.cycloid.conftest import EXAMPLE

from runform.errors import DefinitionError
from runform.providers.cycloid import canonical
from runform.providers.cycloid.definitions import load


def write(folder: Path, text: str, name: str = "org.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path) -> str:
    with pytest.raises(DefinitionError) as caught:
        load(path)
    return str(caught.value)


def test_the_example_loads_with_derived_canonicals_and_resolved_references() -> None:
    loaded = load(EXAMPLE / "acme.yaml")
    values = {str(r.address): r.values for r in loaded.root.children}
    assert values['organization["acme"].role["release_managers"]']["name"] == "Release managers"
    team = values['organization["acme"].team["payments"]']
    assert team["roles"] == ["release_managers", "organization-member"]
    assert 'organization["acme"].team["payments"].member["kjohnson"]' in values
    assert values['organization["acme"].project["payments-api"].environment["staging"]'] == {
        "name": "Staging",
        "color": "blue",
    }
    policy = values['organization["acme"].infra_policy["tags_required"]']
    assert policy["body"].startswith("package tags")
    assert loaded.sections == {
        "role", "team", "credential", "config_repository", "project", "infra_policy"
    }  # fmt: skip
    assert loaded.secrets["git-deploy-key"].name == "deploy.json"
    credential = values['organization["acme"].credential["git-deploy-key"]']
    assert "raw" not in credential and "raw_file" not in credential


@pytest.mark.parametrize(
    ("name", "derived"),
    [
        ("Release managers", "release_managers"),
        ("Payments API (EU)", "payments_api_eu"),
        ("Ops-Team_2", "ops-team_2"),
        ("Équipe Données", "quipe_donnes"),
    ],
)
def test_a_canonical_is_derived_from_a_name(name: str, derived: str) -> None:
    assert canonical.derive(name) == derived


@given(st.text(max_size=120))
def test_a_derived_canonical_only_holds_characters_of_the_pattern(name: str) -> None:
    derived = canonical.derive(name)
    assert set(derived) <= set("abcdefghijklmnopqrstuvwxyz0123456789-_")
    assert " " not in derived and derived == derived.lower()
    problem = canonical.problem(derived, "team")
    assert (problem is None) == bool(canonical.ORGANIZATION_SCOPED.match(derived)) or (
        len(derived) > 100
    )


def test_project_and_environment_canonicals_may_be_one_character() -> None:
    assert canonical.problem("p", "project") is None
    assert canonical.problem("E", "environment") is None
    assert canonical.problem("ab", "team") == "the canonical 'ab' must be 3 to 100 characters long"


def test_problems_name_the_file_line_and_column(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "cycloid:\n"
        "  organization: acme\n"
        "teams:\n"
        "  - name: Payments\n"
        "    roles: [nonexistent role]\n"
        "    colour: blue\n"
        "credentials:\n"
        "  - name: Key\n"
        "    type: password\n"
        "    path: key\n"
        "    raw_file: missing.json\n",
    )
    assert problems(path) == (
        "2 problems in Cycloid files:\n"
        f"  {path}:6:5: teams[0].colour: unknown field\n"
        f"  {path}:9:5: credentials[0].type: must be one of 'ssh', 'aws', 'custom', 'azure', "
        "'azure_storage', 'gcp', 'basic_auth', 'elasticsearch', 'swift' or 'vmware'"
    )


def test_an_unresolvable_reference_lists_what_the_file_defines(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "cycloid: {organization: acme}\n"
        "roles:\n"
        "  - {name: Release managers, rules: []}\n"
        "teams:\n"
        "  - name: Payments\n"
        "    roles: [Release manager]\n",
    )
    assert problems(path) == (
        "1 problem in Cycloid files:\n"
        f"  {path}:6:13: teams[0].roles[0]: 'Release manager' is neither a canonical nor the "
        "name of a role; the file defines release_managers"
    )


def test_a_name_that_derives_no_valid_canonical_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "cycloid: {organization: acme}\nroles:\n  - {name: '!!!', rules: []}\n")
    assert (
        "roles[0].name: the canonical '' must be 3 to 100 characters long (derived from the "
        in (problems(path))
    )


def test_two_objects_with_one_canonical_are_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "cycloid: {organization: acme}\n"
        "roles:\n"
        "  - {name: Ops team, rules: []}\n"
        "  - {name: ops_team, rules: []}\n",
    )
    assert f"{path}:4:6: roles[1].name: the canonical 'ops_team' is used twice" in problems(path)


def test_a_secret_is_a_file_reference_never_a_value(tmp_path: Path) -> None:
    (tmp_path / "key.json").write_text('{"ssh_key": "s"}', encoding="utf-8")
    (tmp_path / "bad.json").write_text("[1]", encoding="utf-8")
    head = "cycloid: {organization: acme}\ncredentials:\n"
    inline = write(tmp_path, head + "  - {name: Key, type: ssh, path: k, raw: hunter2}\n", "a.yaml")
    both = write(
        tmp_path,
        head + "  - {name: Key, type: ssh, path: k, raw_file: key.json, raw: '${file:key.json}'}\n",
        "b.yaml",
    )
    referenced = write(
        tmp_path, head + "  - {name: Key, type: ssh, path: k, raw: '${file:key.json}'}\n", "c.yaml"
    )
    not_object = write(tmp_path, head + "  - {name: Key, type: ssh, path: k, raw_file: bad.json}\n")
    assert "raw: must be a file reference, ${file:PATH}" in problems(inline)
    assert "hunter2" not in problems(inline)
    assert "exactly one of raw_file: PATH or raw: ${file:PATH}" in problems(both)
    assert load(referenced).secrets["key"] == (tmp_path / "key.json").resolve()
    assert "bad.json must hold a JSON object" in problems(not_object)


def test_sections_left_out_are_not_managed(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "cycloid: {organization: acme}\n"
        "teams:\n"
        "  - {name: Payments, roles: [organization-member]}\n",
    )
    loaded = load(path)
    assert loaded.sections == {"team"} and loaded.teams_with_members == frozenset()


def test_a_yaml_syntax_error_is_said_of_cycloid_files(tmp_path: Path) -> None:
    path = write(tmp_path, "cycloid: {organization: acme\n")
    assert problems(path).startswith(
        f"1 problem in Cycloid files:\n  {path}:2:1: YAML syntax error"
    )


def test_only_one_config_repository_is_the_default(tmp_path: Path) -> None:
    (tmp_path / "k.json").write_text("{}")
    repo = (
        "  - {{name: {0}, url: git@x.com:a/{0}.git, branch: main, default: true, "
        "credential: key}}\n"
    )
    path = write(
        tmp_path,
        "cycloid: {organization: acme}\n"
        "credentials:\n  - {name: Key, type: ssh, path: k, raw_file: k.json}\n"
        "config_repositories:\n" + repo.format("one") + repo.format("two"),
    )
    assert problems(path) == (
        "1 problem in Cycloid files:\n"
        f"  {path}:6:57: config_repositories[1].default: only one config repository can be the "
        "default"
    )
