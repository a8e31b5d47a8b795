"""Providers are found through their entry points; plan files are read by each one's model."""

from __future__ import annotations

from pathlib import Path

import pytest

from runform.core.model import Plan, RootPlan
from runform.core.planfile import save_plan
from runform.errors import PlanError
from runform.providers.cutover.plan.model import RunbookPlan
from runform.providers.cutover.schema import CUTOVER
from runform.providers.registry import installed, load_plan, provider_of


def test_cutover_is_installed_through_its_entry_point() -> None:
    cutover = installed()["cutover"]
    assert cutover.schema is CUTOVER and cutover.root_model is RunbookPlan
    assert provider_of({"runbook": {"name": "R"}}) is cutover
    assert provider_of({"runbooks": []}) is cutover
    assert provider_of({"boards": []}) is None


def test_a_plan_file_root_is_read_by_its_provider_and_an_unknown_one_is_refused(
    tmp_path: Path,
) -> None:
    runbook = RunbookPlan(name="R", address='runbook["R"]')
    save_plan(Plan(roots=[runbook]), tmp_path / "plan.json")
    assert isinstance(load_plan(tmp_path / "plan.json").roots[0], RunbookPlan)
    other = RootPlan(provider="elsewhere", name="B", address='board["B"]')
    save_plan(Plan(roots=[other]), tmp_path / "other.json")
    with pytest.raises(PlanError, match="unknown provider 'elsewhere'"):
        load_plan(tmp_path / "other.json")


def test_cycloid_is_installed_with_its_frontend_and_file_key() -> None:
    from runform.providers.cycloid.provider import PROVIDER, OrganizationPlan

    cycloid = installed()["cycloid"]
    assert cycloid is PROVIDER and cycloid.root_model is OrganizationPlan
    assert cycloid.frontend == "runform.providers.cycloid.frontend"
    assert provider_of({"cycloid": {"organization": "acme"}}) is cycloid
    assert installed()["cutover"].frontend is None
