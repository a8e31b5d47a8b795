"""One apply at a time per project: a lock file in `.runform/`, as Terraform locks its state.

Two applies of the same new files started together would each plan "create", and Cutover
would get two runbooks of one name. The lock is held from before the plan until the apply
ends, so the second apply plans after the first is done and finds what it made. The lock is
the operating system's (released when the process dies, so a crash never leaves it stuck);
the file's text only says who holds it.

A second lock, keyed by the target (the Cutover URL, or the sandbox database), lives in a
per-user folder: two clones of one repository applying to one Cutover from one machine are
serialised too, whatever their directories. Its file is named by a digest of the target, so
neither a URL nor anything else secret-looking is part of a path; the token never is.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from runform.errors import RunformError

LOCK_FILE = "apply.lock"
POLL_SECONDS = 0.2


def _try_lock(handle: IO[str]) -> bool:
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _unlock(handle: IO[str]) -> None:
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


@contextlib.contextmanager
def apply_lock(root: str | os.PathLike[str] = ".runform", timeout: float = 0.0) -> Iterator[Path]:
    """Hold the project's apply lock, waiting up to `timeout` seconds for another apply."""
    folder = Path(root)
    with _held_lock(folder / LOCK_FILE, timeout, "") as path:
        yield path


def target_lock_path(target: str) -> Path:
    """The per-user lock file of one target: `$XDG_CACHE_HOME/runform/locks/<digest>.lock`
    (`~/.cache/...` without the variable); `RUNFORM_LOCK_DIR` overrides the folder."""
    folder = os.environ.get("RUNFORM_LOCK_DIR")
    if not folder:
        cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        folder = str(Path(cache) / "runform" / "locks")
    digest = hashlib.sha256(target.encode("utf-8")).hexdigest()[:32]
    return Path(folder) / f"{digest}.lock"


@contextlib.contextmanager
def target_lock(target: str, shown_as: str, timeout: float = 0.0) -> Iterator[Path]:
    """Hold the lock of one target (whatever the project directory), waiting up to `timeout`
    seconds; `shown_as` names the target in the holder's line and in a refusal."""
    with _held_lock(target_lock_path(target), timeout, f" on {shown_as}") as path:
        yield path


@contextlib.contextmanager
def _held_lock(path: Path, timeout: float, scope: str) -> Iterator[Path]:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+", encoding="utf-8")
    try:
        deadline = time.monotonic() + timeout
        while not _try_lock(handle):
            if time.monotonic() >= deadline:
                raise RunformError(_held_message(path, timeout, scope))
            time.sleep(POLL_SECONDS)
        handle.seek(0)
        handle.truncate()
        started = datetime.now(UTC).isoformat(timespec="seconds")
        handle.write(f"pid {os.getpid()}, since {started}, in {Path.cwd()}\n")
        handle.flush()
        try:
            yield path
        finally:
            handle.seek(0)
            handle.truncate()
            handle.flush()
            _unlock(handle)
    finally:
        handle.close()


def _held_message(path: Path, timeout: float, scope: str = "") -> str:
    try:
        holder = path.read_text(encoding="utf-8").strip() or "another process"
    except OSError:
        holder = "another process"
    waited = f" after waiting {timeout:g}s" if timeout else ""
    return (
        f"another apply{scope} holds the lock {path} ({holder}){waited}; let it finish, or "
        "wait for it with -lock-timeout, e.g. -lock-timeout 5m"
    )
