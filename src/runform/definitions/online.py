"""Checks that need the template a runbook copies: stream and task names it brings."""

from __future__ import annotations

from functools import lru_cache

from runform.state.shapes import LiveRunbook, RunbookTree
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
    problems = []
    for task in tree.tasks:
        at = f'{label(task.name)}: task "{shown(task.name)}"'
        if task.stream is not None and task.stream not in streams:
            problems.append(
                f'{at} stream: unknown stream "{shown(task.stream)}"'
                f"{_choices(task.stream, streams)}"
            )
        for name in task.predecessors or ():
            if name not in tasks:
                problems.append(
                    f'{at} after: "{shown(name)}" is neither a task '
                    f"key, a task in the file, nor a task of template "
                    f'"{shown(template.state.name)}"'
                    f"{_choices(name, tasks)}"
                )
    for name in tree.absent:
        if name not in template_tasks:
            problems.append(
                f'{label(name)}: absent task "{shown(name)}" is not a task of template '
                f'"{shown(template.state.name)}"{_choices(name, template_tasks)}'
            )
    return problems


def _choices(value: str, known: set[str]) -> str:
    close = _suggester(frozenset(known)).best(value)
    text = f'; did you mean "{shown(close)}"?' if close else ""
    if len(known) <= 15:
        text += f" (choices: {choices_text(known, 15)})"
    return text


@lru_cache(maxsize=8)
def _suggester(known: frozenset[str]) -> Suggester:
    """Built once per set of names, however many typos point into it."""
    return Suggester(known)
