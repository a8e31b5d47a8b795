"""Two applies of one runbook never leave two runbooks: in one directory, in two clones on one
machine (the target's lock), and on two machines (the re-list before and after a create)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.apply.support import client_for

from runform.cli.apply import lock_target
from runform.core.lock import target_lock, target_lock_path
from runform.providers.cutover.api import ApiSettings
from runform.providers.cutover.live.lookups import Lookups

FILE = """\
runbook:
  name: Twice release
  workspace: default
streams:
  - name: Main
tasks:
  - key: one
    name: Step 1
    stream: Main
    duration: 5m
  - name: Step 2
    stream: Main
    duration: 5m
    after: [one]
"""


def _env(server, cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CUTOVER_", "CI"))}
    env.update(
        CUTOVER_API_URL=server.base_url,
        CUTOVER_API_TOKEN=server.token,
        XDG_CACHE_HOME=str(cache),
        PYTHONPATH=os.pathsep.join(sys.path),
    )
    env.pop("RUNFORM_LOCK_DIR", None)
    return env


def _apply(folder: Path, env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "runform", "apply", "--auto-approve", *args, "r.yaml"],
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _plan(folder: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "runform", "plan", "--detailed-exitcode", "r.yaml"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _clone(root: Path, name: str) -> Path:
    folder = root / name
    folder.mkdir()
    (folder / "r.yaml").write_text(FILE)
    return folder


def _live_runbooks(server, name: str = "Twice release") -> list[str]:
    """Ids of the live (not archived) runbooks of that name, counted through the API."""

    async def listing() -> list[str]:
        async with client_for(server) as client:
            lookups = await Lookups.fetch(client)
            space = lookups.get("workspace", "default").id
            rows = await client.list("/core/runbooks", {"workspace_id": space, "archived": "false"})
            return [str(r.id) for r in rows if r.attributes.get("name") == name]

    return asyncio.run(listing())


@pytest.mark.parametrize("layout", ["one directory", "two directories"])
def test_two_applies_started_together_make_exactly_one_runbook(sandbox_server, tmp_path, layout):
    first = _clone(tmp_path, "a")
    second = first if layout == "one directory" else _clone(tmp_path, "b")
    env = _env(sandbox_server, tmp_path / "cache")  # one user's cache: one machine
    processes = [_apply(folder, env, "-lock-timeout", "120s") for folder in (first, second)]
    outputs = [p.communicate(timeout=180)[0] for p in processes]
    assert [p.returncode for p in processes] == [0, 0], outputs
    assert sorted("Apply complete: 4 created" in out for out in outputs) == [False, True], outputs
    assert len(_live_runbooks(sandbox_server)) == 1
    for folder in {first, second}:
        again = _plan(folder, env)
        assert again.returncode == 0, again.stdout + again.stderr
        assert "No changes" in again.stdout


def test_two_machines_applying_together_leave_one_runbook(sandbox_server, tmp_path):
    """No lock is shared (each its own cache): the re-lists decide, whoever is first."""
    folders = [_clone(tmp_path, "a"), _clone(tmp_path, "b")]
    envs = [_env(sandbox_server, tmp_path / f"cache-{n}") for n in "ab"]
    processes = [_apply(f, e) for f, e in zip(folders, envs, strict=True)]
    outputs = [p.communicate(timeout=180)[0] for p in processes]
    assert len(_live_runbooks(sandbox_server)) == 1, outputs
    for process, output in zip(processes, outputs, strict=True):
        # Either it applied (made it, adopted it, or found nothing to do), or it lost a race
        # of creates and says so; never a traceback.
        lost = "Run `runform plan` again" in output
        assert process.returncode == (1 if lost else 0), output
        assert "Traceback" not in output
    # Not asserted: that the runbook's streams and tasks are single too. An apply that adopts
    # a runbook the other is still filling may add a stream or task the other adds as well
    # (docs/design.md, Unknowns); one machine's applies never overlap (the target's lock).


def test_an_apply_in_another_clone_refuses_while_the_target_is_locked(
    sandbox_server, tmp_path, monkeypatch
) -> None:
    folder = _clone(tmp_path, "b")
    env = _env(sandbox_server, tmp_path / "cache")
    key, shown_as = lock_target(ApiSettings(base_url=sandbox_server.base_url))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("RUNFORM_LOCK_DIR", raising=False)
    path = target_lock_path(key)
    with target_lock(key, shown_as):
        held = _apply(folder, env)
        output, _ = held.communicate(timeout=120)
    assert held.returncode == 1, output
    assert f"another apply on {sandbox_server.base_url} holds the lock {path}" in output
    assert f"pid {os.getpid()}" in output and "-lock-timeout" in output
    assert "Apply complete" not in output
    assert path.parent == tmp_path / "cache" / "runform" / "locks"
    assert sandbox_server.token not in path.read_text() + str(path)
    assert _live_runbooks(sandbox_server) == []


def test_the_target_lock_key_is_the_url_and_tenant_never_a_secret() -> None:
    plain = lock_target(ApiSettings(base_url="https://api.cutover.net"))
    tenant = lock_target(
        ApiSettings(base_url="https://api.cutover.net", core_url="https://acme.cutover.com")
    )
    other = lock_target(
        ApiSettings(base_url="https://api.cutover.net", core_url="https://beta.cutover.com")
    )
    assert len({plain[0], tenant[0], other[0]}) == 3  # each tenant is its own target
    assert tenant[1] == "https://api.cutover.net (Core-Url https://acme.cutover.com)"
    with_user = lock_target(ApiSettings(base_url="https://me:s3cret@api.cutover.net"))
    assert "s3cret" not in with_user[0] + with_user[1]
    assert target_lock_path(with_user[0]).name.endswith(".lock")
    assert "cutover" not in target_lock_path(plain[0]).name


def test_the_sandbox_lock_key_is_its_database_path(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    key, shown_as = lock_target(ApiSettings(sandbox_db=".runform/sandbox.db"))
    assert key == f"sandbox:{tmp_path / '.runform' / 'sandbox.db'}"
    assert str(tmp_path) in shown_as


def test_two_runbooks_of_one_name_show_how_to_pin_one(sandbox_server, tmp_path) -> None:
    from runform.providers.cutover.api.records import Ref

    async def two() -> list[str]:
        async with client_for(sandbox_server) as client:
            lookups = await Lookups.fetch(client)
            space = Ref(id=lookups.get("workspace", "default").id, type="workspace")
            made = [
                await client.create(
                    "/core/runbooks", "runbook", {"name": "Twice release"}, {"workspace": space}
                )
                for _ in range(2)
            ]
            return [str(r.id) for r in made]

    ids = asyncio.run(two())
    folder = _clone(tmp_path, "a")
    done = _plan(folder, _env(sandbox_server, tmp_path / "cache"))
    assert done.returncode == 1
    error = done.stderr
    assert f"2 runbooks in workspace Default have this name (ids {ids[0]} (created " in error
    assert f"), {ids[1]} (created " in error
    assert "pin the right one with `id:` in r.yaml:1, e.g." in error
    assert f"  runbook:\n    name: Twice release\n    id: {ids[0]}" in error
