"""Cycloid as an installed provider: its name, schema, plan-file model and file keys.

Kept light: every run of the CLI loads each installed provider's `PROVIDER` to recognise its
files, so this module imports only the schema and the plan model; reading and writing Cycloid
(`CycloidProvider`) live in `runform.providers.cycloid.hooks`, imported when a Cycloid run
starts."""

from __future__ import annotations

from pydantic import Field

from runform.core.model import RootPlan
from runform.providers.base import ProviderInfo
from runform.providers.cycloid.schema import CYCLOID

BUILTIN_ROLES = frozenset(("organization-admin", "organization-member", "default-project-viewer"))


class OrganizationPlan(RootPlan):
    """One organization's plan; `sensitive` names, per change, the fields whose values are
    secrets it sends (shown as `(sensitive)`, never held in the plan)."""

    sensitive: dict[str, list[str]] = Field(default_factory=dict)


PROVIDER = ProviderInfo(
    name="cycloid",
    schema=CYCLOID,
    root_model=OrganizationPlan,
    file_keys=("cycloid",),
    frontend="runform.providers.cycloid.frontend",
)
