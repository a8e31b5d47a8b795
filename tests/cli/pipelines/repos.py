"""Real git repositories for the pipeline tests: an origin, and a clone where CI runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SPEC = "git+https://example.com/acme/runform.git@v1.4.0"

RELEASE = """\
runbook:
  name: Pipeline release
  workspace: default
streams:
  - name: Main
tasks:
  - name: Freeze deploys
    stream: Main
    duration: 10m
  - name: Deploy
    stream: Main
    duration: {deploy}
    after: [Freeze deploys]
"""


def git(cwd: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT")}
    env.update(
        GIT_AUTHOR_NAME="Release Manager", GIT_AUTHOR_EMAIL="rm@example.com",
        GIT_COMMITTER_NAME="Release Manager", GIT_COMMITTER_EMAIL="rm@example.com",
    )  # fmt: skip
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
    return done.stdout.strip()


def runform(
    cwd: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("CUTOVER_", "CI"))}
    return subprocess.run(
        [sys.executable, "-m", "runform", *args], cwd=cwd, env={**base, **(env or {})},
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def new_project(tmp: Path, ci: str) -> Path:
    """An origin with a freshly `init`ed project on main, and a clone of it (returned)."""
    origin = tmp / "origin.git"
    git(tmp, "init", "--bare", "--initial-branch=main", str(origin))
    clone = tmp / "clone"
    git(tmp, "clone", str(origin), str(clone))
    git(clone, "checkout", "-B", "main")
    done = runform(clone, "init", ".", "--ci", ci, "--runform-spec", SPEC)
    assert done.returncode == 0, done.stdout + done.stderr
    git(clone, "add", "-A")
    git(clone, "commit", "-m", "runform init")
    git(clone, "push", "origin", "main")
    return clone


def push_change(clone: Path, branch: str, deploy: str) -> None:
    """Commit the release runbook (Deploy lasting `deploy`) on `branch` and push it."""
    git(clone, "checkout", "-B", branch)
    (clone / "runbooks" / "release.yaml").write_text(RELEASE.format(deploy=deploy))
    git(clone, "add", "-A")
    git(clone, "commit", "-m", f"release: deploy takes {deploy}")
    git(clone, "push", "--force", "origin", branch)


def ci_checkout(clone: Path, where: Path, ref: str) -> Path:
    """A fresh checkout of the origin at `ref`, as each CI job starts from."""
    origin = git(clone, "remote", "get-url", "origin")
    git(clone.parent, "clone", "--quiet", origin, str(where))
    git(where, "checkout", "--quiet", "--detach", ref)
    return where


def check_out_merge_ref(clone: Path, where: Path, branch: str) -> tuple[Path, str]:
    """What CI checks out for a pull request: the branch merged into the target's head."""
    checkout = ci_checkout(clone, where, "origin/main")
    git(checkout, "merge", "--no-ff", "--no-edit", f"origin/{branch}")
    return checkout, git(checkout, "rev-parse", "HEAD")


def merge(clone: Path, branch: str, number: int) -> str:
    """Merge the pull request into main on the origin; the merge commit's sha."""
    git(clone, "fetch", "origin")
    git(clone, "checkout", "-B", "main", "origin/main")
    git(clone, "merge", "--no-ff", "-m", f"Merge pull request #{number}", f"origin/{branch}")
    git(clone, "push", "origin", "main")
    return git(clone, "rev-parse", "HEAD")
