"""`runform.yaml`: project-wide defaults and variables, found at the project root."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, ValidationError

from runform.core.problems import definition_error
from runform.core.source import read_source
from runform.core.source_cache import SourceCache
from runform.providers.cutover.definitions.fieldtypes import ApiVersion, Text
from runform.providers.cutover.definitions.models import Spec
from runform.providers.cutover.definitions.policy_settings import PolicySettings
from runform.text.safe import quoted

PROJECT_FILE = "runform.yaml"
STATE_DIR = ".runform"
DEFAULT_RUNBOOK_DIR = "runbooks"


def _variable_text(value: object) -> object:
    """Variables are text: whole numbers and booleans read as written; quote other numbers."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        raise ValueError(f"{quoted(value)} reads as a number; quote it to keep it as written")
    return value


VariableValue = Annotated[str, BeforeValidator(_variable_text)]


class MarkdownSettings(Spec):
    """How `--format markdown` (the pull-request comment) is drawn."""

    graph: bool = Field(
        default=False,
        description=(
            "Add a Mermaid graph of each runbook's changed tasks with their direct "
            "predecessors and successors (dropped first when the comment would be too long)."
        ),
    )


class ProjectConfig(Spec):
    """Defaults for every runbook file in the project, and the variables files may use."""

    workspace: Text | None = Field(default=None, description="Default workspace key or name.")
    folder: Text | None = Field(default=None, description="Default folder name.")
    api_version: ApiVersion = Field(default="2022-02-22", description="Api-Version header pin.")
    api_url: str | None = Field(default=None, description="Cutover API base URL.")
    api_token_file: str | None = Field(
        default=None,
        description=(
            "File holding the API token, relative to runform.yaml (keep it out of Git); "
            "CUTOVER_API_TOKEN and CUTOVER_API_TOKEN_FILE win over it."
        ),
    )
    parallelism: int = Field(
        default=10,
        ge=1,
        le=100,
        description=(
            "API calls in flight at once: plan's reads and apply's writes (--parallelism wins)."
        ),
    )
    delete_limit_count: int = Field(
        default=10, ge=0, description="Refuse plans deleting more tasks than this..."
    )
    delete_limit_percent: int = Field(
        default=25, ge=0, le=100, description="...and more than this share of a runbook's tasks."
    )
    apply_comments: bool = Field(
        default=True,
        description=(
            "After each apply, add a comment to each runbook it changed (what changed, the "
            "reason given with `apply --message`, the git commit); false to add none."
        ),
    )
    variables: dict[str, VariableValue] = Field(
        default_factory=dict, description="Values for ${var.NAME} in runbook files."
    )
    base: str | None = Field(
        default=None,
        description=(
            "Git revision whose runbook files are the plan's base (`plan --base`): each field "
            "change is then the files', Cutover's (drift) or both (a conflict)."
        ),
    )
    policies: PolicySettings = Field(
        default_factory=PolicySettings,
        description="Policies checked against each plan: built-in rules and Rego files.",
    )
    markdown: MarkdownSettings = Field(
        default_factory=MarkdownSettings, description="The Markdown plan's options."
    )
    cycloid: dict[str, Any] | None = Field(
        default=None,
        description="Settings of the Cycloid provider (api_url, api_key_file, events), read by it.",
    )
    paths: list[Text] | None = Field(
        default=None,
        min_length=1,
        description=(
            "Where the runbook files are, relative to runform.yaml: files or directories "
            "(default: runbooks/ when it exists, else the project root)."
        ),
    )


def find_project_file(start: Path | None = None) -> Path | None:
    """The nearest runform.yaml in `start` or its parents, stopping at a Git root."""
    directory = (start or Path.cwd()).resolve()
    for candidate in (directory, *directory.parents):
        path = candidate / PROJECT_FILE
        if path.is_file():
            return path
        if (candidate / ".git").exists():
            return None
    return None


def project_root(start: Path | None = None) -> Path | None:
    """The directory of the nearest runform.yaml, as `.git` marks a repository; None outside."""
    path = find_project_file(start)
    return path.parent if path is not None else None


def state_directory(start: Path | None = None) -> Path:
    """`.runform/` (sandbox, journal, apply lock) at the project root, else here."""
    root = project_root(start)
    return Path(STATE_DIR) if root is None else Path(shown_path(root / STATE_DIR))


def shown_path(path: Path) -> str:
    """`path` relative to the working directory (as a user would name it), else whole."""
    try:
        return os.path.relpath(path, Path.cwd())
    except ValueError:  # on another drive
        return str(path)


def load_project(root: str | Path | None = None) -> ProjectConfig:
    """Read runform.yaml from `root` (a directory or the file) or the nearest one; else defaults."""
    if root is None:
        path = find_project_file()
    else:
        root = Path(root)
        path = root if root.is_file() else root / PROJECT_FILE
        if not path.is_file():
            return ProjectConfig()
    if path is None:
        return ProjectConfig()
    # Kept with the runbook files' parses (core.source_cache): then a plan of unchanged files
    # parses no YAML at all.
    source = read_source(path, cache=SourceCache(path.parent / STATE_DIR / "cache" / "sources"))
    if not isinstance(source.data, dict):
        raise definition_error([source.problem((), "runform.yaml must be a mapping of settings")])
    try:
        config = ProjectConfig.model_validate(source.data)
    except ValidationError as err:
        from runform.providers.cutover.definitions.schema_errors import validation_problems

        raise definition_error(
            validation_problems(err, ProjectConfig, source.data, source)
        ) from None
    if config.api_token_file:
        token_file = (path.parent / Path(config.api_token_file).expanduser()).resolve()
        config = config.model_copy(update={"api_token_file": str(token_file)})
    return config.model_copy(
        update={
            "paths": _runbook_paths(config.paths, path.resolve().parent),
            "policies": config.policies.model_copy(
                update={"dir": shown_path(path.resolve().parent / config.policies.dir)}
            ),
        }
    )


def _runbook_paths(written: list[str] | None, root: Path) -> list[str]:
    """The project's runbook paths, relative to the working directory (as files name them)."""
    if written is None:
        default = root / DEFAULT_RUNBOOK_DIR
        written = [DEFAULT_RUNBOOK_DIR] if default.is_dir() else ["."]
    return [shown_path(root / Path(entry).expanduser()) for entry in written]
