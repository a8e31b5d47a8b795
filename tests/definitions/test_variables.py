"""`${var.NAME}`: substitution, precedence, escapes and undefined names with positions."""

from __future__ import annotations

from pathlib import Path

import pytest

from runform.errors import ConfigError, DefinitionError
from runform.providers.cutover.definitions.project import ProjectConfig, load_project
from runform.providers.cutover.definitions.variables import (
    command_line_variables,
    load_variable_file,
    parse_var_option,
)

TEXT = """
runbook:
  name: Release ${var.release}
  start_scheduled: ${var.day}T22:00:00
tasks:
  - name: Wait
    duration: ${var.wait}
    description: costs $${var.release}
"""


def test_substitution_whole_and_inside_values(load) -> None:
    project = ProjectConfig(variables={"release": "2026.11", "day": "2026-12-12", "wait": "15m"})
    tree = load(TEXT, project=project, variables={"release": "2026.12"}).trees[0]
    assert tree.runbook.name == "Release 2026.12"
    assert tree.runbook.start_scheduled is not None and tree.runbook.start_scheduled.day == 12
    assert tree.tasks[0].duration == 900
    assert tree.tasks[0].description == "costs ${var.release}"


def test_undefined_variable_is_an_error_with_position(problems) -> None:
    found = problems(TEXT, project=ProjectConfig(variables={"release": "1"}))
    assert found[0].startswith("4:3: runbook.start_scheduled: undefined variable 'day'")
    assert found[1].startswith("7:5: tasks[0].duration: undefined variable 'wait'")


def test_not_a_placeholder(problems) -> None:
    found = problems("runbook:\n  name: ${release}\n")
    assert found == ["2:3: runbook.name: ${release} is not a placeholder; use ${var.NAME}"]


def test_var_option_and_file_precedence(tmp_path: Path) -> None:
    first = tmp_path / "one.yaml"
    first.write_text("release: '2026.10'\nday: 5\nflag: true\n")
    second = tmp_path / "two.yaml"
    second.write_text("release: '2026.11'\n")
    values = command_line_variables((str(first), str(second)), ("release=2026.12",))
    assert values == {"release": "2026.12", "day": "5", "flag": "true"}
    assert load_variable_file(second) == {"release": "2026.11"}


def test_var_file_refuses_unquoted_decimal(tmp_path: Path) -> None:
    path = tmp_path / "vars.yaml"
    path.write_text("release: 2026.10\n")
    with pytest.raises(DefinitionError) as caught:
        load_variable_file(path)
    assert "1:1: release: 2026.1 reads as a number; quote it" in str(caught.value)


@pytest.mark.parametrize("bad", ["novalue", "=x", "a b=c"])
def test_bad_var_option(bad: str) -> None:
    with pytest.raises(ConfigError, match="NAME=VALUE"):
        parse_var_option(bad)


def test_project_file(tmp_path: Path) -> None:
    (tmp_path / "runform.yaml").write_text(
        "workspace: payments\nparallelism: 4\nvariables:\n  release: '2026.12'\n"
    )
    project = load_project(tmp_path)
    assert (project.workspace, project.parallelism, project.delete_limit_count) == (
        "payments",
        4,
        10,
    )
    assert project.variables == {"release": "2026.12"}
    assert load_project(tmp_path / "missing") == ProjectConfig()


def test_project_file_errors(tmp_path: Path) -> None:
    (tmp_path / "runform.yaml").write_text("workspace: payments\nparalelism: 4\n")
    with pytest.raises(DefinitionError) as caught:
        load_project(tmp_path)
    assert "2:1: paralelism: unknown key 'paralelism'; did you mean 'parallelism'?" in str(
        caught.value
    )
