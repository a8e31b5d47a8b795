"""The runbook files at a git revision: the base a plan judges who moved each field against.

The files are read with `git ls-tree`/`git show` into a scratch directory and loaded exactly
as the working files are (same variables, same project settings), so a base and the working
tree differ only where someone edited them.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from runform.core.source_cache import SourceCache
from runform.errors import ConfigError, DefinitionError
from runform.providers.cutover.definitions.load import Definitions, load_definitions
from runform.providers.cutover.definitions.project import ProjectConfig

YAML_SUFFIXES = (".yaml", ".yml")


def definitions_at(
    ref: str,
    paths: Sequence[str],
    variables: Mapping[str, str],
    project: ProjectConfig,
    cache: SourceCache | None = None,
) -> Definitions | None:
    """The definitions the files under `paths` held at `ref`; None when none existed then
    (`cache`: the working files' parses, which most base files share).

    A base that does not load (a file broken at that revision) gives no base rather than
    stopping the plan: the plan then makes no claim about who moved.
    """
    top = Path(_git("rev-parse", "--show-toplevel").strip())
    commit = _git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", what=ref).strip()
    here = Path.cwd().resolve()
    with tempfile.TemporaryDirectory(prefix="runform-base-") as scratch:
        root = Path(scratch)
        wanted = []
        for path in paths or (".",):
            relative = os.path.relpath((here / path).resolve(), top)
            listed = _yaml_blobs(top, commit, relative)
            for (name, _), content in zip(listed, _blob_contents(top, listed), strict=True):
                target = root / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content)
            if listed:
                wanted.append(str(root / relative))
        if not wanted:
            return None
        try:
            return load_definitions(wanted, dict(variables), project, cache=cache)
        except DefinitionError:
            return None


def _yaml_blobs(top: Path, commit: str, relative: str) -> list[tuple[str, str]]:
    """(path from the repository's top, object id) of each YAML file under `relative` at
    `commit`. Run at the top, so a project in a subdirectory finds its files; `-z`, so a name
    git would quote comes through as it is."""
    listed = _git_bytes("-C", str(top), "ls-tree", "-r", "-z", commit, "--", relative)
    blobs = []
    for record in listed.split(b"\0"):
        meta, _, name = record.partition(b"\t")
        fields = meta.split()
        if len(fields) == 3 and fields[1] == b"blob":
            path = os.fsdecode(name)
            if path.endswith(YAML_SUFFIXES):
                blobs.append((path, fields[2].decode("ascii")))
    return blobs


def _blob_contents(top: Path, blobs: list[tuple[str, str]]) -> list[bytes]:
    """The blobs' bytes from one `git cat-file --batch`, not one `git show` per file (50
    files: 1 process instead of 50, which cost a CI plan with a base about half a second)."""
    if not blobs:
        return []
    asked = "".join(f"{object_id}\n" for _, object_id in blobs).encode("ascii")
    out = _git_bytes("-C", str(top), "cat-file", "--batch", stdin=asked)
    contents, at = [], 0
    for _ in blobs:
        end = out.index(b"\n", at)
        header = out[at:end].split()
        if len(header) != 3:  # "<id> missing": the tree listed it, so this is not expected
            raise ConfigError(f"--base: git could not read {header[0].decode(errors='replace')}")
        size = int(header[2])
        contents.append(out[end + 1 : end + 1 + size])
        at = end + 1 + size + 1  # the content is followed by a newline
    return contents


def _git(*args: str, what: str | None = None) -> str:
    return _git_bytes(*args, what=what).decode("utf-8", errors="replace")


def _git_bytes(*args: str, what: str | None = None, stdin: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(["git", *args], input=stdin, capture_output=True, check=False)
    except FileNotFoundError:
        raise ConfigError("--base needs git, which is not on PATH") from None
    if done.returncode != 0:
        if what is not None:
            raise ConfigError(f"--base {what}: not a revision of this repository")
        detail = done.stderr.decode(errors="replace").strip().splitlines()[:1]
        raise ConfigError(f"--base needs a git repository ({' '.join(detail) or 'git failed'})")
    return done.stdout


def ci_base(env: Mapping[str, str] | None = None) -> str | None:
    """The base a CI run of a change plans against: its merge-base with the target branch
    (GitLab gives it; on GitHub it is worked out from the pull request's base branch)."""
    env = os.environ if env is None else env
    if env.get("CI_MERGE_REQUEST_DIFF_BASE_SHA"):
        return env["CI_MERGE_REQUEST_DIFF_BASE_SHA"]
    target = env.get("GITHUB_BASE_REF")
    if not target:
        return None
    for candidate in (f"origin/{target}", target):
        try:
            return _git("merge-base", "HEAD", candidate, what=candidate).strip() or None
        except ConfigError:
            continue
    return None
