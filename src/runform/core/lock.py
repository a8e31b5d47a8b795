"""One apply at a time per project: a lock file in `.runform/`, as Terraform locks its state.

Two applies of the same new files started together would each plan "create", and Cutover
would get two runbooks of one name. The lock is held from before the plan until the apply
ends, so the second apply plans after the first is done and finds what it made. The lock is
the operating system's (released when the process dies, so a crash never leaves it stuck);
the file's text only says who holds it.
"""

from __future__ import annotations

import contextlib
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
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK_FILE
    handle = path.open("a+", encoding="utf-8")
    try:
        deadline = time.monotonic() + timeout
        while not _try_lock(handle):
            if time.monotonic() >= deadline:
                raise RunformError(_held_message(path, timeout))
            time.sleep(POLL_SECONDS)
        handle.seek(0)
        handle.truncate()
        started = datetime.now(UTC).isoformat(timespec="seconds")
        handle.write(f"pid {os.getpid()}, since {started}\n")
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


def _held_message(path: Path, timeout: float) -> str:
    try:
        holder = path.read_text(encoding="utf-8").strip() or "another process"
    except OSError:
        holder = "another process"
    waited = f" after waiting {timeout:g}s" if timeout else ""
    return (
        f"another apply holds the lock {path} ({holder}){waited}; let it finish, or wait for "
        "it with -lock-timeout, e.g. -lock-timeout 5m"
    )
