"""The plan as a pull-request comment: summary table, deletion banner, a section per runbook."""

from __future__ import annotations

from runform.providers.cutover.plan.model import Action, Change, Kind, Plan, RunbookPlan
from runform.render.policies import failed_groups, finding_parts, summary
from runform.render.words import (
    SYMBOLS,
    archive_count,
    archive_text,
    as_runbook,
    conflict_text,
    copy_text,
    create_fields,
    drift_text,
    duration_text,
    end_text,
    has_source,
    is_archive,
    is_brought_by_copy,
    object_label,
    plan_line,
    runbook_counts,
    schedule_text,
    unchanged_text,
    value_pair,
)
from runform.text.safe import NOTE_LIMIT, clip, escape_controls, shown

LIMIT = 65_000  # GitHub refuses comments over 65,536 characters


def render_markdown(plan: Plan, limit: int = LIMIT, graphs: bool = False) -> str:
    """Markdown for a PR comment that never hides a deletion: the banners, the summary table,
    then every deletion (never cut), then a section per runbook with changes. When that is over
    `limit`, the runbooks that do not fit collapse to their summary line (each names its
    runbook), so what is cut is only ever detail a reviewer can get with `runform show`.

    With `graphs`, each runbook's section also draws its changed tasks and their neighbours
    (Mermaid); graphs go first when space runs out, before any plan content does."""
    head = ["## runform plan", ""]
    if plan.target:
        head += [f"Target: {_code(shown(plan.target))}", ""]
    head += [f"**{plan_line(plan)}**", ""]
    if plan.blocked:
        head += ["> [!CAUTION]", f"> **Blocked: {clip(plan.blocked, NOTE_LIMIT)}**", ""]
    head += _policies(plan)
    deletes = plan.counts()["delete"]
    archives = archive_count(plan)
    if deletes:
        among = f", archiving {archives} runbook{'s' if archives != 1 else ''}" if archives else ""
        head += [
            "> [!WARNING]",
            f"> **This plan deletes {deletes} object{'s' if deletes != 1 else ''}{among}**, all "
            "listed under Deletions. Check each before approving.",
            "",
        ]
    conflicts = sum(1 for c in plan.changes() for f in c.fields if f.source == "both")
    if conflicts:
        head += [
            "> [!CAUTION]",
            f"> **{conflicts} conflict{'s' if conflicts != 1 else ''}**: fields both the files "
            "and Cutover changed since the base; see each runbook's notes.",
            "",
        ]
    refused = [r for r in plan.roots if not r.appliable]
    for runbook in refused:
        head += [
            "> [!CAUTION]",
            f"> Runbook {_code(shown(runbook.name))} cannot be applied as planned: "
            f"{clip(runbook.refusal or '', NOTE_LIMIT)}",
            "",
        ]
    changed = [as_runbook(r) for r in plan.roots if r.changes or not r.appliable]
    if changed:
        head += [*_table(changed), ""]
    quiet = len(plan.roots) - len(changed)
    if quiet:
        head += [f"{quiet} runbook{'s' if quiet != 1 else ''} with no changes.", ""]
    head += _deletions(plan)
    fixed = escape_controls("\n".join(head))
    budget = limit - len(fixed) - 600  # room for the notes on what was collapsed
    sections: list[str] = []
    collapsed: list[RunbookPlan] = []
    for runbook in changed:
        text = escape_controls("\n".join(_section(runbook)))
        if not collapsed and len(text) + 1 <= budget:
            sections.append(text)
            budget -= len(text) + 1
        else:
            collapsed.append(runbook)
    if graphs:
        sections, left_out = _with_graphs(changed[: len(sections)], sections, budget, collapsed)
        if left_out:
            sections.append(_graphs_left_out(left_out))
    if collapsed:
        sections.append(_collapsed(collapsed))
    # Hidden in the rendered comment: the merge pipeline reads the reviewed plan's digest here.
    digest = f"<!-- runform:changes-digest {plan.changes_digest} -->\n"
    text = "\n".join([fixed, *sections]).rstrip() + "\n"
    return cut_middle(text, limit - len(digest)) + digest  # cut: a backstop for a huge head


def _policies(plan: Plan) -> list[str]:
    """The failed policies by severity: a caution for critical ones, a warning for warnings."""
    lines: list[str] = []
    for group in failed_groups(plan.policies):
        alert = {"critical": "CAUTION", "warning": "WARNING", "advisory": "NOTE"}
        lines += [f"> [!{alert[group.severity.value]}]"]
        lines += [f"> **Policies, {group.severity.value}:**"]
        for outcome in group.outcomes:
            where = "" if outcome.source == "builtin" else f" ({_code(shown(outcome.source, 300))})"
            about = (
                f": {_cell(shown(outcome.description, NOTE_LIMIT))}" if outcome.description else ""
            )
            lines += [f"> - {_code(shown(outcome.name, 200))}{where}{about}"]
            parts, more = finding_parts(outcome)
            for addresses, reason in parts:
                place = ", ".join(_code(address) for address in addresses)
                lines += [f">   - {place}: {_cell(reason)}" if place else f">   - {_cell(reason)}"]
            if more:
                lines += [f">   - ... and {more} more"]
        lines += [""]
    if lines:
        lines += [summary(plan.policies), ""]
    return lines


