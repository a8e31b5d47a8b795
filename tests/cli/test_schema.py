"""The checked-in JSON Schemas match the models, and the examples satisfy them."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from click.testing import CliRunner
from ruamel.yaml import YAML

from runform.cli.schema import command
from runform.providers.cutover.definitions.schema import schema_texts, stale_schemas

ROOT = Path(__file__).parents[2]


def test_checked_in_schemas_are_current() -> None:
    stale = stale_schemas(ROOT / "schemas")
    assert stale == [], f"run `runform schema` to regenerate {stale}"


def test_examples_match_the_schema() -> None:
    schema = json.loads((ROOT / "schemas" / "runbook.schema.json").read_text())
    for path in (ROOT / "examples").glob("*.yaml"):
        assert path.read_text().startswith(
            "# yaml-language-server: $schema=../schemas/runbook.schema.json\n"
        )
        data = json.loads(json.dumps(YAML(typ="safe").load(path.read_text()), default=str))
        jsonschema.validate(data, schema)


def test_schema_rejects_unknown_keys() -> None:
    schema = json.loads(schema_texts()["runbook.schema.json"])
    validator = jsonschema.Draft202012Validator(schema)
    assert not list(validator.iter_errors({"runbook": {"name": "R"}}))
    assert list(validator.iter_errors({"runbook": {"name": "R", "nmae": "x"}}))


def test_command_writes_then_reports_current(tmp_path: Path) -> None:
    out = tmp_path / "schemas"
    first = CliRunner().invoke(command, ["--output-dir", str(out)])
    assert first.exit_code == 0 and "wrote" in first.output
    assert sorted(p.name for p in out.iterdir()) == ["runbook.schema.json", "runform.schema.json"]
    assert CliRunner().invoke(command, ["--output-dir", str(out), "--check"]).exit_code == 0
    (out / "runform.schema.json").write_text("{}")
    check = CliRunner().invoke(command, ["--output-dir", str(out), "--check"])
    assert check.exit_code == 1 and "stale:" in check.output
