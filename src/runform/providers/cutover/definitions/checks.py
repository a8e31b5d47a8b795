"""Offline checks across a runbook's fields, streams and tasks, and across runbooks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from runform.core.problems import Path, Problem
from runform.core.source import Source
from runform.providers.cutover.definitions.cycles import find_cycles
from runform.providers.cutover.definitions.models import RunbookDocument, StreamSpec, TaskSpec
from runform.providers.cutover.definitions.times import check_times
from runform.text.safe import choices_text, quoted
from runform.text.suggest import Suggester

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug(name: str) -> str:
    """The default key of a task: its name in lower case with dashes."""
    return _NOT_SLUG.sub("-", name.lower()).strip("-")


@dataclass
class LoadedRunbook:
    """A validated runbook document and where it came from."""

    document: RunbookDocument
    source: Source
    base: Path  # () for `runbook:` files, ("runbooks", i) in collections

    def problem(self, path: Path, message: str) -> Problem:
        return self.source.problem(self.base + path, message)

    @property
    def has_template(self) -> bool:
        return self.document.runbook.template is not None

    @cached_property
    def keys(self) -> dict[str, str]:
        """The document's key_index, made once: the checks and the tree all resolve keys."""
        return key_index(self.document)

    @cached_property
    def names(self) -> set[str]:
        """The names of the document's tasks."""
        return {task.name for task in self.document.tasks}


def key_index(document: RunbookDocument) -> dict[str, str]:
    """Task keys to task names: explicit keys first, then default slugs that are unambiguous."""
    keys: dict[str, str] = {}
    for task in document.tasks:
        if task.key is not None:
            keys.setdefault(task.key, task.name)
    slugs: dict[str, list[str]] = {}
    for task in document.tasks:
        if task.key is None:
            slugs.setdefault(slug(task.name), []).append(task.name)
    for key, names in slugs.items():
        if len(names) == 1 and key not in keys:
            keys[key] = names[0]
    return keys


def resolve_after(reference: str, keys: dict[str, str], names: set[str]) -> str | None:
    """The task name an `after:` entry means, or None when nothing in the file matches."""
    if reference in keys:
        return keys[reference]
    if reference in names:
        return reference
    return None


def check_runbook(loaded: LoadedRunbook) -> list[Problem]:
    """Every offline problem in one runbook."""
    problems = check_times(loaded)
    problems += _check_streams(loaded)
    problems += _check_tasks(loaded)
    return problems


def _check_streams(loaded: LoadedRunbook) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, Path] = {}
    renames: list[tuple[Path, str, str]] = []
    _visit_streams(loaded, loaded.document.streams, ("streams",), 0, (problems, seen, renames))
    claims = [(loaded, path, name, old) for path, name, old in renames]
    return problems + _rename_problems("stream", claims, set(seen))


_StreamsSeen = tuple[list[Problem], dict[str, Path], list[tuple[Path, str, str]]]


def _visit_streams(
    loaded: LoadedRunbook, streams: list[StreamSpec], path: Path, depth: int, found: _StreamsSeen
) -> None:
    """Streams and their substreams, depth first. A function of its own, not a closure: a
    closure that calls itself is a reference cycle, which would keep the whole loaded file
    alive until the garbage collector runs."""
    problems, seen, renames = found
    for index, stream in enumerate(streams):
        here = (*path, index)
        if stream.renamed_from is not None:
            renames.append(((*here, "renamed_from"), stream.name, stream.renamed_from))
        if stream.name in seen:
            problems.append(
                loaded.problem((*here, "name"), f"duplicate stream name {quoted(stream.name)}")
            )
        seen.setdefault(stream.name, here)
        if stream.streams:
            if depth >= 1:
                problems.append(
                    loaded.problem(
                        (*here, "streams"),
                        "too deep: a substream cannot have substreams "
                        "(Cutover allows one level under a top-level stream)",
                    )
                )
            _visit_streams(loaded, stream.streams, (*here, "streams"), depth + 1, found)


def stream_names(document: RunbookDocument) -> list[str]:
    """All stream names in the file, substreams included."""
    names: list[str] = []
    pending = list(reversed(document.streams))  # depth first, in file order; no closure cycle
    while pending:
        stream = pending.pop()
        names.append(stream.name)
        pending += reversed(stream.streams or [])
    return names