def _with_graphs(
    runbooks: list[RunbookPlan], sections: list[str], budget: int, collapsed: list[RunbookPlan]
) -> tuple[list[str], int]:
    """The sections with a graph each where one fits in what is left of the budget; none when
    runbooks were already collapsed. Returns them and how many graphs were left out."""
    drawn = [_graph_block(runbook) for runbook in [*runbooks, *collapsed]]
    wanted = sum(1 for block in drawn if block != [])
    if collapsed:
        return sections, wanted
    result, left_out = [], 0
    for runbook, section, block in zip(runbooks, sections, drawn, strict=False):
        if block is None:
            left_out += 1
        elif block:
            longer = escape_controls("\n".join(_section(runbook, block)))
            if len(longer) - len(section) <= budget:
                budget -= len(longer) - len(section)
                section = longer
            else:
                left_out += 1
        result.append(section)
    return result, left_out


def _graph_block(runbook: RunbookPlan) -> list[str] | None:
    """A Mermaid graph of the runbook's changed tasks and their direct neighbours; [] when no
    task changes, None when it is more than Mermaid draws."""
    from runform.render.graph import runbook_diagram
    from runform.render.mermaid import render_mermaid, too_big

    diagram = runbook_diagram(runbook, "r", changed_only=True)
    if diagram is None:
        return []
    text = render_mermaid(diagram)
    if too_big(diagram, text):
        return None
    return ["```mermaid", *text.rstrip("\n").split("\n"), "```", ""]


def _graphs_left_out(count: int) -> str:
    return (
        f"> [!NOTE]\n> {count} graph{'s' if count != 1 else ''} left out to fit in one comment; "
        "`runform graph` draws them.\n"
    )


def _deletions(plan: Plan) -> list[str]:
    """Every deletion of the plan, by runbook: the lines a reviewer must never miss."""
    lines: list[str] = []
    for runbook in plan.roots:
        gone = [c for c in runbook.changes if c.action is Action.DELETE]
        if not gone:
            continue
        if not lines:
            lines += ["### Deletions", ""]
        lines += [f"runbook {_code(shown(runbook.name))}:", "", "```diff"]
        for change in gone:
            taken = f" — {archive_text(runbook)}" if is_archive(change) else ""
            lines.append(f"- {object_label(change)}{taken}")
        lines += ["```", ""]
    return lines


def _collapsed(runbooks: list[RunbookPlan]) -> str:
    """The runbooks whose details did not fit: one line each, with their counts."""
    lines = [
        "> [!NOTE]",
        f"> The details of {len(runbooks)} runbook{'s' if len(runbooks) != 1 else ''} did not "
        "fit in one comment; their deletions are all listed above. Run `runform show` on the "
        "saved plan for the rest.",
        "",
    ]
    for runbook in runbooks:
        counts = runbook_counts(runbook)
        lines.append(
            f"- runbook {_code(shown(runbook.name))}: {counts['create']} to create, "
            f"{counts['update']} to update, {counts['delete']} to delete"
        )
    return escape_controls("\n".join(lines)) + "\n"


