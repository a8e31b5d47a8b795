"""Load runbook files into RunbookTrees, collecting every problem before failing once."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from runform.core.problems import Problem, definition_error
from runform.core.source import MAX_FILE_BYTES, Source, parse_source, read_source
from runform.core.source_cache import SourceCache
from runform.core.steps import Steps, finish
from runform.errors import DefinitionError
from runform.providers.cutover.definitions.checks import (
    LoadedRunbook,
    check_duplicate_runbooks,
    check_runbook,
    check_runbook_renames,
)
from runform.providers.cutover.definitions.kept_trees import (
    Identity,
    KeptTrees,
    identity_of,
    may_conflict,
)
from runform.providers.cutover.definitions.models import RunbookCollection, RunbookDocument
from runform.providers.cutover.definitions.project import PROJECT_FILE, ProjectConfig, load_project
from runform.providers.cutover.definitions.schema_errors import validation_problems
from runform.providers.cutover.definitions.trees import build_tree
from runform.providers.cutover.definitions.variables import substitute
from runform.providers.cutover.state.shapes import RunbookTree
from runform.providers.registry import provider_of
from runform.text.safe import quoted

_SUFFIXES = (".yaml", ".yml")
RUNBOOK_KEYS = frozenset(("runbook", "runbooks"))
PROVIDER_NAME = "cutover"


@dataclass(frozen=True)
class Definitions:
    """Everything the files describe: one tree per runbook, in file order."""

    trees: list[RunbookTree]
    files: list[str] = field(default_factory=list)
    project: ProjectConfig = field(default_factory=ProjectConfig)
    skipped: list[str] = field(default_factory=list)


def discover_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[Problem]]:
    """Runbook files under the given paths (directories recursively), runform.yaml excluded."""
    found: list[Path] = []
    problems = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for candidate in sorted(path.rglob("*")):
                parts = candidate.relative_to(path).parts
                if any(part.startswith(".") for part in parts):
                    continue
                wanted = candidate.suffix in _SUFFIXES and candidate.name != PROJECT_FILE
                if wanted and candidate.is_file():
                    found.append(candidate)
        elif path.is_file():
            found.append(path)
        else:
            problems.append(Problem(str(path), 1, 1, "", "no such file or directory"))
    unique = list(dict.fromkeys(found))
    return unique, problems


NO_RUNBOOK_FILES = "no runbook files (*.yaml, *.yml) found"


def load_definitions(
    paths: Iterable[str | Path],
    variables: dict[str, str] | None = None,
    project: ProjectConfig | None = None,
    notice: Callable[[str], None] | None = None,
    cache: SourceCache | None = None,
    kept: KeptTrees | None = None,
) -> Definitions:
    """Read, validate and check every runbook file; raise DefinitionError listing all problems.

    A YAML file found in a directory that is not a runbook file (a mapping without `runbook:`
    or `runbooks:`, such as an mkdocs.yml) is skipped, with a `notice` naming it; one that
    belongs to another provider is skipped silently. A file named in `paths` is always read.
    `cache` keeps the files' parses between runs (runform.core.source_cache), `kept` their
    trees (`kept_trees`).
    """
    return finish(loading_definitions(paths, variables, project, notice, cache, kept))


def loading_definitions(
    paths: Iterable[str | Path],
    variables: dict[str, str] | None = None,
    project: ProjectConfig | None = None,
    notice: Callable[[str], None] | None = None,
    cache: SourceCache | None = None,
    kept: KeptTrees | None = None,
) -> Steps[Definitions]:
    """`load_definitions` as steps, one a file read and one a tree built (`core.steps`): a
    plan loads its files this way while the reads it made ahead are answered."""
    project = project if project is not None else load_project()
    values = {**project.variables, **(variables or {})}
    given = [str(path) for path in paths]
    files, problems = discover_files(given)
    named = {Path(path) for path in given if Path(path).is_file()}
    loaded_files: list[_LoadedFile] = []
    skipped: list[str] = []
    for path in files:
        yield
        raw = _small_file(path) if kept is not None else None
        key = found = None
        if kept is not None and raw is not None and b"${" not in raw:
            key = kept.key(str(path), raw, project)
            found = kept.get(key)
        if found is not None:
            loaded_files.append(_LoadedFile(str(path), None, [], found))
            continue
        try:
            # The bytes already read for the key are parsed, not read again.
            source = (
                read_source(path, cache=cache)
                if raw is None
                else parse_source(str(path), raw, cache=cache)
            )
        except DefinitionError as err:
            problems.extend(err.problems)
            continue
        if _another_providers(source.data):
            skipped.append(str(path))
            continue
        if path not in named and _not_a_runbook_file(source.data):
            skipped.append(str(path))
            if notice is not None:
                notice(f"skipped {path}: not a runbook file (no `runbook:` or `runbooks:` key)")
            continue
        file_problems, file_runbooks = _read_runbooks(source, values)
        problems += file_problems
        keep = None if source.has_placeholders else key
        if kept is not None and keep is not None:
            kept.missed()
        loaded_files.append(_LoadedFile(str(path), keep, file_runbooks, None))
    if not loaded_files and not problems:
        where = ", ".join(given) or "."
        problems.append(Problem(where, 1, 1, "", NO_RUNBOOK_FILES))
    runbooks = [loaded for file in loaded_files for loaded in file.loaded]
    for loaded in runbooks:
        problems += check_runbook(loaded)
    with_kept = any(file.trees is not None for file in loaded_files)
    if with_kept and (problems or may_conflict(_identities(loaded_files), project.workspace)):
        # Kept trees carry no parsed documents for the checks across files, so their
        # problems would go unsaid: load every file again, as if nothing were kept (the
        # files skipped are the same, and were announced already).
        return (yield from loading_definitions(given, variables, project, None, cache, None))
    problems += check_duplicate_runbooks(runbooks, project.workspace)
    problems += check_runbook_renames(runbooks, project.workspace)
    if problems:
        raise definition_error(problems)
    for file in loaded_files:
        if file.trees is None:
            yield
            file.trees = [build_tree(loaded, project) for loaded in file.loaded]
            if kept is not None and file.key is not None:
                kept.put(file.key, file.trees)
    trees = _trees_of(loaded_files)
    read = [file.name for file in loaded_files]
    return Definitions(trees=trees, files=read, project=project, skipped=skipped)


@dataclass
class _LoadedFile:
    """One runbook file read: its parsed documents, or its trees as kept (`kept_trees`)."""

    name: str
    key: str | None  # its kept-trees entry, when its trees may be kept
    loaded: list[LoadedRunbook]
    trees: list[RunbookTree] | None


def _trees_of(files: list[_LoadedFile]) -> list[RunbookTree]:
    """The trees known so far, in file order (a file not yet built has none)."""
    return [tree for file in files for tree in file.trees or ()]


def _identities(files: list[_LoadedFile]) -> list[Identity]:
    """Each runbook's workspace, name and `renamed_from`, kept or parsed (`may_conflict`)."""
    found = []
    for file in files:
        found += [identity_of(tree) for tree in file.trees or ()]
        for loaded in file.loaded:
            spec = loaded.document.runbook
            found.append((spec.workspace, spec.name, spec.renamed_from))
    return found