def _check_tasks(loaded: LoadedRunbook) -> list[Problem]:
    document = loaded.document
    problems: list[Problem] = []
    names_seen: set[str] = set()
    keys_seen: set[str] = set()
    streams = set(stream_names(document))
    stream_choices = Suggester(streams)
    for index, task in enumerate(document.tasks):
        path = ("tasks", index)
        if task.name in names_seen:
            problems.append(
                loaded.problem((*path, "name"), f"duplicate task name {quoted(task.name)}")
            )
        names_seen.add(task.name)
        if task.key is not None:
            if task.key in keys_seen:
                problems.append(
                    loaded.problem((*path, "key"), f"duplicate task key {quoted(task.key)}")
                )
            keys_seen.add(task.key)
        if task.absent:
            problems += _check_absent(loaded, task, path)
        problems += _check_links(loaded, task, path)
        if task.stream is not None and task.stream not in streams and not loaded.has_template:
            problems.append(
                loaded.problem(
                    (*path, "stream"),
                    f"unknown stream {quoted(task.stream)}{_choices(task.stream, stream_choices)}",
                )
            )
    problems += _check_renames(loaded, names_seen)
    problems += _check_after(loaded)
    problems += _check_rto(loaded)
    return problems


def _check_links(loaded: LoadedRunbook, task: TaskSpec, path: Path) -> list[Problem]:
    """A linking task names its type (the one with key `linked`, checked at plan time) and
    carries the template's name, which Cutover gives it."""
    if not task.links:
        return []
    problems = []
    if task.type is None:
        problems.append(
            loaded.problem(
                (*path, "links"),
                "a task with links needs `type:` the task type with key `linked` (choices: linked)",
            )
        )
    template = task.links[0].template
    if task.name != template:
        problems.append(
            loaded.problem(
                (*path, "name"),
                f"a task linking template {quoted(template)} takes its name: name the task "
                f"{quoted(template)}",
            )
        )
    return problems


def _check_rto(loaded: LoadedRunbook) -> list[Problem]:
    """The RTO's tasks name tasks of the file (or, with a template, perhaps of the template)."""
    document = loaded.document
    rto = document.runbook.rto
    if rto is None:
        return []
    keys = loaded.keys
    names = loaded.names
    absent = {task.name for task in document.tasks if task.absent}
    problems = []
    for end in ("start", "end"):
        reference = getattr(rto, end)
        path = ("runbook", "rto", end)
        target = resolve_after(reference, keys, names)
        if target in absent:
            problems.append(
                loaded.problem(path, f"the RTO's {end} task {quoted(reference)} is marked absent")
            )
        elif target is None and not loaded.has_template:
            choices = _choices(reference, Suggester(set(keys) | names))
            problems.append(loaded.problem(path, f"unknown task key {quoted(reference)}{choices}"))
    return problems


def _check_renames(loaded: LoadedRunbook, names: set[str]) -> list[Problem]:
    """`renamed_from` must name a task no longer listed, and only one task may claim it."""
    renames = [
        (("tasks", index, "renamed_from"), task.name, task.renamed_from)
        for index, task in enumerate(loaded.document.tasks)
        if task.renamed_from is not None
    ]
    return _rename_problems("task", [(loaded, *rename) for rename in renames], names)


# (the runbook it is written in, where, the new name, the old name)
Rename = tuple[LoadedRunbook, Path, str, str]


def _rename_problems(kind: str, renames: list[Rename], names: set[str]) -> list[Problem]:
    """Each rename must be from a name no longer listed, and each old name claimed once."""
    problems: list[Problem] = []
    claimed: dict[str, str] = {}
    for loaded, path, name, old in renames:
        if old == name:
            problems.append(loaded.problem(path, f"{kind} {quoted(name)} is renamed from itself"))
        elif old in names:
            problems.append(
                loaded.problem(
                    path,
                    f"{kind} {quoted(name)} is renamed from {quoted(old)}, "
                    f"but {quoted(old)} is still listed (remove that entry, or drop renamed_from)",
                )
            )
        elif old in claimed:
            problems.append(
                loaded.problem(
                    path,
                    f"{kind}s {quoted(claimed[old])} and {quoted(name)} "
                    f"are both renamed from {quoted(old)}",
                )
            )
        claimed.setdefault(old, name)
    return problems


