"""Helpers for definitions tests: write a runbook file and load it with an empty project."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from runform.errors import DefinitionError
from runform.providers.cutover.definitions import Definitions, load_definitions
from runform.providers.cutover.definitions.project import ProjectConfig


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    def write_file(text: str, name: str = "runbook.yaml") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
        return path

    return write_file


@pytest.fixture
def load(write: Callable[..., Path]) -> Callable[..., Definitions]:
    def load_text(text: str, **options: object) -> Definitions:
        project = options.pop("project", ProjectConfig())
        return load_definitions([write(text)], project=project, **options)  # type: ignore[arg-type]

    return load_text


@pytest.fixture
def problems(write: Callable[..., Path]) -> Callable[..., list[str]]:
    """The problem lines (without the file name) that loading the text reports."""

    def collect(text: str, **options: object) -> list[str]:
        path = write(text)
        project = options.pop("project", ProjectConfig())
        with pytest.raises(DefinitionError) as caught:
            load_definitions([path], project=project, **options)  # type: ignore[arg-type]
        return [str(problem).removeprefix(f"{path}:") for problem in caught.value.problems]

    return collect
