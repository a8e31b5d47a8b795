"""Kept diffs (`plan.kept`): a plan made from kept runbook plans is the plan made afresh,
whatever changed in the files or in Cutover in between; what may not be kept never is."""

from __future__ import annotations

import asyncio
import itertools
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from live.seeding import make_runbook
from runform.core.sandbox_kit.transport import InProcessTransport
from runform.providers.cutover.api import CutoverClient
from runform.providers.cutover.definitions import load_definitions
from runform.providers.cutover.definitions.project import ProjectConfig
from runform.providers.cutover.engine import make_plan
from runform.providers.cutover.plan import kept as kept_module
from runform.providers.cutover.plan.kept import CODE, KeptDiffs
from runform.providers.cutover.plan.options import PlanOptions
from runform.providers.cutover.state.shapes import (
    RunbookState,
    RunbookTree,
    StreamState,
    TaskState,
)

pytestmark = pytest.mark.anyio
CHAIN = [("Prepare", 600, []), ("Deploy", 1200, ["Prepare"]), ("Verify", 300, ["Deploy"])]


def tree(name: str, durations: dict[str, int] | None = None, **kw: Any) -> RunbookTree:
    durations = durations or {}
    tasks = [
        TaskState(name=n, stream="Main", duration=durations.get(n, d), predecessors=tuple(p))
        for n, d, p in CHAIN
    ]
    return RunbookTree(
        runbook=RunbookState(name=name, workspace="default"),
        streams=(StreamState(name="Main"),),
        tasks=tuple(tasks),
        **kw,
    )


def same_plan(kept: Any, fresh: Any) -> None:
    """The two plans say the same, field by field (their creation times aside), with the same
    fields set."""
    assert kept.model_dump(exclude={"created_at"}) == fresh.model_dump(exclude={"created_at"})
    assert [r.model_dump(exclude_unset=True) for r in kept.roots] == [
        r.model_dump(exclude_unset=True) for r in fresh.roots
    ]


async def plan_both(client: Any, trees: list[RunbookTree], store: KeptDiffs, **options: Any):
    plan_options = PlanOptions(**options)
    with_kept, _ = await make_plan(client, trees, plan_options, kept=store)
    fresh, _ = await make_plan(client, trees, plan_options)
    same_plan(with_kept, fresh)
    return with_kept


async def test_an_unchanged_runbook_takes_its_kept_plan(client, tmp_path):
    await make_runbook(client, "Weekly patching", CHAIN)
    store = KeptDiffs(tmp_path / "plans")
    first = await plan_both(client, [tree("Weekly patching")], store)
    assert (store.hits, store.misses) == (0, 1)
    assert len(list((tmp_path / "plans").glob("*.json"))) == 1
    again = KeptDiffs(tmp_path / "plans")  # a later run: a new store on the same directory
    second = await plan_both(client, [tree("Weekly patching")], again)
    assert (again.hits, again.misses) == (1, 0)
    assert not second.has_changes
    assert second.roots[0].unchanged == {"runbook": 1, "stream": 2, "task": 3}
    assert second.fingerprint == first.fingerprint
    outline = second.roots[0].outline_after
    assert outline is not None and [t.name for t in outline.tasks] == [n for n, _, _ in CHAIN]


async def test_a_change_in_cutover_or_in_the_file_is_diffed_again(client, tmp_path):
    ids = await make_runbook(client, "Weekly patching", CHAIN)
    store = KeptDiffs(tmp_path / "plans")
    await plan_both(client, [tree("Weekly patching")], store)
    path = f"/core/runbooks/{ids['runbook']}/tasks/{ids['Deploy']}"
    await client.update(path, "task", {"duration": 2400})
    drifted = await plan_both(client, [tree("Weekly patching")], store)
    [change] = drifted.changes()
    assert [(f.field, f.before, f.after) for f in change.fields] == [("duration", 2400, 1200)]
    edited = await plan_both(client, [tree("Weekly patching", {"Deploy": 2400})], store)
    assert not edited.has_changes
    assert store.hits == 0 and store.misses == 3


async def test_a_field_written_empty_is_not_a_field_left_out(local_client, tmp_path):
    ids = await make_runbook(local_client, "Weekly patching", CHAIN)
    path = f"/core/runbooks/{ids['runbook']}"
    await local_client.update(path, "runbook", {"description": "Written in Cutover"})
    store = KeptDiffs(tmp_path / "plans")
    left_out = await plan_both(local_client, [tree("Weekly patching")], store)
    assert not left_out.has_changes  # the files leave the description alone
    emptied = tree("Weekly patching").model_copy(
        update={
            "runbook": RunbookState(name="Weekly patching", workspace="default", description=None)
        }
    )
    cleared = await plan_both(local_client, [emptied], store)
    [change] = cleared.changes()
    assert [(f.field, f.before) for f in change.fields] == [("description", "Written in Cutover")]
    assert store.hits == 0


