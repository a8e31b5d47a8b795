"""`runform fmt`: rewrite, --check and --diff."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from runform.cli.fmt import command

MESSY = "tasks:\n  - duration: 5m\n    name: A\nrunbook:\n  name: R  # keep me\n"


def test_check_lists_files_and_changes_nothing(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "messy.yaml").write_text(MESSY)
    (tmp_path / "tidy.yaml").write_text("runbook:\n  name: T\n")
    result = CliRunner().invoke(command, ["--check", "."])
    assert result.exit_code == 1
    assert "would reformat messy.yaml" in result.output
    assert "tidy.yaml" not in result.output
    assert (tmp_path / "messy.yaml").read_text() == MESSY


def test_diff_and_rewrite(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "messy.yaml"
    path.write_text(MESSY)
    diff = CliRunner().invoke(command, ["--check", "--diff", "messy.yaml"])
    assert "-tasks:" in diff.output and "+tasks:" in diff.output
    result = CliRunner().invoke(command, ["messy.yaml"])
    assert result.exit_code == 0
    assert "reformatted messy.yaml" in result.output
    text = path.read_text()
    assert text.startswith("runbook:\n  name: R  # keep me\ntasks:\n  - name: A\n")
    again = CliRunner().invoke(command, ["--check", "messy.yaml"])
    assert again.exit_code == 0 and again.output == ""


def test_bad_yaml_is_reported(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.yaml").write_text("runbook: [\n")
    result = CliRunner().invoke(command, ["bad.yaml"])
    assert result.exit_code == 1
    assert "bad.yaml:" in result.output and "YAML syntax error" in result.output
