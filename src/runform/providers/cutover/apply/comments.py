"""After an apply: one comment on each runbook it changed, saying what changed, why, and from
which commit, so the record is in Cutover where its users look.

A comment is a note, not part of the change: one that Cutover refuses (an archived runbook,
`comments.create.runbook_archived`), or that cannot be sent, never fails the apply. It comes
back as a warning and is journaled as an `error` entry.
"""

from __future__ import annotations

from typing import Any

from runform.core.address import parse
from runform.core.journal import Journal
from runform.core.model import Plan
from runform.core.provenance import actor_name
from runform.core.result import ApplyResult, Outcome
from runform.errors import RunformError
from runform.providers.cutover.api.client import CutoverClient

COMMENT_EVENT = "comment"


def comment_text(done: list[Outcome], context: dict[str, Any], status: str) -> str:
    """The comment: counts of what this apply did to the runbook, the reason, the commit."""
    created = sum(1 for o in done if o.action in ("create", "copy"))
    updated = sum(1 for o in done if o.action == "update")
    deleted = sum(1 for o in done if o.action == "delete")
    lines = [
        f"runform apply ({status}): {created} created, {updated} updated, {deleted} deleted.",
        f"Reason: {context.get('reason') or '-'}",
        f"Commit: {context.get('commit') or 'none (not applied from a git repository)'}",
        f"Plan: {context.get('digest') or '-'}",
        f"By: {actor_name(context.get('actor'))}",
    ]
    return "\n".join(lines)


async def comment_changed_runbooks(
    client: CutoverClient, plan: Plan, result: ApplyResult, journal: Journal
) -> list[str]:
    """Comment each runbook with a completed change; the warnings for comments not added."""
    warnings = []
    for root in plan.roots:
        done = [o for o in result.done if str(parse(o.address).root) == root.address]
        if not done:
            continue
        if any(o.address == root.address and o.action == "delete" for o in done):
            continue  # archived by this apply: Cutover refuses comments on it
        runbook_id = root.live_id or next((o.id for o in done if o.address == root.address), None)
        if runbook_id is None:
            continue  # nothing to comment on: the runbook was never made
        path = f"/core/runbooks/{runbook_id}/comments"
        content = comment_text(done, journal.context, result.status.value)
        try:
            await client.create(path, "comment", {"content": content})
        except RunformError as error:
            describe = getattr(error, "describe", None)
            message = describe("the comment") if callable(describe) else str(error)
            journal.record(
                event=COMMENT_EVENT,
                type="error",
                address=root.address,
                id=runbook_id,
                method="POST",
                path=path,
                message=message,
            )
            warnings.append(f"{root.address}: no comment was added: {message}")
    return warnings
