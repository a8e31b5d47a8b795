"""Installed providers, found through the `runform.providers` entry-point group.

A provider may live in its own package: it declares a `ProviderInfo` under this group in its
own metadata, and runform reads its plan-file roots and recognises its files by their keys.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path

from runform.core import planfile
from runform.core.model import Plan, RootPlan
from runform.errors import ConfigError
from runform.providers.base import ProviderInfo

GROUP = "runform.providers"
# runform's own providers, found even where the install's metadata predates one of them (an
# editable install made before the provider was added); a declared entry point wins.
BUILT_IN = {
    "cutover": "runform.providers.cutover.provider:PROVIDER",
    "cycloid": "runform.providers.cycloid.provider:PROVIDER",
}


@cache
def installed() -> dict[str, ProviderInfo]:
    """Every installed provider by name; an entry point that is not a provider is refused."""
    found: dict[str, ProviderInfo] = {}
    for point in entry_points(group=GROUP):
        info = point.load()
        if not isinstance(info, ProviderInfo) or info.name != point.name:
            raise ConfigError(f"entry point {point.name} = {point.value}: not a runform provider")
        found[info.name] = info
    for name, value in BUILT_IN.items():
        if name not in found:
            module, _, attribute = value.partition(":")
            found[name] = getattr(importlib.import_module(module), attribute)
    return found


def root_models() -> dict[str, type[RootPlan]]:
    return {name: info.root_model for name, info in installed().items()}


def provider_of(document: Mapping[str, object]) -> ProviderInfo | None:
    """The provider a file is for, by its top-level keys (`runbook:` is Cutover's)."""
    for info in installed().values():
        if any(key in document for key in info.file_keys):
            return info
    return None


def load_plan(path: str | Path) -> Plan:
    """A plan file, each root read by its installed provider's model."""
    return planfile.load_plan(path, root_models())
