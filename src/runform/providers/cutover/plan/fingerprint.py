"""What a plan was made from: ids and `updated_at` of every object it read, to spot stale plans."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from runform.providers.cutover.state.shapes import LiveRunbook


def absent_key(workspace: str | None, name: str) -> str:
    """The key recording that no live runbook had this workspace and name."""
    return f"absent:{workspace or '-'}/{name}"


Prints = dict[str, str | None]  # `kind:id` (or an absent runbook's key) -> updated_at


def fingerprint_of(
    runbooks: Iterable[LiveRunbook], absent: Iterable[tuple[str | None, str]] = ()
) -> Prints:
    """`kind:id` → updated_at for each runbook, stream and task read; absent runbooks → None."""
    prints: Prints = {}
    for runbook in runbooks:
        prints[f"runbook:{runbook.id}"] = runbook.updated_at
        for stream in runbook.streams:
            prints[f"stream:{stream.id}"] = stream.updated_at
        for task in runbook.tasks:
            prints[f"task:{task.id}"] = task.updated_at
    return with_absent(prints, absent)


def with_absent(prints: Prints, absent: Iterable[tuple[str | None, str]] = ()) -> Prints:
    """`prints` with each absent runbook's key (→ None), in key order, as a plan keeps them."""
    merged = dict(prints)
    for workspace, name in absent:
        merged[absent_key(workspace, name)] = None
    return dict(sorted(merged.items()))


def stale_keys(saved: Mapping[str, str | None], current: Mapping[str, str | None]) -> list[str]:
    """Keys whose object changed, appeared or disappeared since the plan was made."""
    keys = set(saved) | set(current)
    return sorted(k for k in keys if k not in saved or k not in current or saved[k] != current[k])
