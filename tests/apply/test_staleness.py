"""A saved plan belongs to the Cutover it was made against: base URL and tenant (Core-Url)."""

from __future__ import annotations

import pytest

from runform.errors import StalePlanError
from runform.providers.cutover.api import CutoverClient
from runform.providers.cutover.apply.staleness import check_target
from runform.providers.cutover.plan.model import Plan

SHARED = "https://api.cutover.net"


def client(core_url: str | None = None, base_url: str = SHARED) -> CutoverClient:
    return CutoverClient(base_url, "t0ken", core_url=core_url)


def test_the_same_tenant_passes() -> None:
    made = client("https://acme.cutover.com")
    check_target(client("https://acme.cutover.com"), Plan(roots=[], target=made.target))


@pytest.mark.parametrize(
    "elsewhere",
    [client("https://globex.cutover.com"), client(None), client(None, "https://api.acme.example")],
)
def test_another_tenant_or_instance_is_refused(elsewhere: CutoverClient) -> None:
    plan = Plan(roots=[], target=client("https://acme.cutover.com").target)
    with pytest.raises(StalePlanError) as refused:
        check_target(elsewhere, plan)
    assert str(refused.value).startswith(
        "the plan was made against https://api.cutover.net (Core-Url https://acme.cutover.com), "
        f"not {elsewhere.target}"
    )
    assert "t0ken" not in plan.target
