"""A task's `task_links`: the runbook or snippet it links to (Round 2, Task actions and links).

Written as `[{id: "<string>", link_type: "runbook"|"snippet"}]` and read back with an integer
`id` (a known server bug, kept here so a client that compares ids as text is caught). A
`runbook` link needs a task of the tenant's task type with key `linked` and a template with at
least one task; in a runbook that is not a template the link points at a fresh copy of the
template, and the task takes the template's name. Refusals use the reference's codes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from runform.providers.cutover.sandbox.context import Context
from runform.providers.cutover.sandbox.resources.runbook_copy import copy_for_link
from runform.providers.cutover.sandbox.store import Record, Store
from runform.providers.cutover.sandbox.validation import (
    Problems,
    as_int,
    attribute_pointer,
    relationship_pointer,
)

LINK_TYPES = ("runbook", "snippet")
LINKED_TASK_TYPE = "linked"
POINTER = attribute_pointer("task_links")


@dataclass(frozen=True)
class Link:
    """One checked link: what it names and how."""

    target: Record
    link_type: str


def is_template(runbook: Record) -> bool:
    """A template by the flag or by its `template_type` (Round 2: `default` reads as one)."""
    return bool(runbook.get("is_template")) or runbook.get("template_type") in (
        "default",
        "snippet",
    )


def check_links(
    store: Store,
    attrs: Mapping[str, object],
    task_type_id: object,
    old: Record | None,
    problems: Problems,
) -> list[Link] | None:
    """The links a create or patch writes (None when it leaves them alone), each checked."""
    links: list[Link] | None = None
    if "task_links" in attrs:
        links = _read_links(store, attrs, problems)
        if links is None:
            return None  # refused: the problems say why
        runbook_link = any(link.link_type == "runbook" for link in links)
    else:
        stored = (old or {}).get("task_links") or []
        assert isinstance(stored, list)
        runbook_link = any(item["link_type"] == "runbook" for item in stored)
    task_type = store.get("task_type", as_int(str(task_type_id)) or -1)
    if runbook_link and (task_type is None or task_type.get("key") != LINKED_TASK_TYPE):
        problems.add(
            relationship_pointer("task_type"),
            "invalid",
            f"a runbook link needs a task of the task type with key {LINKED_TASK_TYPE!r}",
        )
    return links


def _read_links(store: Store, attrs: Mapping[str, object], problems: Problems) -> list[Link] | None:
    value = attrs["task_links"]
    if value is None:
        return []
    if not isinstance(value, list):
        problems.add(POINTER, "invalid", "task_links must be a list of {id, link_type}")
        return None
    links: list[Link] = []
    for index, item in enumerate(value):
        at = f"{POINTER}/{index}"
        if not isinstance(item, dict):
            problems.add(at, "invalid", "a task link must be an object {id, link_type}")
            continue
        link_type = item.get("link_type")
        if link_type not in LINK_TYPES:
            problems.add(
                f"{at}/link_type",
                "inclusion",
                f"link_type is not included in the list: {', '.join(LINK_TYPES)}",
            )
            continue
        target = _check_target(store, item.get("id"), str(link_type), f"{at}/id", problems)
        if target is not None:
            links.append(Link(target, str(link_type)))
    return links if len(links) == len(value) else None


def _check_target(
    store: Store, ident: object, link_type: str, pointer: str, problems: Problems
) -> Record | None:
    if ident is None or ident == "":
        problems.add(pointer, "blank", "id can't be blank")
        return None
    if not isinstance(ident, str):
        # Written as a string (Round 2); only the read-back is an integer.
        problems.add(pointer, "invalid", "id must be a string")
        return None
    target = store.get("runbook", as_int(ident) or -1)
    if target is None or target.get("archived"):
        problems.add(pointer, "not_found", f"runbook {ident} not found")
        return None
    snippet = target.get("template_type") == "snippet"
    if link_type == "snippet" and not snippet:
        problems.add(pointer, "invalid", f"runbook {ident} is not a snippet")
        return None
    if link_type == "runbook" and (snippet or not is_template(target)):
        problems.add(pointer, "invalid", f"runbook {ident} is not a template")
        return None
    if link_type == "runbook" and not store.of_runbook("task", int(str(target["id"]))):
        problems.add(pointer, "empty", f"template {ident} has no tasks")
        return None
    return target


def write_links(
    ctx: Context, runbook: Record, links: list[Link]
) -> tuple[list[Record], str | None]:
    """The links as stored (integer ids) and the name the task takes, copying each runbook
    link's template when the runbook is not a template; call inside the write's transaction."""
    stored: list[Record] = []
    name: str | None = None
    for link in links:
        target = link.target
        if link.link_type == "runbook":
            name = name or str(target["name"])
            if not is_template(runbook):
                target = copy_for_link(ctx, target)
                ctx.search.created(int(str(target["id"])))
        stored.append({"id": target["id"], "link_type": link.link_type})
    return stored, name


def render_links(record: Record) -> list[dict[str, object]]:
    """As Cutover reads them back: `id` an integer, not the string it was written as."""
    stored = record.get("task_links") or []
    assert isinstance(stored, list)
    return [{"id": int(item["id"]), "link_type": item["link_type"]} for item in stored]
