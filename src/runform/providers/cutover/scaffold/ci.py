"""The CI pipelines `runform init --ci` writes: which files, and how they install runform."""

from __future__ import annotations

from runform import __version__
from runform.install_spec import InstallSpec

# --ci choice -> target path in the project -> template file in scaffold/files.
PIPELINES: dict[str, dict[str, str]] = {
    "github": {
        ".github/workflows/runform-plan.yml": "github-plan.yml",
        ".github/workflows/runform-apply.yml": "github-apply.yml",
    },
    "gitlab": {".gitlab-ci.yml": "gitlab-ci.yml"},
    "none": {},
}


def header(ci: str) -> str:
    return f"runform {__version__} wrote this file (`runform init --ci {ci}`)."


def install_block(ci: str, spec: InstallSpec) -> str:
    """The step (GitHub) or `before_script` lines (GitLab) that install this runform."""
    if spec.spec is not None:
        command = f"python -m pip install '{spec.spec}'"
        if ci == "github":
            return f"      - name: Install runform {__version__}\n        run: {command}"
        return f"    - {command}"
    # No spec a runner can use: say so where the install would be, and fail there plainly.
    why = spec.unknown or "its origin is unknown"
    note = [
        "runform's install spec could not be known when these files were written:",
        f"{why}.",
        f"Set it with `runform init --ci {ci} --runform-spec SPEC --force` (a git URL with a",
        "tag, or a wheel's URL), or write it in the install line below.",
    ]
    fail = "echo 'set the runform install spec (see the comment above)' >&2; exit 1"
    if ci == "github":
        comments = "\n".join(f"      # {line}" for line in note)
        return f"{comments}\n      - name: Install runform\n        run: {fail}"
    comments = "\n".join(f"    # {line}" for line in note)
    return f"{comments}\n    - {fail}"


def pre_commit_config(spec: InstallSpec) -> str | None:
    """A config that takes the hooks from runform's own repository at the installed revision,
    when the spec names one (else None: the scaffold's local hooks are written)."""
    if spec.git_url is None or spec.git_rev is None:
        return None
    return (
        "# pre-commit hooks: keep runbook files tidy and valid before they are committed.\n"
        "# Install once with `pre-commit install`. The hooks come from runform's repository,\n"
        "# at the revision these files were written with.\n"
        "repos:\n"
        f"  - repo: {spec.git_url}\n"
        f"    rev: {spec.git_rev}\n"
        "    hooks:\n"
        "      - id: runform-fmt\n"
        "      - id: runform-validate\n"
    )
