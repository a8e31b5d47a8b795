"""A project on the local sandbox for policy tests: plain.yaml, runform.yaml, policies/."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result
from ruamel.yaml import YAML
from tests.apply.support import DATA

from runform.cli.main import cli


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def settings(folder: Path, **policies: Any) -> None:
    """runform.yaml with these `policies:` (rule name → its settings)."""
    yaml = YAML()
    with (folder / "runform.yaml").open("w") as handle:
        yaml.dump({"policies": policies}, handle)


def plain(folder: Path, name: str = "plain.yaml") -> Path:
    path = folder / name
    path.write_text((DATA / "plain.yaml").read_text())
    return path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new))


def outcomes(result: Result) -> dict[str, dict[str, Any]]:
    """The JSON plan's policies by name."""
    return {o["name"]: o for o in json.loads(result.stdout)["policies"]}


def journal(folder: Path) -> list[dict[str, Any]]:
    lines = []
    for path in sorted((folder / ".runform/journal").glob("*.jsonl")):
        lines += [json.loads(line) for line in path.read_text().splitlines()]
    return lines