def _check_absent(loaded: LoadedRunbook, task: TaskSpec, path: Path) -> list[Problem]:
    problems = []
    if not loaded.has_template:
        problems.append(
            loaded.problem(
                (*path, "absent"),
                "`absent: true` removes a task the template brings; this runbook has no template "
                "(to delete a task, remove its entry)",
            )
        )
    extra = sorted(task.model_fields_set - {"name", "key", "absent"})
    if extra:
        problems.append(
            loaded.problem(
                (*path, extra[0]),
                f"an `absent: true` entry takes only `name` (remove {', '.join(extra)})",
            )
        )
    return problems


def _check_after(loaded: LoadedRunbook) -> list[Problem]:
    document = loaded.document
    keys = loaded.keys
    names = loaded.names
    problems = []
    graph: dict[str, list[str]] = {}
    where: dict[str, int] = {}
    references: Suggester | None = None
    for index, task in enumerate(document.tasks):
        where.setdefault(task.name, index)
        for position, reference in enumerate(task.after or []):
            target = keys.get(reference)  # resolve_after, inline: a plan checks 10,000 tasks
            if target is None and reference in names:
                target = reference
            if target is not None:
                graph.setdefault(task.name, []).append(target)
            elif not loaded.has_template:
                references = references or Suggester(set(keys) | names)
                problems.append(
                    loaded.problem(
                        ("tasks", index, "after", position),
                        f"unknown task key {quoted(reference)}{_choices(reference, references)}",
                    )
                )
    for cycle in find_cycles(graph):
        shown = " → ".join([*cycle, cycle[0]])
        problems.append(
            loaded.problem(("tasks", where[cycle[0]], "after"), f"predecessor cycle: {shown}")
        )
    return problems


def _choices(value: str, known: Suggester) -> str:
    """A suggestion for a typo, and the choices when there are few."""
    close = known.best(value)
    text = f"; did you mean {quoted(close)}?" if close else ""
    if 0 < len(known.candidates) <= 10:
        text += f" (choices: {choices_text(known.candidates)})"
    elif not known.candidates:
        text += " (none are defined in this file)"
    return text


def check_duplicate_runbooks(
    runbooks: list[LoadedRunbook], default_workspace: str | None
) -> list[Problem]:
    """Two files describing the same (workspace, name) would fight over one live runbook."""
    first: dict[tuple[str, str], LoadedRunbook] = {}
    problems = []
    for loaded in runbooks:
        runbook = loaded.document.runbook
        workspace = (runbook.workspace or default_workspace or "").casefold()
        identity = (workspace, runbook.name.casefold())
        if identity in first:
            other = first[identity]
            line, column = other.source.position((*other.base, "runbook", "name"))
            problems.append(
                loaded.problem(
                    ("runbook", "name"),
                    f"duplicate runbook {quoted(runbook.name)} in workspace "
                    f"{quoted(runbook.workspace or default_workspace or '(default)')}; "
                    f"also at {other.source.name}:{line}:{column}",
                )
            )
        else:
            first[identity] = loaded
    return problems


def check_runbook_renames(
    runbooks: list[LoadedRunbook], default_workspace: str | None
) -> list[Problem]:
    """A runbook's `renamed_from`, per workspace, as for streams and tasks: not its own name,
    not a runbook the files still list, not claimed by two runbooks."""
    by_workspace: dict[str, list[LoadedRunbook]] = {}
    for loaded in runbooks:
        workspace = loaded.document.runbook.workspace or default_workspace or ""
        by_workspace.setdefault(workspace.casefold(), []).append(loaded)
    problems = []
    for listed in by_workspace.values():
        renames: list[Rename] = [
            (loaded, ("runbook", "renamed_from"), spec.name, spec.renamed_from)
            for loaded in listed
            if (spec := loaded.document.runbook).renamed_from is not None
        ]
        names = {loaded.document.runbook.name for loaded in listed}
        problems += _rename_problems("runbook", renames, names)
    return problems