def _small_file(path: Path) -> bytes | None:
    """A file's bytes for its kept-trees key: None when it cannot be read or is too large
    (reading it as a source then says why). A file with `${...}` placeholders (as
    `Source.has_placeholders` finds them) is read but never looked for: its trees are never
    kept."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return None
        return path.read_bytes()
    except OSError:
        return None


def not_cutovers(path: Path) -> bool | None:
    """Whether a file found in a directory is not Cutover's: True for another provider's file
    (skipped silently), False for YAML that is no runbook file (skipped with a notice), None
    for a runbook file, or one too broken to tell (read, so its problems are reported)."""
    try:
        data = read_source(path).data
    except DefinitionError:
        return None
    if _another_providers(data):
        return True
    return False if _not_a_runbook_file(data) else None


def _another_providers(data: object) -> bool:
    """A file for another installed provider (by its top-level keys): not Cutover's to read."""
    if not isinstance(data, dict) or RUNBOOK_KEYS & set(data):
        return False
    info = provider_of(data)
    return info is not None and info.name != PROVIDER_NAME


def _not_a_runbook_file(data: object) -> bool:
    """A YAML mapping without `runbook:`/`runbooks:` or a key that looks like a misspelling of
    them; anything else (a list, a `runboks:`) is a runbook file to refuse with its message."""
    if not isinstance(data, dict) or RUNBOOK_KEYS & set(data):
        return False
    return _nearest_top_key(data) is None


def _read_runbooks(
    source: Source, values: dict[str, str]
) -> tuple[list[Problem], list[LoadedRunbook]]:
    """Validate one file's data against the models."""
    problems = substitute(source, values)
    if problems:
        return problems, []
    data = source.data
    if not isinstance(data, dict) or not (RUNBOOK_KEYS & set(data)):
        found = "a mapping without them" if isinstance(data, dict) else _kind(data)
        guess = _nearest_top_key(data) if isinstance(data, dict) else None
        if guess is not None:
            key, meant = guess
            message = f"unknown key {quoted(key)}; did you mean {quoted(meant)}? ({TOP_HELP})"
            return [source.problem((key,), message)], []
        return [source.problem((), f"expected {TOP_HELP}, found {found}")], []
    if "runbook" in data and "runbooks" in data:
        return [
            source.problem(
                ("runbooks",), f"a file has `runbook:` or `runbooks:`, not both ({TOP_HELP})"
            )
        ], []
    if "runbooks" in data:
        model: type[RunbookCollection] | type[RunbookDocument] = RunbookCollection
    else:
        model = RunbookDocument
    try:
        parsed = model.model_validate(data)
    except ValidationError as err:
        return validation_problems(err, model, data, source), []
    if isinstance(parsed, RunbookCollection):
        return [], [
            LoadedRunbook(document, source, ("runbooks", index))
            for index, document in enumerate(parsed.runbooks)
        ]
    return [], [LoadedRunbook(parsed, source, ())]


TOP_HELP = "a mapping with `runbook:` (one runbook) or `runbooks:` (a list of them)"


def _nearest_top_key(data: dict[object, object]) -> tuple[str, str] | None:
    """A top-level key that looks like a misspelt `runbook`/`runbooks`, and which one."""
    for key in data:
        if isinstance(key, str):
            close = difflib.get_close_matches(key, ["runbook", "runbooks"], n=1, cutoff=0.7)
            if close:
                return key, close[0]
    return None


def _kind(value: object) -> str:
    if isinstance(value, list):
        return "a list"
    return f"the value {quoted(value)}"
