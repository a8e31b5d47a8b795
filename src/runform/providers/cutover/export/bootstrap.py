"""A new runbook file that copies a template, listing what the copy brings as comments."""

from __future__ import annotations

from runform.providers.cutover.definitions.durations import format_duration
from runform.providers.cutover.export.defaults import ExportDefaults
from runform.providers.cutover.export.values import text
from runform.providers.cutover.export.writer import SCHEMA_URL, ordered_tasks, section
from runform.providers.cutover.state.shapes import LiveRunbook, LiveStream


def dump_template_copy(
    template: LiveRunbook,
    name: str,
    defaults: ExportDefaults,
    *,
    folder: str | None = None,
    schema_url: str = SCHEMA_URL,
) -> str:
    """The file text for a runbook `name` made by copying `template` (tasks, teams, users)."""
    runbook: dict[str, object] = {"name": text(name)}
    if template.state.workspace:
        runbook["workspace"] = text(template.state.workspace)
    if folder:
        runbook["folder"] = text(folder)
    runbook["template"] = {"name": text(template.state.name)}
    lines = [f"# yaml-language-server: $schema={schema_url}", section("runbook", runbook)]
    lines += _stream_comments(template)
    lines += _task_comments(template, defaults)
    lines += [
        "# Add streams and tasks of your own below; `after:` may name a template task.",
        "# tasks:",
        "#   - name: Notify customers",
        "#     stream: Verification",
        "#     after: [Business verification]",
        "",
    ]
    return "\n".join(lines)


def _stream_comments(template: LiveRunbook) -> list[str]:
    if not template.streams:
        return []
    title = _quoted(template.state.name)
    lines = [f"# The copy brings these streams from {title}:"]
    lines += [f"#   {line}" for line in _stream_tree(template.streams)]
    return [*lines, "#"]


def _stream_tree(streams: list[LiveStream]) -> list[str]:
    names = {stream.state.name for stream in streams}
    children: dict[str | None, list[str]] = {}
    for stream in streams:
        parent = stream.state.parent if stream.state.parent in names else None
        children.setdefault(parent, []).append(stream.state.name)
    lines: list[str] = []

    def walk(parent: str | None, depth: int, seen: frozenset[str]) -> None:
        for child in children.get(parent, []):
            lines.append(f"{'  ' * depth}- {_one_line(child)}")
            if child not in seen:
                walk(child, depth + 1, seen | {child})

    walk(None, 0, frozenset())
    return lines


def _task_comments(template: LiveRunbook, defaults: ExportDefaults) -> list[str]:
    tasks = ordered_tasks(template.tasks)
    if not tasks:
        return ["# The template has no tasks.", "#"]
    lines = [
        "# and these tasks (list one under tasks: by its name to change it, or with",
        "# `absent: true` to leave it out of the copy):",
    ]
    for number, task in enumerate(tasks, start=1):
        state = task.state
        details = [state.stream or ""]
        if state.type and state.type != defaults.task_type:
            details.append(state.type)
        if state.duration is not None:
            details.append(format_duration(state.duration))
        if state.predecessors:
            details.append("after " + ", ".join(_one_line(p) for p in state.predecessors))
        if state.assignees:
            details.append(", ".join(f"{a.kind} {_one_line(a.name)}" for a in state.assignees))
        shown = "; ".join(d for d in details if d)
        lines.append(
            f"#   {number:>3}. {_one_line(state.name)}" + (f"  ({shown})" if shown else "")
        )
    return [*lines, "#"]


def _one_line(value: str) -> str:
    """Text safe inside a comment line (line breaks would end the comment)."""
    return " ".join(value.splitlines()) if value.splitlines() else value


def _quoted(value: str) -> str:
    return '"' + _one_line(value) + '"'
