"""Which provider a `plan` or `apply` run is for, chosen by its files' top-level keys.

Every provider declares the keys that mark its files (`runbook:` is Cutover's, `cycloid:`
Cycloid's); a saved plan names its roots' provider. A provider with a `frontend` module gets
the run (its `cli_plan` / `cli_apply`); Cutover, the CLI's own, keeps the commands' own path.
One run is for one provider: files of two are refused."""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import click

from runform.cli.connection import INSECURE, SANDBOX
from runform.core.source import read_source
from runform.errors import RunformError
from runform.providers.base import ProviderInfo
from runform.providers.registry import installed, provider_of

YAML_SUFFIXES = (".yaml", ".yml")
SKIPPED_DIRS = (".runform", ".git", "node_modules")


@dataclass(frozen=True)
class Handoff:
    """A run handed to a provider's frontend: its module and the files it is for."""

    provider: ProviderInfo
    module: ModuleType
    files: list[Path]

    def options(self) -> dict[str, Any]:
        return frontend_options()


def frontend_options() -> dict[str, Any]:
    """What every frontend is given besides the command's own options."""
    from runform.cli.common import state_dir
    from runform.providers.cutover.definitions.project import find_project_file

    root = click.get_current_context().find_root()
    return {
        "project_file": find_project_file(),
        "state_dir": state_dir(),
        "insecure": bool(root.meta.get(INSECURE)),
        "sandbox": bool(root.meta.get(SANDBOX)),
    }


def handoff(paths: Iterable[str]) -> Handoff | None:
    """The frontend that takes files `paths` (default: this directory), or None for the CLI's.

    Files named one by one are all one provider's, or refused. In a directory, the CLI's own
    runbook files win: its loader skips the other providers' files, as it always has; a
    directory of one frontend provider's files alone is that provider's run."""
    given = [Path(p) for p in paths]
    files = _yaml_files(given or [Path()])
    chosen: dict[str, list[Path]] = {}
    own_files = False
    for file in files:
        marked = _marked_providers(file)
        if any(not installed()[name].frontend for name in marked):
            own_files = True
        info = _provider_of_file(file) if any(installed()[n].frontend for n in marked) else None
        if info is not None:
            chosen.setdefault(info.name, []).append(file)
    if not chosen:
        return None
    if len(chosen) > 1:
        names = " and ".join(sorted(chosen))
        raise RunformError(f"these files are for {names}: one run plans one provider's files")
    name, found = next(iter(chosen.items()))
    explicit = [p for p in given if p.is_file()]
    if own_files and not any(p in found for p in explicit):
        return None
    strays = [p for p in explicit if p not in found]
    if strays:
        raise RunformError(
            f"{strays[0]} is not a {name} file, and the others are: one run plans one "
            "provider's files"
        )
    info = installed()[name]
    return Handoff(info, importlib.import_module(str(info.frontend)), found)


def saved_plan_handoff(path: Path) -> Handoff | None:
    """The frontend of a saved plan's provider, or None for the CLI's own."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        providers = {root.get("provider") for root in data.get("roots", [])}
    except (OSError, ValueError, AttributeError):
        return None
    for name in providers:
        info = installed().get(str(name))
        if info is not None and info.frontend:
            return Handoff(info, importlib.import_module(info.frontend), [])
    return None


def _yaml_files(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            found += sorted(
                p
                for p in path.rglob("*")
                if p.suffix in YAML_SUFFIXES
                and p.is_file()
                and not any(part in SKIPPED_DIRS for part in p.relative_to(path).parts)
            )
    return found


@cache
def _key_patterns() -> dict[str, re.Pattern[bytes]]:
    return {
        name: re.compile(
            rb"(?m)^(" + b"|".join(re.escape(k.encode()) for k in info.file_keys) + rb")\s*:"
        )
        for name, info in installed().items()
        if info.file_keys
    }


def _marked_providers(path: Path) -> list[str]:
    """The providers one of whose keys starts a line of the file (a cheap first look)."""
    if path.name == "runform.yaml":
        return []
    try:
        with path.open("rb") as handle:
            head = handle.read(1 << 20)
    except OSError:
        return []
    return [name for name, pattern in _key_patterns().items() if pattern.search(head)]


def _provider_of_file(path: Path) -> ProviderInfo | None:
    """The provider by the file's top-level keys (the whole file read)."""
    try:
        data = read_source(path).data
    except RunformError:
        return None
    info = provider_of(data) if isinstance(data, dict) else None
    return info if info is not None and info.frontend else None
