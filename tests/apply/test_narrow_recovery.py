"""A re-read after a doubtful task write reads the task list alone, and still settles it.

The requests are counted where the sandbox receives them (`tests.api.support.Recorder`, an
ASGI wrapper in front of the app): the client's own counts would not show what it never sent.
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from pathlib import Path

import pytest
from tests.api.support import Recorder
from tests.apply.support import FAST_RETRY, apply_files, live_task_names, plan_files, read_runbook

from runform.core.sandbox_kit.transport import InProcessTransport
from runform.providers.cutover.api import CutoverClient
from runform.providers.cutover.apply.rereads import Rereads
from runform.providers.cutover.live.fetch import fetch_runbook
from runform.providers.cutover.live.lookups import Lookups
from runform.providers.cutover.plan.model import Action, Change, Kind, task_address
from runform.providers.cutover.sandbox import FaultConfig

NAME = "Narrow release"
_ID = re.compile(r"/\d+")


def _runbook_yaml(tasks: int) -> str:
    head = f"runbook:\n  name: {NAME}\n  workspace: default\nstreams:\n  - name: Main\ntasks:\n"
    return head + "".join(
        f"  - name: Step {n}\n    stream: Main\n    duration: 5m\n" for n in range(tasks)
    )


def _counts(recorder: Recorder) -> Counter[str]:
    """Requests that reached the app by method and path template (query left out)."""
    counts: Counter[str] = Counter()
    for key, n in recorder.paths.items():
        counts[_ID.sub("/{id}", key.split("?", 1)[0])] += n
    return counts


def _client(sandbox, recorder: Recorder) -> CutoverClient:
    transport = InProcessTransport(app=recorder)
    return CutoverClient(sandbox.base_url, sandbox.token, transport, retry=FAST_RETRY)


@pytest.mark.parametrize("with_replan", [True, False], ids=["replan", "rematch"])
def test_lost_task_creates_are_settled_by_the_task_list_and_never_made_twice(
    sandbox, tmp_path: Path, with_replan: bool
) -> None:
    recorder = Recorder(sandbox.app)
    path = tmp_path / "r.yaml"
    added = 150  # with the first task, two pages of tasks once most are made

    async def scenario():
        async with _client(sandbox, recorder) as client:
            path.write_text(_runbook_yaml(1))
            first = await apply_files(client, [path], tmp_path)
            path.write_text(_runbook_yaml(1 + added))
            recorder.paths.clear()
            # Answers lost after the write was committed, on writes only: every doubtful
            # create did make its task, so sending one again would make a duplicate.
            sandbox.app.state.faults = FaultConfig(seed=3, drop_rate=0.1)
            result = await apply_files(
                client, [path], tmp_path, parallelism=1, with_replan=with_replan
            )
            sandbox.app.state.faults = FaultConfig()
            counts = _counts(recorder)
            again, _ = await plan_files(client, [path])
            live = await read_runbook(client, NAME)
            return first, result, counts, again, await live_task_names(client, live.id)

    first, result, counts, again, names = asyncio.run(scenario())
    assert first.ok
    assert result.ok, result.failed
    assert result.recoveries >= 3  # the lost answers did make it re-read, more than once
    # Each create was sent once: a lost one was found made, never sent again.
    assert counts["POST /core/runbooks/{id}/tasks"] == added
    assert sorted(names) == sorted(f"Step {n}" for n in range(1 + added))
    assert again.changes() == []
    made = [o.address for o in result.done]
    assert len(made) == len(set(made)) == added  # each counted once, made or confirmed
    # The plan reads the runbook whole once; of the re-reads, only the first is whole (no
    # re-read before it to take the runbook, streams and teams from), the others read the
    # task list alone: one or two pages each.
    assert counts["GET /core/runbooks/{id}/streams"] == 2
    assert counts["GET /core/runbooks/{id}/runbook_teams"] == 2
    assert counts["GET /core/runbooks/{id}"] == 1  # the plan's comes from the listing
    plan_pages = 1
    re_read_pages = counts["GET /core/runbooks/{id}/tasks"] - plan_pages
    assert result.recoveries <= re_read_pages <= 2 * result.recoveries


def _change(kind: str, action: Action, name: str) -> Change:
    address = task_address(NAME, name) if kind == Kind.TASK else f'runbook["{NAME}"]'
    return Change(address=address, kind=kind, action=action, root=NAME, name=name)


def test_a_re_read_is_whole_again_after_any_write_but_a_task_create_or_patch(
    sandbox, tmp_path: Path
) -> None:
    recorder = Recorder(sandbox.app)
    path = tmp_path / "r.yaml"
    path.write_text(_runbook_yaml(3))

    async def scenario():
        async with _client(sandbox, recorder) as client:
            assert (await apply_files(client, [path], tmp_path)).ok
            lookups = await Lookups.fetch(client)
            live = await read_runbook(client, NAME)
            base = f"/core/runbooks/{live.id}"
            rereads = Rereads(client, lookups)
            seen = []

            async def read() -> tuple[bool, bool]:
                """(whole, as a whole read builds it) of one re-read."""
                before = _counts(recorder)["GET /core/runbooks/{id}/streams"]
                narrow_or_whole = await rereads.read(live.id)
                whole = _counts(recorder)["GET /core/runbooks/{id}/streams"] > before
                fresh = await fetch_runbook(client, lookups, live.id)
                return whole, _same(narrow_or_whole, fresh)

            seen.append(await read())  # the first: nothing to take the other parts from
            stream = live.streams[0].id
            rereads.writing(_change(Kind.TASK, Action.CREATE, "Step 9"))
            await client.create(
                f"{base}/tasks", "task", {"name": "Step 9"},
                {"stream": {"data": {"type": "stream", "id": stream}}},
            )  # fmt: skip
            seen.append(await read())
            step = next(t for t in live.tasks if t.state.name == "Step 0")
            rereads.writing(_change(Kind.TASK, Action.UPDATE, "Step 0"))
            await client.update(f"{base}/tasks/{step.id}", "task", {"description": "moved"})
            seen.append(await read())
            rereads.writing(_change(Kind.RUNBOOK, Action.UPDATE, NAME))
            await client.update(base, "runbook", {"description": "changed"})
            seen.append(await read())  # the runbook moved: read whole
            seen.append(await read())  # no write since: its parts are current again
            rereads.writing(_change(Kind.TASK, Action.DELETE, "Step 1"))
            gone = next(t for t in live.tasks if t.state.name == "Step 1")
            await client.delete(f"{base}/tasks/{gone.id}")
            seen.append(await read())
            return seen

    seen = asyncio.run(scenario())
    assert [whole for whole, _ in seen] == [True, False, False, True, False, True]
    assert all(same for _, same in seen)  # each equal to a whole read made just after it


def _same(one, other) -> bool:
    """Two reads of a runbook hold the same runbook, streams, teams and tasks."""
    return one.model_dump(mode="json") == other.model_dump(mode="json")


DIRECTORY = (
    "/core/workspaces",
    "/core/runbook_types",
    "/core/task_types",
    "/core/teams",
    "/core/users",
    "/core/custom_fields",
)


def test_under_server_errors_the_directory_is_read_once_per_apply(sandbox, tmp_path: Path) -> None:
    """Server errors make writes doubtful and reads retry: each directory list is still read
    once, its only other requests being retries of that one read."""
    recorder = Recorder(sandbox.app)
    path = tmp_path / "r.yaml"
    path.write_text(_runbook_yaml(120))

    async def scenario():
        async with _client(sandbox, recorder) as client:
            retried: Counter[str] = Counter()
            client.retry_listeners.append(lambda notice: retried.update([notice.path]))
            sandbox.app.state.faults = FaultConfig(seed=5, error_rate=0.2)
            result = await apply_files(client, [path], tmp_path, with_replan=True)
            sandbox.app.state.faults = FaultConfig()
            counts = _counts(recorder)
            again, _ = await plan_files(client, [path])
            live = await read_runbook(client, NAME)
            return result, counts, retried, again, await live_task_names(client, live.id)

    result, counts, retried, again, names = asyncio.run(scenario())
    assert result.ok, result.failed
    assert result.recoveries >= 3
    assert sorted(names) == sorted(f"Step {n}" for n in range(120))
    assert again.changes() == []
    for path_ in DIRECTORY:
        assert counts[f"GET {path_}"] == 1 + retried[path_], (path_, counts, retried)
    assert sum(retried[p] for p in DIRECTORY) >= 1  # the errors did meet a directory read
