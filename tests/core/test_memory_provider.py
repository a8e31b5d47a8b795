"""The core with a provider that exists only here: plan, apply, recover, plan again empty."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from runform.core.engine import apply_roots, plan_roots
from runform.core.graph import check_order
from runform.core.model import Action, RootPlan
from runform.core.planfile import load_plan, save_plan
from runform.errors import PlanError

from .memory import BOARDS, MemoryProvider, Store, board, card


def launch(**changes: object) -> list:
    cards = {
        "Design": card("Launch", "Design", checklist=["sketch", "review"]),
        "Build": card("Launch", "Build", blocked_by=["Design"]),
        "Ship": card("Launch", "Ship", blocked_by=["Build", "Design"], note="Friday"),
    }
    cards.update(changes)  # type: ignore[arg-type]
    return [board("Launch", *(c for c in cards.values() if c is not None), labels=("q4", "web"))]


def run(coro):  # type: ignore[no-untyped-def]
    return asyncio.run(coro)


def test_plans_applies_and_plans_again_empty() -> None:
    provider = MemoryProvider(Store())
    desired = launch()
    plan = run(plan_roots(provider, desired))
    assert [c.action for c in plan.changes()] == [Action.CREATE] * 4
    ship = next(c for c in plan.changes() if c.name == "Ship")
    assert set(ship.depends_on) == {
        'board["Launch"]',
        'board["Launch"].card["Build"]',
        'board["Launch"].card["Design"]',
    }
    result = run(apply_roots(provider, plan, desired))
    assert result.ok and len(result.done) == 4
    assert not run(plan_roots(provider, desired)).has_changes


def test_an_ambiguous_create_is_recovered_without_a_duplicate() -> None:
    store = Store(lose_answer={("POST", "Build")})
    provider = MemoryProvider(store)
    desired = launch()
    result = run(apply_roots(provider, run(plan_roots(provider, desired)), desired))
    assert result.ok and result.recoveries == 1
    assert [c["title"] for c in store.cards.values()].count("Build") == 1
    assert store.writes.count(("POST", "Build")) == 1  # never sent twice
    ship = next(c for c in store.cards.values() if c["title"] == "Ship")
    build = next(c for c in store.cards.values() if c["title"] == "Build")
    assert build["id"] in ship["blocked_by"]  # the id was learned by the re-read
    assert not run(plan_roots(provider, desired)).has_changes


def test_each_compare_mode_is_planned_and_applied_alike() -> None:
    provider = MemoryProvider(Store())
    run(apply_roots(provider, run(plan_roots(provider, launch())), launch()))
    same = launch(
        Ship=card("Launch", "Ship", blocked_by=["Design", "Build"], note="Friday"),  # set order
        Build=card("Launch", "Build", blocked_by=["Design"], note=""),  # "" is no note
    )
    assert not run(plan_roots(provider, same)).has_changes
    reordered = launch(Design=card("Launch", "Design", checklist=["review", "sketch"]))
    plan = run(plan_roots(provider, reordered))
    [change] = plan.changes()
    assert [f.field for f in change.fields] == ["checklist"]  # a sequence keeps its order
    assert run(apply_roots(provider, plan, reordered)).ok
    assert not run(plan_roots(provider, reordered)).has_changes


def test_a_delete_waits_for_what_stops_naming_it_and_renames_keep_the_object() -> None:
    store = Store()
    provider = MemoryProvider(store)
    run(apply_roots(provider, run(plan_roots(provider, launch())), launch()))
    design_id = next(c["id"] for c in store.cards.values() if c["title"] == "Design")
    desired = launch(
        Design=None,
        Build=card("Launch", "Build"),
        Ship=card("Launch", "Ship", blocked_by=["Build"], note="Friday"),
        Plan=card("Launch", "Plan", renamed_from="Design", checklist=["sketch", "review"]),
    )
    plan = run(plan_roots(provider, desired))
    by_name = {c.name: c for c in plan.changes()}
    assert by_name["Plan"].action is Action.UPDATE and by_name["Plan"].renamed_from == "Design"
    assert not any(c.action is Action.DELETE for c in plan.changes())
    assert run(apply_roots(provider, plan, desired)).ok
    assert next(c["id"] for c in store.cards.values() if c["title"] == "Plan") == design_id
    assert not run(plan_roots(provider, desired)).has_changes

    gone = launch(
        Design=None,
        Build=card("Launch", "Build", blocked_by=[]),
        Ship=card("Launch", "Ship", blocked_by=["Build"], note="Friday"),
    )
    plan = run(plan_roots(provider, gone))
    delete = next(c for c in plan.changes() if c.action is Action.DELETE)
    assert delete.name == "Plan"
    assert set(delete.depends_on) >= {'board["Launch"].card["Build"]'}  # Build stops naming it
    check_order(plan.changes(), BOARDS)
    assert run(apply_roots(provider, plan, gone)).ok
    assert not run(plan_roots(provider, gone)).has_changes


def test_a_plan_file_round_trips_and_a_plan_missing_an_edge_is_refused(tmp_path: Path) -> None:
    provider = MemoryProvider(Store())
    plan = run(plan_roots(provider, launch()))
    save_plan(plan, tmp_path / "plan.json")
    loaded = load_plan(tmp_path / "plan.json", {"memory": RootPlan})
    assert loaded == plan
    root = loaded.roots[0]
    stripped = [c.model_copy(update={"depends_on": ()}) for c in root.changes]
    broken = loaded.model_copy(update={"roots": [root.model_copy(update={"changes": stripped})]})
    with pytest.raises(PlanError, match="order is incomplete"):
        run(apply_roots(provider, broken, launch()))
    assert provider.store.writes == []  # refused before any write
