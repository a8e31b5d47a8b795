"""Making a plan: resolve the files, read only the live runbooks they name, diff, check limits.

The one place where definitions, live state and the planner meet; each stage is a small
function so `apply` can re-plan a subset of runbooks after an ambiguous write.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from runform import __version__
from runform.errors import ResolveError
from runform.providers.cutover.api.client import CutoverClient
from runform.providers.cutover.live.archived import ArchivedRunbooks
from runform.providers.cutover.live.fetch import (
    RunbookIndex,
    RunbookRead,
    find_runbook_rows,
    find_template,
    index_runbooks,
    list_templates,
    live_of,
)
from runform.providers.cutover.live.lookups import Lookups
from runform.providers.cutover.live.resolve import links_in, resolve_links, resolve_tree
from runform.providers.cutover.plan.archive import (
    already_archived,
    plan_archive,
    with_archived_namesake,
)
from runform.providers.cutover.plan.attribution import attribute_all
from runform.providers.cutover.plan.deletes import blocked_by_deletes
from runform.providers.cutover.plan.diff import diff_runbook
from runform.providers.cutover.plan.fingerprint import Prints, fingerprint_of, with_absent
from runform.providers.cutover.plan.kept import KeptDiffs
from runform.providers.cutover.plan.model import Plan, RunbookPlan
from runform.providers.cutover.plan.options import PlanOptions
from runform.providers.cutover.plan.sources import classify_all
from runform.providers.cutover.plan.targets import check_targets, runbook_selected, select_changes
from runform.providers.cutover.state.shapes import CopySpec, LiveRunbook, RunbookTree


async def make_plan(
    client: CutoverClient,
    definitions: Any,
    options: PlanOptions | None = None,
    *,
    lookups: Lookups | None = None,
    base: Any = None,
    known: dict[str, LiveRunbook] | None = None,
    kept: KeptDiffs | None = None,
) -> tuple[Plan, Lookups]:
    """The plan for `definitions` (a Definitions or a list of RunbookTree) against Cutover.

    `known` maps runbook names to their live state as just read (apply's re-read after a
    doubtful write): those are not looked up and read again. `kept` holds runbook plans of
    earlier runs, found again by everything they were made from (`plan.kept`).

    `options.runbooks` limits the plan to runbooks of those names; pass `lookups` to reuse a
    directory already read (a re-plan during apply); `base` (the files at a git revision, as
    definitions) says who moved each field (`runform.providers.cutover.plan.sources`), and
    Cutover's action logs, where it has them, who in Cutover and when (`plan.attribution`).
    """
    return await _make_plan(client, definitions, options, lookups, base, known or {}, kept)


async def _make_plan(
    client: CutoverClient,
    definitions: Any,
    options: PlanOptions | None,
    lookups: Lookups | None,
    base: Any = None,
    known: dict[str, LiveRunbook] | None = None,
    kept: KeptDiffs | None = None,
) -> tuple[Plan, Lookups]:
    known = known or {}
    options = options or PlanOptions()
    trees = select_trees(_trees_of(definitions), options)
    if options.destroy:
        trees = [t.model_copy(update={"archived": True}) for t in trees]
    index: RunbookIndex | None = None
    if lookups is None:
        workspaces = {t.runbook.workspace for t in trees if t.runbook.workspace}
        directory = await Lookups.fetch_directory(client)
        # Folders and the runbook index need only the workspaces: one round trip, not two.
        read_lookups, index = await asyncio.gather(
            directory.with_folders(client, workspaces or None),
            index_runbooks(client, directory, _indexed_workspaces(trees, directory)),
        )
        lookups = read_lookups  # narrowed (mypy narrows no name unpacked from a tuple)
    default_type = lookups.default("task_type")
    options = options.model_copy(
        update={
            "default_durations": {**lookups.default_durations(), **options.default_durations},
            "default_task_type": options.default_task_type
            or (default_type.name if default_type else None),
        }
    )
    trees = resolve_trees(trees, lookups)
    if links_in(trees):
        trees = resolve_links(trees, await list_templates(client), lookups)
    if index is None and any(t.runbook.name not in known for t in trees):
        index = await index_runbooks(client, lookups, _indexed_workspaces(trees, lookups))
    # Templates are read while the runbooks are: only a runbook's diff waits for them.
    copying = [t for t in trees if not t.archived]  # an archive copies nothing
    reading_templates = asyncio.ensure_future(fetch_templates(client, lookups, copying))
    reading_templates.add_done_callback(_retrieve)
    archived = ArchivedRunbooks(client, lookups, _indexed_workspaces(trees, lookups))

    async def read_and_diff(tree: RunbookTree) -> tuple[Prints | None, RunbookPlan]:
        # Each runbook is diffed as soon as it is read, while the others are still arriving,
        # and only its fingerprint is kept of it: a plan of many runbooks never holds all of
        # their live states at once.
        live = known.get(tree.runbook.name)
        if live is not None:
            return fingerprint_of([live]), await diff_live(tree, live)
        read = await find_runbook_rows(client, lookups, tree, index, forecast=options.forecast)
        if read is None:
            return None, await diff_live(tree, None)
        if kept is None or not kept.usable(tree):
            return await diff_read(tree, read)
        template = _template_of(await reading_templates, tree)
        key = kept.key(tree, read, template, options, lookups)
        found = kept.get(key)
        if found is not None:
            return found  # its task rows are never decoded
        prints, plan = await diff_read(tree, read)
        if kept.keepable(read):
            kept.put(key, prints, plan)
        return prints, plan

    async def diff_read(tree: RunbookTree, read: RunbookRead) -> tuple[Prints, RunbookPlan]:
        live = await live_of(client, lookups, read)
        return fingerprint_of([live]), await diff_live(tree, live)

    async def diff_live(tree: RunbookTree, live: LiveRunbook | None) -> RunbookPlan:
        # Not live: perhaps archived (listed only when some runbook is not found live).
        namesake = await archived.find(tree) if live is None else None
        if tree.archived:
            if live is not None:
                return plan_archive(tree, live)
            return already_archived(tree, namesake)
        template = _template_of(await reading_templates, tree)
        plan = diff_runbook(tree, live, template, options)
        if namesake is not None:
            plan = with_archived_namesake(plan, tree, namesake)
        return plan

    try:
        results = await asyncio.gather(*(read_and_diff(t) for t in trees))
        templates = await reading_templates
    finally:
        reading_templates.cancel()  # only when a runbook failed first; harmless once done
    prints = [found for found, _ in results]
    runbooks = [runbook for _, runbook in results]
    if base is not None:
        runbooks = classify_all(runbooks, resolved_base(_trees_of(base), lookups))
        runbooks = await attribute_all(client, runbooks, lookups)
    runbooks = select_changes(runbooks, options.targets, options.excludes)
    blocked = blocked_by_deletes(runbooks, options)
    absent = [
        (t.runbook.workspace, t.runbook.name)
        for t, found in zip(trees, prints, strict=True)
        if found is None
    ]
    read: Prints = {}
    for found in prints:
        read.update(found or {})
    read.update(fingerprint_of(templates.values()))
    plan = Plan(
        runform_version=__version__,
        created_at=datetime.now(UTC).replace(microsecond=0).isoformat(),
        target=str(getattr(client, "target", "")),
        roots=runbooks,
        fingerprint=with_absent(read, absent),
        definitions_digest=definitions_digest(trees),
        blocked=blocked,
    )
    return plan, lookups


def _indexed_workspaces(trees: Sequence[RunbookTree], lookups: Lookups) -> set[str]:
    """The known workspaces whose runbooks a plan may match by name (unknown ones are
    reported by name resolution, all together)."""
    named = {t.runbook.workspace for t in trees if t.runbook.workspace and not t.pinned_id}
    return {w for w in named if lookups.find("workspace", w)}


def _retrieve(task: asyncio.Future[Any]) -> None:
    """Mark a background read's failure as seen when a runbook's failure was raised first."""
    if not task.cancelled():
        task.exception()


def _trees_of(definitions: Any) -> list[RunbookTree]:
    trees = getattr(definitions, "trees", definitions)
    return list(trees)


def select_trees(trees: Sequence[RunbookTree], options: PlanOptions) -> list[RunbookTree]:
    """The trees a plan covers: named ones (`options.runbooks`), then targeted ones."""
    chosen = [t for t in trees if options.runbooks is None or t.runbook.name in options.runbooks]
    check_targets([t.runbook.name for t in chosen], options.targets, options.excludes)
    return [
        t for t in chosen if runbook_selected(t.runbook.name, options.targets, options.excludes)
    ]


def resolved_base(trees: Sequence[RunbookTree], lookups: Lookups) -> list[RunbookTree]:
    """The base's trees resolved like the files' (a base naming what no longer exists in
    Cutover is left out: its runbook's changes are then all the files' doing)."""
    resolved = []
    for tree in trees:
        try:
            resolved.append(resolve_tree(tree, lookups))
        except ResolveError:
            continue
    return resolved


def resolve_trees(trees: Sequence[RunbookTree], lookups: Lookups) -> list[RunbookTree]:
    """Every tree resolved; all unknown names of all trees are reported together."""
    resolved, problems = [], []
    for tree in trees:
        try:
            resolved.append(resolve_tree(tree, lookups))
        except ResolveError as err:
            problems.append(str(err))
    if problems:
        raise ResolveError("\n".join(problems))
    return resolved


def _template_key(tree: RunbookTree) -> tuple[str, str] | None:
    copy = tree.copy_from
    if copy is None:
        return None
    return (copy.template_id or "", "" if copy.template_id else copy.template)


def _template_of(
    templates: dict[tuple[str, str], LiveRunbook], tree: RunbookTree
) -> LiveRunbook | None:
    """The template `tree` copies from, as `fetch_templates` read it (None: it copies none)."""
    key = _template_key(tree)
    return None if key is None else templates.get(key)


async def fetch_templates(
    client: CutoverClient, lookups: Lookups, trees: Sequence[RunbookTree]
) -> dict[tuple[str, str], LiveRunbook]:
    """Each template the trees copy from, read once."""
    specs: dict[tuple[str, str], tuple[CopySpec, str | None]] = {}
    for tree in trees:
        key = _template_key(tree)
        if key is not None and key not in specs and tree.copy_from is not None:
            specs[key] = (tree.copy_from, tree.runbook.workspace)
    found = await asyncio.gather(
        *(find_template(client, lookups, spec, workspace) for spec, workspace in specs.values())
    )
    return dict(zip(specs, found, strict=True))


def definitions_digest(trees: Sequence[RunbookTree]) -> str:
    """A digest of what the files asked for (source positions left out).

    Each tree's JSON is written by pydantic's serializer, in the models' field order: a fifth
    of the time of dumping to Python and sorting keys (12 against 62-98 ms for 10,000 tasks),
    and as stable, since nothing compares digests made by two runform versions."""
    digest = hashlib.sha256()
    for tree in trees:
        digest.update(tree.model_dump_json(exclude={"source"}, exclude_unset=True).encode())
        digest.update(b"\n")
    return "sha256:" + digest.hexdigest()
