"""Checks that need the template a runbook copies: stream and task names it brings."""

from __future__ import annotations

import difflib

from runform.state.shapes import LiveRunbook, RunbookTree


def template_problems(tree: RunbookTree, template: LiveRunbook) -> list[str]:
    """Names in the file that neither the file nor the template defines, each with choices."""
    label = f'{tree.source or "files"}: runbook "{tree.runbook.name}"'
    streams = {s.name for s in tree.streams} | {s.state.name for s in template.streams}
    template_tasks = {t.state.name for t in template.tasks}
    tasks = {t.name for t in tree.tasks} | template_tasks
    problems = []
    for task in tree.tasks:
        if task.stream is not None and task.stream not in streams:
            problems.append(
                f'{label}: task "{task.name}" stream: unknown stream "{task.stream}"'
                f"{_choices(task.stream, streams)}"
            )
        for name in task.predecessors or ():
            if name not in tasks:
                problems.append(
                    f'{label}: task "{task.name}" after: "{name}" is neither a task key, a task '
                    f'in the file, nor a task of template "{template.state.name}"'
                    f"{_choices(name, tasks)}"
                )
    for name in tree.absent:
        if name not in template_tasks:
            problems.append(
                f'{label}: absent task "{name}" is not a task of template '
                f'"{template.state.name}"{_choices(name, template_tasks)}'
            )
    return problems


def _choices(value: str, known: set[str]) -> str:
    close = difflib.get_close_matches(value, sorted(known), n=1)
    text = f'; did you mean "{close[0]}"?' if close else ""
    if len(known) <= 15:
        text += f" (choices: {', '.join(sorted(known))})"
    return text
