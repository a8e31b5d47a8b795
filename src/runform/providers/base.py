"""The provider protocol: what a system must supply for the core to plan and apply it.

A provider describes its resource types (`schema`), reads the live state of a root, and makes
one change at a time. `BaseProvider` gives the hooks that most systems need no more of:
the baseline is the live state, and refining or annotating a root's plan does nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar, Protocol

from runform.core.model import Change, RootPlan
from runform.core.resources import RootState
from runform.core.schema import Schema


@dataclass(frozen=True)
class Written:
    """What one write did: the request made, and the id of the object it made or touched."""

    method: str
    path: str
    id: str | None


@dataclass(frozen=True)
class ProviderInfo:
    """What an installed provider declares (its entry point in the `runform.providers` group):
    its name, resource types, the model its roots take in a plan file, the top-level keys
    that mark a file as its own, and the module `runform plan` and `runform apply` hand its
    files to (`cli_plan`, `cli_apply`; None: the CLI's own commands, Cutover's)."""

    name: str
    schema: Schema
    root_model: type[RootPlan]
    file_keys: tuple[str, ...]
    frontend: str | None = None


class Provider(Protocol):
    """One system, as the core's engine and runner use it."""

    @property
    def name(self) -> str:
        """The provider's name, as its entry point and plan files spell it (read only, so a
        class attribute serves, as `BaseProvider` declares it)."""
        ...

    schema: Schema
    root_model: type[RootPlan]

    def target(self) -> str:
        """The system planned against, as a plan records it (never a credential)."""
        ...

    async def read(self, desired: RootState) -> RootState | None:
        """The live root a desired one names, or None when it does not exist."""
        ...

    def baseline(self, desired: RootState, live: RootState | None) -> RootState | None:
        """What the desired root is diffed against (the live root, or a prediction of it)."""
        ...

    def refine(self, plan: RootPlan, desired: RootState, live: RootState | None) -> RootPlan:
        """Adjust a root's diff with what only the provider knows (before ordering)."""
        ...

    def annotate(self, plan: RootPlan, desired: RootState, live: RootState | None) -> RootPlan:
        """Add the provider's own sections to an ordered root plan."""
        ...

    async def write(self, change: Change, ids: Mapping[str, str]) -> Written:
        """Make one change; `ids` maps the addresses known so far to live ids. Raise
        `runform.errors.OutcomeUnknown` when the write may or may not have happened."""
        ...


class BaseProvider:
    """Defaults for the optional hooks; a provider overrides what its system needs."""

    name: ClassVar[str] = ""
    root_model: type[RootPlan] = RootPlan

    def baseline(self, desired: RootState, live: RootState | None) -> RootState | None:
        return live

    def refine(self, plan: RootPlan, desired: RootState, live: RootState | None) -> RootPlan:
        return plan

    def annotate(self, plan: RootPlan, desired: RootState, live: RootState | None) -> RootPlan:
        return plan
