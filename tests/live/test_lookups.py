"""Lookups: the directory read once, names by id, key, name, handle or email."""

from __future__ import annotations

import pytest

from runform.errors import ResolveError
from runform.providers.cutover.live.lookups import Lookups

pytestmark = pytest.mark.anyio


async def test_resolves_keys_names_ids_and_aliases(client):
    lookups = await Lookups.fetch(client)
    assert lookups.resolve("workspace", "payments") == "Payments"
    assert lookups.resolve("workspace", "1") == "Default"
    assert lookups.resolve("workspace", "PAYMENTS") == "Payments"  # case-blind as a last resort
    assert lookups.resolve("runbook_type", "dynamic") == "Dynamic runbook"
    assert lookups.resolve("task_type", "milestone") == "Milestone"
    assert lookups.resolve("user", "ghopper") == "grace@example.com"
    assert lookups.resolve("team", "Database team") == "Database team"
    assert lookups.resolve("custom_field", "Risk") == "Risk"
    assert lookups.resolve("folder", "Releases", workspace="payments") == "Releases"
    releases = lookups.id_of("folder", "Releases", workspace="Payments")
    assert releases != lookups.id_of("folder", "Releases", workspace="default")
    assert lookups.name_of("folder", releases) == "Releases"
    assert lookups.is_dynamic("Dynamic runbook") and not lookups.is_dynamic("Normal runbook")
    assert lookups.default("task_type").name == "Normal"
    assert lookups.default_durations()["Approval"] == 300


async def test_unknown_name_lists_the_choices(client):
    lookups = await Lookups.fetch(client)
    with pytest.raises(ResolveError) as err:
        lookups.resolve("workspace", "paymnts")
    message = str(err.value)
    assert 'unknown workspace "paymnts"' in message
    assert "Payments (payments)" in message and "Default (default)" in message


async def test_folders_only_for_named_workspaces(local_client):
    lookups = await Lookups.fetch(local_client, workspaces=["payments"])
    assert local_client.stats.count("GET", "/core/workspaces/{id}/folders") == 1
    assert lookups.resolve("folder", "Templates", workspace="payments") == "Templates"
    with pytest.raises(ResolveError, match="in workspace Default"):
        lookups.resolve("folder", "Templates", workspace="Default")


async def test_the_directory_first_then_folders_over_it(local_client):
    """A plan reads folders alongside the runbook index, so the two steps stand alone."""
    directory = await Lookups.fetch_directory(local_client)
    assert local_client.stats.count("GET", "/core/workspaces/{id}/folders") == 0
    assert directory.entries("folder") == []
    assert directory.resolve("workspace", "payments") == "Payments"
    full = await directory.with_folders(local_client, ["payments"])
    assert local_client.stats.count("GET", "/core/workspaces/{id}/folders") == 1
    assert full.resolve("folder", "Templates", workspace="payments") == "Templates"
    assert full.resolve("task_type", "milestone") == "Milestone"  # the directory is kept
    again = await full.with_folders(local_client, ["payments"])
    assert len(again.entries("folder")) == len(full.entries("folder"))  # replaced, not doubled
