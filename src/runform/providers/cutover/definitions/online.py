"""Checks that need the template a runbook copies: stream and task names it brings."""

from __future__ import annotations

from runform.providers.cutover.definitions.cycles import cycle_messages
from runform.providers.cutover.state.shapes import LiveRunbook, RunbookTree
from runform.text.safe import choices_text, shown
from runform.text.suggest import Suggester


def template_problems(tree: RunbookTree, template: LiveRunbook) -> list[str]:
    """Names in the file that neither the file nor the template defines, each with choices."""
    runbook = f'runbook "{shown(tree.runbook.name)}"'

    def label(task: str) -> str:
        return f"{shown(tree.where(task))}: {runbook}"

    streams = {s.name for s in tree.streams} | {s.state.name for s in template.streams}
    template_tasks = {t.state.name for t in template.tasks}
    tasks = {t.name for t in tree.tasks} | template_tasks
    # Built once, before the loop: many typos may point into the same names.
    stream_names, task_names = _Names(streams), _Names(tasks)
    template_names = _Names(template_tasks)
    problems = []
    for task in tree.tasks:
        at = f'{label(task.name)}: task "{shown(task.name)}"'
        if task.stream is not None and task.stream not in streams:
            problems.append(
                f'{at} stream: unknown stream "{shown(task.stream)}"'
                f"{stream_names.choices(task.stream)}"
            )
        for name in task.predecessors or ():
            if name not in tasks:
                problems.append(
                    f'{at} after: "{shown(name)}" is neither a task '
                    f"key, a task in the file, nor a task of template "
                    f'"{shown(template.state.name)}"'
                    f"{task_names.choices(name)}"
                )
    if not problems:
        # The files' `after:` with the template's own edges: a cycle Cutover would refuse.
        graph = _copy_graph(tree, template)
        problems += cycle_messages(graph, tree.task_sources, f"{runbook}: ")
    for name in tree.absent:
        if name not in template_tasks:
            problems.append(
                f'{label(name)}: absent task "{shown(name)}" is not a task of template '
                f'"{shown(template.state.name)}"{template_names.choices(name)}'
            )
    return problems


def _copy_graph(tree: RunbookTree, template: LiveRunbook) -> dict[str, list[str]]:
    """Task → predecessors once the files' `after:` lies over the template's (as the plan has it).

    Template tasks keep their predecessors unless the file writes `after:`; a task the file
    brings has only its own; absent tasks drop out, renamed ones carry their new name.
    """
    renamed = {old: new for new, old in tree.renamed_from.items()}
    absent = set(tree.absent)
    graph = {
        renamed.get(t.state.name, t.state.name): [
            renamed.get(p, p) for p in t.state.predecessors or () if p not in absent
        ]
        for t in template.tasks
        if t.state.name not in absent
    }
    for task in tree.tasks:
        if task.predecessors is not None or task.name not in graph:
            graph[task.name] = list(task.predecessors or ())
    return graph


class _Names:
    """A set of names with its suggester: the choices text for a name not among them."""

    def __init__(self, names: set[str]) -> None:
        self.names = names
        self.suggester = Suggester(names)

    def choices(self, value: str) -> str:
        meant = self.suggester.best(value)
        text = f'; did you mean "{shown(meant)}"?' if meant else ""
        if len(self.names) <= 15:
            text += f" (choices: {choices_text(self.names, 15)})"
        return text
