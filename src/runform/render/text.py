"""The plan for a terminal (rich): `+` create, `~` update, `-` delete, `»` template copy."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from runform.providers.cutover.plan.model import Action, Change, Kind, Plan, RunbookPlan
from runform.render.policies import failed_groups, finding_lines, heading, summary
from runform.render.words import (
    SYMBOLS,
    archive_count,
    archive_text,
    as_runbook,
    conflict_text,
    copy_text,
    create_fields,
    drift_text,
    has_source,
    is_archive,
    is_brought_by_copy,
    object_label,
    plan_line,
    schedule_text,
    unchanged_text,
    value_pair,
)
from runform.text.safe import NOTE_LIMIT, clip, escape_controls, shown

STYLES = {
    Action.CREATE: "green",
    Action.COPY: "cyan",
    Action.UPDATE: "yellow",
    Action.DELETE: "red",
    Action.NOOP: "",
}


class Lines:
    """The plan's lines, printed together at the end: one print of a few hundred lines costs
    a fraction of a print a line (docs/benchmarks.md), and each line is still never wrapped
    (long names stay whole; terminals wrap on their own)."""

    def __init__(self, console: Console) -> None:
        self._console = console
        self._texts: list[Text] = []

    def add(self, markup: str = "", style: str | None = None) -> None:
        """One line of rich markup, its control characters shown, in `style`."""
        self._texts.append(self._console.render_str(escape_controls(markup), style=style or ""))

    def print(self) -> None:
        if self._texts:
            self._console.print(Text("\n").join(self._texts), soft_wrap=True)
            self._texts = []


def render_text(plan: Plan, console: Console) -> None:
    """Print the plan; colours follow the console (NO_COLOR and non-TTY give plain text)."""
    lines = Lines(console)
    plan_lines(plan, lines)
    lines.print()


def plan_lines(plan: Plan, lines: Lines) -> None:
    """The plan's lines, added to `lines` (printed by `render_text`)."""
    if plan.target:  # first, so nobody reviews a plan without knowing where it would apply
        lines.add(f"Target: {escape(shown(plan.target))}", style="bold")
        lines.add()
    if not plan.roots:
        lines.add("No runbooks in the plan.")
    for root in plan.roots:
        _runbook(as_runbook(root), lines)
        lines.add()
    _policies(plan, lines)
    if plan.blocked:
        lines.add(f"Blocked: {escape(shown(plan.blocked, 600))}", style="bold red")
    if not plan.has_changes:
        lines.add("No changes. Cutover matches the files.", style="green")
        return
    deletes = plan.counts()["delete"]
    archives = archive_count(plan)
    if deletes:
        among = f", archiving {archives} runbook{'s' if archives != 1 else ''}" if archives else ""
        lines.add(
            f"Warning: this plan deletes {deletes} object{'s' if deletes != 1 else ''}{among}.",
            style="bold red",
        )
    refused = [r for r in plan.roots if not r.appliable]
    if refused:
        lines.add(
            f"{len(refused)} runbook(s) cannot be applied as planned (see above).",
            style="red",
        )
    lines.add(plan_line(plan), style="bold")


POLICY_STYLES = {"critical": "bold red", "warning": "yellow", "advisory": "cyan"}


def _policies(plan: Plan, lines: Lines) -> None:
    """The failed policies by severity (nothing when every policy passed)."""
    groups = failed_groups(plan.policies)
    for group in groups:
        style = POLICY_STYLES[group.severity.value]
        for outcome in group.outcomes:
            lines.add(f"Policy {group.severity.value}: {escape(heading(outcome))}", style)
            for line in finding_lines(outcome):
                lines.add(f"  {escape(line)}")
    if groups:
        lines.add(summary(plan.policies), style="bold")
        lines.add()


def _runbook(runbook: RunbookPlan, lines: Lines) -> None:
    where = f"  ({escape(shown(runbook.source, 300))})" if runbook.source else ""
    live = f" id {runbook.live_id}" if runbook.live_id else " (new)"
    if not runbook.live_id and not runbook.changes:
        live = " (not in Cutover)"  # nothing to make: an archive of a runbook never made
    lines.add(f'[bold]runbook "{escape(shown(runbook.name))}"[/bold]{live}{where}')
    for change in runbook.changes:
        _change(change, lines)
        if is_archive(change):
            lines.add(f"      {escape(archive_text(runbook))}", style="bold red")
    unchanged = unchanged_text(runbook)
    if unchanged:
        lines.add(f"    {unchanged}", style="dim")
    schedule = schedule_text(runbook.schedule_before, runbook.schedule_after)
    if schedule:
        lines.add(f"    Schedule: {escape(schedule)}")
    for change in runbook.changes:
        if has_source(change, "both"):
            lines.add(f"    !! conflict: {escape(conflict_text(change))}", style="bold red")
        if has_source(change, "cutover"):
            lines.add(
                f"    ! changed outside the files: {escape(drift_text(change))}",
                style="magenta",
            )
    for warning in runbook.warnings:
        lines.add(f"    ! {escape(clip(warning, NOTE_LIMIT))}", style="yellow")
    if not runbook.appliable:
        lines.add(
            f"    ✗ not appliable: {escape(clip(runbook.refusal or '', NOTE_LIMIT))}",
            style="bold red",
        )


def _change(change: Change, lines: Lines) -> None:
    symbol = SYMBOLS[change.action]
    style = STYLES[change.action]
    if is_archive(change):
        style = f"bold {style}"
    label = escape(object_label(change))
    if change.kind == Kind.RUNBOOK and change.action is Action.COPY:
        lines.add(f"  [{style}]{symbol} {label}[/{style}]: {escape(copy_text(change))}")
    elif is_brought_by_copy(change):
        lines.add(f"  [{style}]{symbol} {label}[/{style}] (from template)")
        return
    else:
        notes = []
        if change.from_template:
            notes.append("from template")
        if change.renamed_from:
            notes.append(f'renamed from "{escape(shown(change.renamed_from))}"')
        suffix = f" ({', '.join(notes)})" if notes else ""
        lines.add(f"  [{style}]{symbol} {label}[/{style}]{suffix}")
    if change.action in (Action.CREATE, Action.COPY):
        for field, text in create_fields(change):
            lines.add(f"      {field}: {escape(text)}")
    elif change.action is Action.UPDATE:
        for f in change.fields:
            before, after = (escape(v) for v in value_pair(f.field, f.before, f.after))
            lines.add(f"      {f.field}: {before} → {after}")
