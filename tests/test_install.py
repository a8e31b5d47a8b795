"""The README's commands install exactly the lock, and the lock satisfies pyproject.toml."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
RUNTIME = [Requirement(line) for line in PROJECT["dependencies"]]
TEST = [Requirement(line) for line in PROJECT["optional-dependencies"]["test"]]


def readme_commands() -> list[str]:
    blocks = re.findall(r"```sh\n(.*?)\n```", (ROOT / "README.md").read_text(), re.S)
    return blocks[:2]


def pins(lock: str) -> dict[str, tuple[Version, int]]:
    """Each locked name, its version and how many hashes it carries."""
    found: dict[str, tuple[Version, int]] = {}
    text = (ROOT / "requirements" / lock).read_text()
    for entry in re.split(r"\n(?=[A-Za-z0-9])", text):
        head = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", entry)
        if head:
            hashes = len(re.findall(r"--hash=sha256:[0-9a-f]{64}", entry))
            found[canonicalize_name(head.group(1))] = (Version(head.group(2)), hashes)
    return found


def test_ci_runs_the_readme_test_command_word_for_word() -> None:
    main, test = readme_commands()
    assert "runform plan -sandbox examples" in main and "pytest" in test
    assert test in (ROOT / ".ci" / "run").read_text().splitlines()


@pytest.mark.parametrize(("index", "lock"), [(0, "main.txt"), (1, "test.txt")])
def test_each_readme_command_installs_its_lock_with_hashes_then_runform(
    index: int, lock: str
) -> None:
    steps = readme_commands()[index].split(" && ")
    assert steps[:2] == ["python3 -m venv .venv", ". .venv/bin/activate"]
    assert steps[2] == f"python -m pip install --require-hashes -r requirements/{lock}"
    assert steps[3] == "python -m pip install --no-deps -e ."


def test_the_test_command_runs_the_lint_and_format_checks() -> None:
    steps = readme_commands()[1].split(" && ")
    assert "ruff check ." in steps and "ruff format --check ." in steps
    assert steps.index("ruff check .") < steps.index("python -m pytest -n 2")


@pytest.mark.parametrize(("lock", "wanted"), [("main.txt", RUNTIME), ("test.txt", RUNTIME + TEST)])
def test_the_lock_pins_every_dependency_within_pyproject_s_range(
    lock: str, wanted: list[Requirement]
) -> None:
    locked = pins(lock)
    for requirement in wanted:
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{requirement.name} is not in requirements/{lock}"
        version, hashes = locked[name]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"{name}=={version} in requirements/{lock} is outside {requirement.specifier}: "
            "run scripts/lock"
        )
        assert hashes > 0


def test_the_runtime_lock_holds_no_test_tool() -> None:
    locked = pins("main.txt")
    test_only = {canonicalize_name(r.name) for r in TEST} - {
        canonicalize_name(r.name) for r in RUNTIME
    }
    assert test_only and not test_only & set(locked)


def test_the_license_file_is_the_one_pyproject_names() -> None:
    assert PROJECT["license"] == "Apache-2.0"
    assert PROJECT["license-files"] == ["LICENSE"]
    head = (ROOT / "LICENSE").read_text().split("\n", 3)
    assert "Apache License" in head[1] and "Version 2.0" in head[2]