def _code(text: str) -> str:
    return "`" + text.replace("`", "'") + "`"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(runbooks: list[RunbookPlan]) -> list[str]:
    rows = [
        "| Runbook | Create | Update | Delete | Unchanged | Tasks | Critical path | Planned end |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for runbook in runbooks:
        counts = runbook_counts(runbook)
        before, after = runbook.schedule_before, runbook.schedule_after
        tasks = path = end = "-"
        if after is not None:
            tasks = str(after.task_count)
            path = duration_text(after.critical_path_seconds)
            end = end_text(after.planned_end)
            if before is not None:
                if before.task_count != after.task_count:
                    tasks = f"{before.task_count} → {after.task_count}"
                if before.critical_path_seconds != after.critical_path_seconds:
                    path = f"{duration_text(before.critical_path_seconds)} → {path}"
                if before.planned_end and before.planned_end != after.planned_end:
                    end = f"{end_text(before.planned_end)} → {end}"
        name = _cell(shown(runbook.name)) + ("" if runbook.appliable else " ⛔")
        rows.append(
            f"| {name} | {counts['create']} | {counts['update']} | {counts['delete']} | "
            f"{sum(runbook.unchanged.values())} | {tasks} | {path} | {_cell(end)} |"
        )
    return rows


def _section(runbook: RunbookPlan, graph: list[str] | None = None) -> list[str]:
    counts = runbook_counts(runbook)
    summary = (
        f"runbook “{_escape_html(shown(runbook.name))}”: {counts['create']} to create, "
        f"{counts['update']} to update, {counts['delete']} to delete"
    )
    lines = ["<details>", f"<summary>{summary}</summary>", ""]
    if runbook.source:
        lines += [f"From {_code(shown(runbook.source, 300))}.", ""]
    if runbook.changes:
        lines.append("```diff")
        for change in runbook.changes:
            lines += _change(change, runbook)
        lines += ["```", ""]
    lines += graph or []
    notes = []
    unchanged = unchanged_text(runbook)
    if unchanged:
        notes.append(unchanged.capitalize() + ".")
    schedule = schedule_text(runbook.schedule_before, runbook.schedule_after)
    if schedule:
        notes.append(f"Schedule: {schedule}.")
    notes += [
        f"**Conflict:** {conflict_text(c)}." for c in runbook.changes if has_source(c, "both")
    ]
    notes += [
        f"Changed outside the files: {drift_text(c)}."
        for c in runbook.changes
        if has_source(c, "cutover")
    ]
    notes += [f"Warning: {clip(w, NOTE_LIMIT)}." for w in runbook.warnings]
    if not runbook.appliable:
        notes.append(f"**Not appliable:** {clip(runbook.refusal or '', NOTE_LIMIT)}.")
    lines += [f"- {n}" for n in notes]
    lines += ["", "</details>", ""]
    return lines


def _change(change: Change, runbook: RunbookPlan) -> list[str]:
    symbol = SYMBOLS[change.action]
    # `diff` blocks colour + and - lines; ! (copies, updates) stands out without colour.
    lead = {Action.COPY: "!", Action.UPDATE: "!"}.get(change.action, symbol)
    label = object_label(change)
    if lead == symbol:
        symbol = ""
    symbol = f"{symbol} " if symbol else ""
    if change.kind == Kind.RUNBOOK and change.action is Action.COPY:
        lines = [f"{lead} {symbol}{label}: {copy_text(change)}"]
    elif is_brought_by_copy(change):
        return [f"{lead} {symbol}{label} (from template)"]
    else:
        notes = []
        if change.from_template:
            notes.append("from template")
        if change.renamed_from:
            notes.append(f'renamed from "{change.renamed_from}"')
        lines = [f"{lead} {symbol}{label}" + (f" ({', '.join(notes)})" if notes else "")]
    if is_archive(change):
        lines.append(f"{lead}     {archive_text(runbook)}")
    if change.action in (Action.CREATE, Action.COPY):
        lines += [f"{lead}     {field}: {text}" for field, text in create_fields(change)]
    elif change.action is Action.UPDATE:
        for f in change.fields:
            before, after = value_pair(f.field, f.before, f.after)
            lines.append(f"{lead}     {f.field}: {before} → {after}")
    return lines


def _escape_html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cut_middle(text: str, limit: int) -> str:
    """Keep the head and the tail of a long comment, closing and reopening open blocks."""
    if len(text) <= limit:
        return text
    lines = text.split("\n")
    budget = limit - 400  # room for the note and the block fix-ups
    head: list[str] = []
    size = 0
    for line in lines:
        if size + len(line) + 1 > budget // 2:
            break
        head.append(line)
        size += len(line) + 1
    tail: list[str] = []
    size = 0
    for line in reversed(lines[len(head) :]):
        if size + len(line) + 1 > budget // 2:
            break
        tail.append(line)
        size += len(line) + 1
    tail.reverse()
    start_of_tail = len(lines) - len(tail)
    cut = len(text) - sum(len(line) + 1 for line in head + tail)
    in_details, in_fence = _open_blocks(lines[: len(head)])
    middle = []
    if in_fence:
        middle.append("```")
    if in_details:
        middle += ["", "</details>"]
    middle += [
        "",
        f"> [!NOTE]\n> {cut:,} characters of this plan were cut here to fit in a comment. "
        "Run `runform show` on the saved plan for all of it.",
        "",
    ]
    tail_details, tail_fence = _open_blocks(lines[:start_of_tail])
    if tail_details:
        middle += ["<details>", "<summary>(continued)</summary>", ""]
    if tail_fence:
        middle.append("```diff")
    return "\n".join(head + middle + tail)


def _open_blocks(lines: list[str]) -> tuple[bool, bool]:
    """Whether a <details> section and a code fence are open after these lines."""
    in_details = in_fence = False
    for line in lines:
        if line.startswith("```"):
            in_fence = not in_fence
        elif not in_fence and line == "<details>":
            in_details = True
        elif not in_fence and line == "</details>":
            in_details = False
    return in_details, in_fence