async def test_other_options_or_another_directory_miss(client, tmp_path):
    await make_runbook(client, "Weekly patching", CHAIN)
    store = KeptDiffs(tmp_path / "plans")
    await plan_both(client, [tree("Weekly patching")], store)
    await plan_both(client, [tree("Weekly patching")], store, allow_deletes=True)
    await plan_both(client, [tree("Weekly patching")], store, forecast=True)
    assert store.hits == 0
    users = await client.list("/core/users")
    await client.action(f"/core/users/{users[-1].id}/archive")  # the directory reads one less
    await plan_both(client, [tree("Weekly patching")], store)
    assert store.hits == 0 and store.misses == 4


async def test_a_damaged_entry_is_a_miss_and_is_written_again(local_client, tmp_path):
    await make_runbook(local_client, "Weekly patching", CHAIN)
    store = KeptDiffs(tmp_path / "plans")
    await plan_both(local_client, [tree("Weekly patching")], store)
    [entry] = (tmp_path / "plans").glob("*.json")
    for damage in (b"{", b'{"prints": {}, "plan": {"name": 3}}', b""):
        entry.write_bytes(damage)
        again = KeptDiffs(tmp_path / "plans")
        await plan_both(local_client, [tree("Weekly patching")], again)
        assert (again.hits, again.misses) == (0, 1)
        assert entry.read_bytes() != damage


async def test_an_unwritable_directory_is_no_error(local_client, tmp_path):
    await make_runbook(local_client, "Weekly patching", CHAIN)
    blocker = tmp_path / "plans"
    blocker.write_text("a file where the directory would be")
    store = KeptDiffs(blocker / "inner")
    for _ in range(2):
        await plan_both(local_client, [tree("Weekly patching")], store)
    assert store.hits == 0 and store.misses == 2


async def test_archives_and_files_with_variables_are_never_kept(local_client, tmp_path):
    await make_runbook(local_client, "Weekly patching", CHAIN)
    await make_runbook(local_client, "Old runbook", CHAIN)
    path = tmp_path / "release.yaml"
    path.write_text(
        "runbook:\n  name: Weekly patching\n  workspace: default\n"
        "  description: ${var.note}\nstreams:\n  - name: Main\ntasks:\n"
        "  - name: Prepare\n    stream: Main\n    duration: 10m\n"
    )
    definitions = load_definitions([path], {"note": "a value from --var"}, ProjectConfig())
    assert definitions.trees[0].uses_variables
    store = KeptDiffs(tmp_path / "plans")
    trees = [*definitions.trees, tree("Old runbook", archived=True)]
    for _ in range(2):
        plan = await plan_both(local_client, trees, store)
    assert plan.has_changes  # the description and the archive
    assert not (tmp_path / "plans").exists()
    assert (store.hits, store.misses) == (0, 0)


def test_every_part_of_the_code_identity_exists():
    # A folder renamed away would silently drop out of every key.
    root = Path(kept_module.__file__).parents[3]
    for name in CODE:
        assert (root / name).exists(), name
    assert len(kept_module.code_identity()) == 32


def run_steps(sandbox: Any, directory: Path, name: str, steps: list[tuple[str, str, int]]):
    """Seed a runbook, then per step change it in Cutover or in the file, and plan both ways."""

    async def scenario() -> None:
        transport = InProcessTransport(app=sandbox.app)
        async with CutoverClient(sandbox.base_url, sandbox.token, transport) as client:
            ids = await make_runbook(client, name, CHAIN)
            durations: dict[str, int] = {}
            store = KeptDiffs(directory)
            for where, task, minutes in steps:
                if where == "cutover":
                    path = f"/core/runbooks/{ids['runbook']}/tasks/{ids[task]}"
                    await client.update(path, "task", {"duration": minutes * 60})
                elif where == "file":
                    durations[task] = minutes * 60
                await plan_both(client, [tree(name, durations)], store)

    asyncio.run(scenario())


STEPS = st.lists(
    st.tuples(
        st.sampled_from(["cutover", "file", "nothing"]),
        st.sampled_from([n for n, _, _ in CHAIN]),
        st.sampled_from([5, 10, 20]),
    ),
    min_size=1,
    max_size=6,
)
_NAMES = itertools.count()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=STEPS)
def test_kept_plans_equal_fresh_ones_through_any_changes(sandbox, tmp_path, steps):
    name = f"Runbook {next(_NAMES)}"
    run_steps(sandbox, tmp_path / "plans", name, steps)
