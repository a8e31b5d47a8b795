"""`runform init`: the files a new runbooks-as-code project starts with."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from runform.errors import RunformError
from runform.install_spec import InstallSpec, running_spec
from runform.providers.cutover.definitions.schema import schema_texts
from runform.providers.cutover.export.values import text
from runform.providers.cutover.scaffold.ci import (
    PIPELINES,
    header,
    install_block,
    pre_commit_config,
)

_SIMPLE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9 _.-]*[A-Za-z0-9_.]|[A-Za-z0-9_]")

# Target path in the project -> template file shipped in runform/scaffold/files.
PROJECT_FILES = {
    "runform.yaml": "runform.yaml",
    "runbooks/README.md": "runbooks-README.md",
    ".pre-commit-config.yaml": "pre-commit-config.yaml",
    ".gitignore": "gitignore",
}


@dataclass
class ScaffoldResult:
    """What `scaffold_project` wrote and what it left alone because it already existed."""

    written: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)
    spec: InstallSpec | None = None  # how the pipelines install runform


def project_file_text(template: str, workspace: str) -> str:
    """One scaffold file's text, with the project's workspace filled in."""
    raw = resources.files(__package__).joinpath("files", template).read_text(encoding="utf-8")
    return raw.replace("__WORKSPACE__", _yaml_scalar(workspace))


def pipeline_text(template: str, ci: str, spec: InstallSpec) -> str:
    """One CI file's text, installing runform from `spec` (or failing plainly without one)."""
    raw = resources.files(__package__).joinpath("files", template).read_text(encoding="utf-8")
    return raw.replace("__HEADER__", header(ci)).replace("__INSTALL__", install_block(ci, spec))


def scaffold_project(
    root: Path,
    *,
    workspace: str = "default",
    force: bool = False,
    ci: str = "github",
    spec: InstallSpec | None = None,
) -> ScaffoldResult:
    """Write the project files under `root`; existing files are kept unless `force`.

    `ci` picks the pipelines (github, gitlab, none); they install runform from `spec`, by
    default the running install's own (`runform.install_spec.running_spec`)."""
    if root.exists() and not root.is_dir():
        raise RunformError(f"{root} exists and is not a directory")
    if ci not in PIPELINES:
        raise RunformError(f"--ci {ci!r}: choose one of {', '.join(PIPELINES)}")
    spec = spec or running_spec()
    result = ScaffoldResult(spec=spec if PIPELINES[ci] else None)
    texts = {
        target: project_file_text(template, workspace) for target, template in PROJECT_FILES.items()
    }
    texts.update(
        {target: pipeline_text(template, ci, spec) for target, template in PIPELINES[ci].items()}
    )
    hooks_from_repository = pre_commit_config(spec)
    if hooks_from_repository is not None:
        texts[".pre-commit-config.yaml"] = hooks_from_repository
    # The JSON Schemas the files' `$schema` comments point at, for editors.
    texts.update({f"schemas/{name}": text for name, text in schema_texts().items()})
    for target, content in texts.items():
        path = root / target
        if path.exists() and not force:
            result.kept.append(path)
            continue
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
        except OSError as err:
            raise RunformError(f"cannot write {path}: {err.strerror or err}") from err
        result.written.append(path)
    return result


def _yaml_scalar(value: str) -> str:
    """`value` as a one-line YAML scalar: plain when it is a simple word, else double-quoted."""
    if _SIMPLE.fullmatch(value) and text(value) is value:
        return value
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML scalar
