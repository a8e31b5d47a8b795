"""Which `pip install` argument reproduces this runform: the CI files `init` writes use it.

runform is not on a public package index, so `pip install runform` fails on a CI runner. The
pipelines install it from a spec instead: the one the user gives (`init --runform-spec`), else
the one the running install records about itself (PEP 610's `direct_url.json`): a git URL at
the exact commit, or a wheel or sdist URL. A local directory or file is no spec a runner can
use; then there is none, and the files say how to set one.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import metadata

from runform import __version__
from runform.errors import RunformError

# What may go between the single quotes of `pip install '...'` in a YAML `run:` line.
_SAFE = re.compile(r"[A-Za-z0-9 _.,:;/@#%+=~?&!<>\[\]-]+")
_URL_SCHEMES = ("git+", "https://", "http://", "file:")


@dataclass(frozen=True)
class InstallSpec:
    """A pip requirement for runform, or why there is none (`spec` None, `unknown` says why)."""

    spec: str | None
    unknown: str = ""
    git_url: str | None = None  # for pre-commit's `repo:` (no `git+`, no revision)
    git_rev: str | None = None

    @property
    def pinned(self) -> bool:
        """Whether the spec installs one version: `==`, a git revision, or an archive's URL."""
        if self.spec is None:
            return False
        url = self.spec.split("@", 1)[1].strip() if "@" in self.spec else ""
        archive = url.split("#", 1)[0].endswith((".whl", ".tar.gz", ".zip"))
        return "==" in self.spec or self.git_rev is not None or archive


def given_spec(text: str) -> InstallSpec:
    """A user's `--runform-spec`: a requirement (`runform==1.2`, `runform @ URL`) or a URL."""
    spec = text.strip()
    if not spec or not _SAFE.fullmatch(spec):
        raise RunformError(
            f"--runform-spec {spec!r}: give a pip requirement or URL (letters, digits and "
            "URL punctuation; no quotes, `$` or line breaks), e.g. "
            "'git+https://example.com/acme/runform.git@v1.4.0' or a wheel's URL"
        )
    if spec.startswith(_URL_SCHEMES):
        spec = f"runform @ {spec}"
    name = re.split(r"[\s@=<>!~\[;]", spec, maxsplit=1)[0]
    if name.lower().replace("_", "-") != "runform":
        raise RunformError(f"--runform-spec {spec!r}: it installs {name!r}, not runform")
    url = spec.split("@", 1)[1].strip() if "@" in spec else ""
    git_url, git_rev = _git_parts(url)
    return InstallSpec(spec, git_url=git_url, git_rev=git_rev)


def running_spec() -> InstallSpec:
    """The spec the running install can be installed again from, where it can be known."""
    try:
        dist = metadata.distribution("runform")
    except metadata.PackageNotFoundError:
        return InstallSpec(None, "runform is not installed as a package here")
    raw = dist.read_text("direct_url.json")
    if raw is None:  # from a package index (a private one: runform is on no public index)
        return InstallSpec(f"runform=={__version__}")
    try:
        origin = json.loads(raw)
    except ValueError:
        return InstallSpec(None, "its install record (direct_url.json) is not JSON")
    return _from_direct_url(origin)


def _from_direct_url(origin: dict[str, object]) -> InstallSpec:
    url = str(origin.get("url") or "")
    vcs = origin.get("vcs_info")
    if isinstance(vcs, dict) and vcs.get("vcs") == "git" and vcs.get("commit_id"):
        commit = str(vcs["commit_id"])
        return InstallSpec(f"runform @ git+{url}@{commit}", git_url=url, git_rev=commit)
    if url.startswith("file:"):
        where = "a local directory" if "dir_info" in origin else "a local file"
        return InstallSpec(None, f"this runform was installed from {where} ({url})")
    archive = origin.get("archive_info")
    if isinstance(archive, dict):
        hashes = archive.get("hashes")
        digest = hashes.get("sha256") if isinstance(hashes, dict) else None
        return InstallSpec(f"runform @ {url}" + (f"#sha256={digest}" if digest else ""))
    return InstallSpec(None, f"its install record names {url or 'no URL'}")


def _git_parts(url: str) -> tuple[str | None, str | None]:
    """`git+https://host/repo.git@rev` -> (`https://host/repo.git`, `rev`)."""
    if not url.startswith("git+"):
        return None, None
    bare = url[len("git+") :].split("#", 1)[0]
    head, sep, rev = bare.rpartition("@")
    if not sep or "/" in rev or not head or head.endswith(":"):
        return bare, None  # no revision: pre-commit needs one, so none is offered
    return head, rev
