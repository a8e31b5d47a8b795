"""Where an apply comes from: the commit of the files and the person who ran it.

Both are read with a real `git` (the repository's own view, hooks and config included) and
fail soft: outside a repository, without git, or on any git error the answer is None, and
the apply goes on. Nothing here reads a credential.
"""

from __future__ import annotations

import getpass
import hashlib
import subprocess
from pathlib import Path

GIT_TIMEOUT = 10  # seconds; a hung git (a network filesystem, a lock) must not hold an apply
DIRTY = "+dirty"


def _git(directory: Path, *args: str) -> str | None:
    """git's output in `directory`, stripped; None when git is missing or fails."""
    try:
        done = subprocess.run(
            ["git", "-C", str(directory), *args],
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def git_commit(directory: Path, state_dir: Path | None = None) -> str | None:
    """HEAD of the repository holding `directory`, `+dirty` when the work tree differs from
    it (untracked files count, runform's own `state_dir` does not); None outside one."""
    head = _git(directory, "rev-parse", "--verify", "--quiet", "HEAD")
    if not head:
        return None
    pathspec = [":/"]
    if state_dir is not None:
        pathspec.append(f":(exclude){Path(state_dir).resolve()}")
    status = _git(directory, "status", "--porcelain", "--", *pathspec)
    if status is None:
        return head  # the commit is known; whether the tree differs is not
    return head + DIRTY if status else head


def actor(directory: Path) -> dict[str, str | None]:
    """Who runs the apply, as far as it is known without a credential.

    Cutover's API has no "current user" endpoint, so the token's own user is unknown here
    (`cutover_user` stays None); the local login and git's configured author are recorded.
    """
    try:
        login: str | None = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a bare container)
        login = None
    name = _git(directory, "config", "user.name")
    email = _git(directory, "config", "user.email")
    git_user = f"{name} <{email}>" if name and email else (name or email or None)
    return {"cutover_user": None, "git_user": git_user, "login": login}


def actor_name(recorded: object) -> str:
    """The one name to show for a recorded actor (Cutover's user, else git's, else the login)."""
    if isinstance(recorded, str):
        return recorded
    if isinstance(recorded, dict):
        for key in ("cutover_user", "git_user", "login"):
            if recorded.get(key):
                return str(recorded[key])
    return "-"


def file_digest(path: Path) -> str:
    """`sha256:` of a file's bytes (a saved plan, as applied)."""
    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


def apply_context(
    *,
    target: str,
    digest: str | None,
    message: str | None,
    directory: Path,
    state_dir: Path,
    plan_file: Path | None = None,
) -> dict[str, object]:
    """What every journal entry of one apply carries: who, where, from what, and why.

    `digest` is the plan's changes digest: what applying makes, the digest a reviewer saw.
    The reason is `message`, else the plan's digest (the saved plan file's when there is one,
    else the changes digest), so every apply says at least exactly what it applied.
    """
    plan_file_digest = file_digest(plan_file) if plan_file is not None else None
    context: dict[str, object] = {
        "actor": actor(directory),
        "target": target,
        "digest": digest,
        "commit": git_commit(directory, state_dir),
        "reason": message if message is not None else (plan_file_digest or digest),
    }
    if plan_file_digest is not None:
        context["plan_file_digest"] = plan_file_digest
    return context
