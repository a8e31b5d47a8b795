"""Apply under injected faults: it completes or stops cleanly, and a rerun converges exactly."""

from __future__ import annotations

import asyncio
import json

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from tests.apply.support import (
    ALL_FAULTS,
    apply_files,
    big_runbook_yaml,
    client_for,
    live_task_names,
    plan_files,
    read_runbook,
)

from runform.core.sandbox_kit.transport import InProcessTransport
from runform.providers.cutover.apply import ApplyStatus
from runform.providers.cutover.sandbox import FaultConfig

TASKS = 300


@pytest.mark.parametrize(
    ("target", "seed", "with_replan"),
    [
        ("sandbox", 11, False),
        ("sandbox", 23, False),
        ("sandbox", 37, True),
        ("sandbox_server", 41, False),
        ("sandbox_server", 53, True),
    ],
    ids=["s11", "s23", "s37-replan", "http-s41", "http-s53-replan"],
)
def test_faulty_apply_of_300_tasks_converges_with_no_duplicates(
    request, tmp_path, target, seed, with_replan
):
    """In-process, and over real HTTP where dropped answers are torn connections."""
    sandbox = request.getfixturevalue(target)
    path = tmp_path / "big.yaml"
    path.write_text(big_runbook_yaml("Big release", TASKS))
    expected = sorted(f"Task {i}" for i in range(TASKS))

    async def scenario():
        async with client_for(sandbox, seed=seed) as client:
            outcomes = []
            for attempt in range(3):  # faults stay on for every attempt
                sandbox.app.state.faults = FaultConfig(seed=seed * 10 + attempt, **ALL_FAULTS)
                result = await apply_files(client, [path], tmp_path, with_replan=with_replan)
                outcomes.append(result)
                # Cleanly: an exact account, never a change both made and missing.
                made = {o.address for o in result.done}
                missing = {f.address for f in result.failed} | set(result.not_attempted)
                assert not made & missing
                if result.status is ApplyStatus.COMPLETE:
                    assert not result.uncertain and not result.not_attempted and not result.failed
                    break
                assert result.failed or result.uncertain
            sandbox.app.state.faults = FaultConfig()
            plan, _ = await plan_files(client, [path])
            live = await read_runbook(client, "Big release")
            return outcomes, plan, await live_task_names(client, live.id)

    outcomes, plan, names = asyncio.run(scenario())
    assert outcomes[-1].status is ApplyStatus.COMPLETE
    assert sum(o.recoveries for o in outcomes) > 0  # the faults did hit ambiguous writes
    assert sorted(names) == expected  # 0 duplicates, 0 missing
    assert plan.changes() == []
    entries = [
        json.loads(line)
        for journal in (tmp_path / "journal").glob("*.jsonl")
        for line in journal.read_text().splitlines()
    ]
    assert {e.get("event") for e in entries} >= {None, "uncertain"}
    for entry in entries:  # every line says what, to which address, and when
        assert entry["address"] and entry["action"] and entry["time"], entry
        if entry.get("event") in (None, "confirmed"):
            assert entry["id"], entry  # a call that completed, or a write found made


RUNBOOK_NAME = "Generated"
task_specs = st.lists(
    st.tuples(
        st.sampled_from(["One", "Two"]),
        st.integers(min_value=1, max_value=90),
        st.sets(st.integers(min_value=0, max_value=7), max_size=2),
    ),
    min_size=1,
    max_size=8,
)


def _runbook_yaml(specs) -> str:
    lines = ["runbook:", f"  name: {RUNBOOK_NAME}", "  workspace: default", "streams:"]
    lines += ["  - name: One", "  - name: Two", "tasks:"]
    for index, (stream, minutes, preds) in enumerate(specs):
        lines += [f"  - name: T{index}", f"    stream: {stream}", f"    duration: {minutes}m"]
        earlier = sorted(p for p in preds if p < index)
        # Left out when empty: a task with no `after:` has no predecessors.
        if earlier:
            lines.append("    after: [" + ", ".join(f"T{p}" for p in earlier) + "]")
    return "\n".join(lines) + "\n"


@settings(
    max_examples=12,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],  # shrinking replays whole applies: too slow
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(first=task_specs, second=task_specs, seed=st.integers(0, 1000))
def test_any_runbook_then_any_edit_converges_under_faults(tmp_path_factory, first, second, seed):
    from runform.providers.cutover.sandbox import create_app

    folder = tmp_path_factory.mktemp("gen")
    app = create_app(":memory:")

    class Handle:
        import httpx

        base_url = "http://sandbox.local"
        token = app.state.token
        transport = InProcessTransport(app=app)

    async def scenario():
        async with client_for(Handle) as client:
            for specs in (first, second):
                path = folder / "runbook.yaml"
                path.write_text(_runbook_yaml(specs))
                for attempt in range(4):
                    app.state.faults = FaultConfig(seed=seed + attempt, **ALL_FAULTS)
                    result = await apply_files(client, [path], folder, allow_deletes=True)
                    if result.ok:
                        break
                app.state.faults = FaultConfig()
                assert result.ok, result.failed
                plan, _ = await plan_files(client, [path], allow_deletes=True)
                assert plan.changes() == []
                live = await read_runbook(client, RUNBOOK_NAME)
                names = await live_task_names(client, live.id)
                assert sorted(names) == sorted(f"T{i}" for i in range(len(specs)))
                tasks = {t.state.name: t.state for t in live.tasks}
                for index, (stream, minutes, preds) in enumerate(specs):
                    state = tasks[f"T{index}"]
                    assert state.stream == stream and state.duration == minutes * 60
                    wanted = {f"T{p}" for p in preds if p < index}
                    assert set(state.predecessors or ()) == wanted

    asyncio.run(scenario())
