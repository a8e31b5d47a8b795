"""A plan of any provider for a terminal: each root, then each change with its fields.

`+` create, `~` update, `-` delete; an update lists the fields it changes (before -> after).
A field a root marks sensitive is shown as `(sensitive)`, whatever it holds."""

from __future__ import annotations

import json
from typing import Any

from runform.core.address import parse
from runform.core.model import Action, Change, Plan, RootPlan
from runform.text.safe import escape_controls, shown

SYMBOLS = {Action.CREATE: "+", Action.COPY: "+", Action.UPDATE: "~", Action.DELETE: "-"}
SENSITIVE = "(sensitive)"


def plan_lines(plan: Plan, system: str) -> list[str]:
    """The plan as lines of plain text; `system` names what the files are compared with."""
    lines = [f"Target: {shown(plan.target)}", ""] if plan.target else []
    for root in plan.roots:
        lines += _root(root)
    if plan.blocked:
        lines.append(f"Blocked: {shown(plan.blocked, 600)}")
    if not plan.has_changes:
        lines.append(f"No changes. {system} matches the files.")
        return [escape_controls(line) for line in lines]
    counts = plan.counts()
    if counts["delete"]:
        lines.append(f"Warning: this plan deletes {counts['delete']} object(s).")
    lines.append(
        f"Plan: {counts['create']} to create, {counts['update']} to update, "
        f"{counts['delete']} to delete."
    )
    return [escape_controls(line) for line in lines]


def _root(root: RootPlan) -> list[str]:
    changes = [c for c in root.changes if c.action is not Action.NOOP]
    unchanged = sum(root.unchanged.values())
    lines = [f"{root.address}" + (f" ({unchanged} unchanged)" if unchanged else "")]
    sensitive: dict[str, list[str]] = getattr(root, "sensitive", None) or {}
    for change in changes:
        lines += _change(change, sensitive.get(change.address, []))
    if root.refusal:
        lines.append(f"  cannot be applied: {shown(root.refusal, 600)}")
    lines.append("")
    return lines


def _change(change: Change, secret_fields: list[str]) -> list[str]:
    relative = str(parse(change.address))[len(change.address.split(".")[0]) + 1 :]
    lines = [f"  {SYMBOLS[change.action]} {relative}"]
    if change.action in (Action.CREATE, Action.COPY):
        for field, value in (change.after or {}).items():
            lines.append(f"      {field}: {_value(value)}")
    elif change.action is Action.UPDATE:
        for item in change.fields:
            lines.append(f"      {item.field}: {_value(item.before)} -> {_value(item.after)}")
    if change.action is not Action.DELETE:
        lines += [f"      {field}: {SENSITIVE}" for field in secret_fields]
    return lines


def _value(value: Any) -> str:
    if isinstance(value, str) and "\n" in value:
        return f"<{len(value.splitlines())} lines>"
    return shown(json.dumps(value, ensure_ascii=False, default=str), 200)


def plan_markdown(plan: Plan, system: str) -> str:
    """The plan for a pull request comment: the summary line in bold, deletions called out,
    then the text plan in a `diff` block (`+`, `~` and `-` lines coloured by the viewer)."""
    lines = plan_lines(plan, system)
    summary = lines[-1]
    head = ["## runform plan", "", f"**{summary}**", ""]
    deletes = plan.counts()["delete"]
    if deletes:
        head += ["> [!WARNING]", f"> **This plan deletes {deletes} object(s).**", ""]
    if plan.blocked:
        head += ["> [!CAUTION]", f"> **Blocked: {shown(plan.blocked, 600)}**", ""]
    fence = "~~~~" if any("```" in line for line in lines) else "```"
    body = [_diff_line(line) for line in lines]
    # Hidden in the rendered comment: the merge pipeline reads the reviewed plan's digest here.
    digest = f"<!-- runform:changes-digest {plan.changes_digest} -->"
    return "\n".join([*head, f"{fence}diff", *body, fence, "", digest, ""])


def _diff_line(line: str) -> str:
    """A change's line with its symbol first, as a `diff` block colours it (`~` as `!`)."""
    for symbol, shown_as in (("+", "+"), ("-", "-"), ("~", "!")):
        if line.startswith(f"  {symbol} "):
            return f"{shown_as} {line[4:]}"
    return line
