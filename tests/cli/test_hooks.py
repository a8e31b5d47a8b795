"""pre-commit hooks other repositories can use, and a fresh project that passes its own."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from runform.cli.main import cli

ROOT = Path(__file__).parents[2]


def test_the_repository_offers_fmt_and_validate_hooks() -> None:
    hooks = {
        hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    }
    assert set(hooks) == {"runform-fmt", "runform-validate"}
    for hook in hooks.values():
        assert hook["language"] == "python"  # pre-commit installs this package for it
        command = shlex.split(hook["entry"])
        assert command[0] == "runform"
        helped = CliRunner().invoke(cli, [*command[1:], "--help"])
        assert helped.exit_code == 0, helped.output
        assert re.search(hook["files"], "runbooks/payments/release.yaml")
        assert not re.search(hook["files"], "mkdocs.yml")


def test_a_fresh_project_passes_its_own_validate_hook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert CliRunner().invoke(cli, ["init", str(tmp_path / "proj")]).exit_code == 0
    monkeypatch.chdir(tmp_path / "proj")
    for args in (["validate"], ["validate", "runbooks"]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        assert "no runbook files yet" in result.output
    as_json = CliRunner().invoke(cli, ["validate", "--format", "json"])
    assert as_json.exit_code == 0 and '"valid": true' in as_json.output


def test_outside_a_project_no_runbook_files_is_still_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == 1 and "no runbook files" in result.output
