"""Desired trees with every reference in canonical-name space, checked against Cutover."""

from __future__ import annotations

from typing import Any

from runform.errors import ResolveError
from runform.providers.cutover.live.lookups import Lookups
from runform.providers.cutover.state.shapes import Assignee, RunbookTree, TaskLink, TaskState
from runform.text.safe import choices_text, shown


def resolve_tree(tree: RunbookTree, lookups: Lookups) -> RunbookTree:
    """The tree with workspace, folder, types, teams, users and custom fields canonical.

    Every unknown name in the tree is reported at once, each with its choices.
    """
    problems: list[str] = []

    def resolve(kind: str, ref: Any, workspace: str | None = None) -> Any:
        if ref is None:
            return None
        try:
            return lookups.resolve(kind, ref, workspace)
        except ResolveError as err:
            problems.append(str(err))
            return ref

    runbook = tree.runbook
    update: dict[str, Any] = {}
    fields = runbook.model_fields_set
    workspace = None
    if "workspace" in fields:
        workspace = update["workspace"] = resolve("workspace", runbook.workspace)
    elif tree.pinned_id is None:
        problems.append("no workspace: set `workspace:` in the file or in runform.yaml")
    if "folder" in fields and runbook.folder is not None:
        if workspace is None:
            problems.append("a folder needs a workspace (set `workspace:`)")
        else:
            update["folder"] = resolve("folder", runbook.folder, workspace)
    if "type" in fields:
        update["type"] = resolve("runbook_type", runbook.type)
    if runbook.custom_fields:
        update["custom_fields"] = _custom_fields(runbook.custom_fields, resolve)
    where = tree.where()
    problems[:] = [f"{where}: {problem}" for problem in problems]
    tasks = []
    for task in tree.tasks:
        before = len(problems)
        tasks.append(_resolve_task(task, resolve))
        if len(problems) > before:  # the prefix is built only for a task with problems
            at = f'{tree.where(task.name)}: task "{shown(task.name)}"'
            problems[before:] = [f"{at}: {problem}" for problem in problems[before:]]
    if problems:
        unique = list(dict.fromkeys(problems))
        raise ResolveError(f'runbook "{shown(runbook.name)}" ({where}):\n  ' + "\n  ".join(unique))
    update_tree = {"runbook": runbook.model_copy(update=update), "tasks": tuple(tasks)}
    return tree.model_copy(update=update_tree)


def _resolve_task(task: TaskState, resolve: Any) -> TaskState:
    update: dict[str, Any] = {}
    if task.type is not None:
        update["type"] = resolve("task_type", task.type)
    if task.assignees:
        update["assignees"] = tuple(
            Assignee(kind=a.kind, name=resolve("team" if a.kind == "team" else "user", a.name))
            for a in task.assignees
        )
    if task.custom_fields:
        update["custom_fields"] = _custom_fields(task.custom_fields, resolve)
    return task.model_copy(update=update) if update else task


def _custom_fields(values: dict[str, Any], resolve: Any) -> dict[str, Any]:
    return {resolve("custom_field", name): value for name, value in values.items()}


LINKED_TASK_TYPE = "linked"  # the key of the task type a runbook link needs (Round 2)


def links_in(trees: Any) -> bool:
    """Whether any task of the trees links a template (the plan then lists the templates)."""
    return any(task.links for tree in trees for task in tree.tasks)


def resolve_links(trees: list[RunbookTree], templates: list[Any], lookups: Lookups) -> list[Any]:
    """The trees with each task link's template id filled in from the template listing, and
    every linking task checked to be of the task type keyed `linked`; all problems at once."""
    by_name: dict[str, list[Any]] = {}
    for row in templates:
        by_name.setdefault(str(row.attributes.get("name") or ""), []).append(row)
    problems: list[str] = []
    resolved = []
    for tree in trees:
        tasks = []
        for task in tree.tasks:
            if not task.links:
                tasks.append(task)
                continue
            at = f'{tree.where(task.name)}: task "{shown(task.name)}"'
            kind = lookups.find("task_type", task.type) if task.type else None
            if kind is None or kind.attributes.get("key") != LINKED_TASK_TYPE:
                problems.append(
                    f"{at}: a task with links needs the task type with key "
                    f'"{LINKED_TASK_TYPE}" (type: {LINKED_TASK_TYPE}), not "{shown(task.type)}"'
                )
            links = []
            for link in task.links:
                rows = _template_rows(by_name.get(link.template, []), tree, lookups)
                if len(rows) != 1:
                    if rows:
                        ids = ", ".join(str(r.id) for r in rows)
                        problems.append(
                            f'{at}: template "{shown(link.template)}" is ambiguous (ids {ids})'
                        )
                    else:
                        choices = choices_text(set(by_name)) or "none"
                        problems.append(
                            f'{at}: unknown template "{shown(link.template)}" '
                            f"(templates: {choices})"
                        )
                    links.append(link)
                    continue
                links.append(TaskLink(template=link.template, id=str(rows[0].id)))
            tasks.append(task.model_copy(update={"links": tuple(links)}))
        resolved.append(tree.model_copy(update={"tasks": tuple(tasks)}))
    if problems:
        raise ResolveError("\n".join(problems))
    return resolved


def _template_rows(rows: list[Any], tree: RunbookTree, lookups: Lookups) -> list[Any]:
    """Templates of one name, those of the runbook's own workspace preferred."""
    if len(rows) > 1 and tree.runbook.workspace:
        space = lookups.find("workspace", tree.runbook.workspace)
        local = [r for r in rows if space is not None and r.rel_id("workspace") == space.id]
        return local or rows
    return rows
