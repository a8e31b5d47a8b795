"""Every kind of bad file through `runform validate`: one clear error, exit 1, no traceback;
and variables from runform.yaml, --var-file and --var as the command line gives them."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from runform.cli.main import cli

ALIAS_BOMB = (
    "".join(
        f"{name}: &{name} [{', '.join([f'*{prev}'] * 9) if prev else ', '.join(['x'] * 9)}]\n"
        for prev, name in zip(["", "a", "b", "c", "d", "e"], "abcdef", strict=True)
    )
    + "runbook:\n  name: R\n  description: *f\n"
)

CASES = {
    "malformed": (b"runbook:\n  name: [unclosed\n", ":3:1: YAML syntax error"),
    "empty": (b"", ":1:1: file is empty"),
    "whitespace only": (b"\n   \n# just a comment\n", "file is empty"),
    "binary": (bytes(range(256)) * 4, ":1:1: file is binary, not YAML text"),
    "not utf-8": ("runbook:\n  name: caf\u00e9\n".encode("latin-1"), "UTF-8"),
    "alias bomb": (ALIAS_BOMB.encode(), "alias bomb"),
    "tabs": (b"runbook:\n\tname: R\n", ":2:1: tab character"),
    "top-level list": (b"- runbook: {}\n", ":1:1: expected a mapping with `runbook:`"),
    "top-level scalar": (b"hello\n", ":1:1: expected a mapping with `runbook:`"),
    "no runbook key": (b"tasks: []\n", ":1:1: expected a mapping with `runbook:`"),
    "misspelt runbook": (
        b"runbok:\n  name: A\n",
        ":1:1: runbok: unknown key 'runbok'; did you mean 'runbook'?",
    ),
    "misspelt runbooks": (b"runboks: []\n", "did you mean 'runbooks'?"),
    "both runbook and runbooks": (
        b"runbook:\n  name: A\nrunbooks: []\n",
        ":3:1: runbooks: a file has `runbook:` or `runbooks:`, not both",
    ),
    "two documents": (b"runbook:\n  name: A\n---\nrunbook:\n  name: B\n", "document"),
}


def validate(*args: str) -> Result:
    return CliRunner().invoke(cli, ["validate", *args])


def assert_one_clear_error(result: Result, name: str, expected: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert "1 problem in runbook files:" in result.output
    lines = [line for line in result.output.splitlines() if line.startswith(f"  {name}:")]
    assert len(lines) == 1, result.output
    assert expected in lines[0], lines[0]


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_bad_file_is_one_clear_error(case: str, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    content, expected = CASES[case]
    (tmp_path / "bad.yaml").write_bytes(content)
    assert_one_clear_error(validate("bad.yaml"), "bad.yaml", expected)


def test_a_50_mb_file_is_refused_without_reading_it(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    with (tmp_path / "huge.yaml").open("wb") as handle:
        handle.write(b"runbook:\n  name: Huge\n  description: ")
        handle.truncate(50 * 1024 * 1024)  # sparse: nothing of it is written to disk
    assert_one_clear_error(validate("huge.yaml"), "huge.yaml", "limited to 10 MB")


def test_a_bad_file_does_not_hide_the_good_ones(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "good.yaml").write_text("runbook:\n  name: Good\n  workspace: default\n")
    (tmp_path / "bad.yaml").write_text("runbook:\n\tname: R\n")
    result = validate(".")
    assert_one_clear_error(result, "bad.yaml", "tab character")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "runform.yaml").write_text(
        "workspace: default\nvariables:\n  release: '2026.11'\n  wait: 10m\n"
    )
    (tmp_path / "vars.yaml").write_text("release: '2026.12'\nwait: 20m\n")
    (tmp_path / "r.yaml").write_text(
        "runbook:\n  name: Release ${var.release}\n"
        "streams:\n  - name: Main\n"
        "tasks:\n  - name: Wait ${var.wait}\n    stream: Main\n    duration: ${var.wait}\n"
    )
    return tmp_path


def test_undefined_variable_names_its_place_and_where_to_set_it(project: Path) -> None:
    (project / "r.yaml").write_text("runbook:\n  name: R\n  description: ${var.owner}\n")
    result = validate("r.yaml")
    assert_one_clear_error(result, "r.yaml", "r.yaml:3:3: runbook.description")
    assert "undefined variable 'owner'" in result.output
    assert "--var" in result.output
    assert validate("r.yaml", "--var", "owner=ada").exit_code == 0


def test_var_overrides_var_file_overrides_project(project: Path) -> None:
    for args, release, wait in (
        ((), "2026.11", "10m"),
        (("--var-file", "vars.yaml"), "2026.12", "20m"),
        (("--var-file", "vars.yaml", "--var", "release=2027.01"), "2027.01", "20m"),
        (("--var", "release=2027.01", "--var-file", "vars.yaml"), "2027.01", "20m"),
    ):
        result = CliRunner().invoke(cli, ["plan", "r.yaml", *args])
        assert result.exit_code == 0, result.output
        assert f'+ runbook "Release {release}"' in result.output, result.output
        assert f'+ task "Wait {wait}"' in result.output
        assert f"duration: {wait}" in result.output


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--var", "novalue"), "use NAME=VALUE"),
        (("--var-file", "list.yaml"), "a variable file is a mapping of NAME: value"),
    ],
)
def test_bad_variable_options_are_clear(project: Path, args, expected) -> None:
    (project / "list.yaml").write_text("- a\n")
    result = validate("r.yaml", *args)
    assert result.exit_code == 1, result.output
    assert expected in result.output
    assert "Traceback" not in result.output
