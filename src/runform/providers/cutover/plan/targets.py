"""`--target` and `--exclude`: keep part of a plan by address globs, consistently."""

from __future__ import annotations

import re
from collections.abc import Sequence

from runform.core.address import address_matches, address_pattern
from runform.errors import PlanError
from runform.providers.cutover.plan.model import RunbookPlan, runbook_address

# runbook["Name"], optionally .task["Name"], .stream["Name"] or .rto; * and ? may stand anywhere.
_QUOTED = r'"(?:[^"\\]|\\.)*"'  # a name in quotes, \" and \\ escaped as in plan addresses
__all__ = ["address_matches", "address_pattern", "check_glob", "check_targets"]
_ADDRESS_SHAPE = re.compile(rf"runbook\[{_QUOTED}\](?:\.(?:task|stream)\[{_QUOTED}\]|\.rto)?")
ADDRESS_HELP = (
    'addresses look like runbook["Name"], runbook["Name"].task["Task"], '
    'runbook["Name"].stream["Stream"] or runbook["Name"].rto; * and ? are wildcards'
)


def check_glob(flag: str, glob: str) -> None:
    """Refuse an address glob that is not shaped like an address."""
    if not (_ADDRESS_SHAPE.fullmatch(glob) or glob[:1] in ("*", "?")):
        raise PlanError(f"{flag} {glob}: not an address; {ADDRESS_HELP}")


def check_targets(names: Sequence[str], targets: Sequence[str], excludes: Sequence[str]) -> None:
    """Refuse a malformed address glob, and a --target that names no runbook in the files.

    A typo in a CI job's --target would otherwise plan nothing and report "No changes".
    """
    for flag, globs in (("--target", targets), ("--exclude", excludes)):
        for glob in globs:
            check_glob(flag, glob)
    addresses = [runbook_address(name) for name in names]
    for glob in targets:
        head = glob.split("].", 1)[0] + "]" if "]." in glob else glob
        if head.startswith("runbook[") and not any(
            address_pattern(head).fullmatch(a) for a in addresses
        ):
            shown = ", ".join(addresses[:10]) + (", ..." if len(addresses) > 10 else "")
            raise PlanError(f"--target {glob} matches no runbook in the files ({shown})")


def runbook_selected(name: str, targets: Sequence[str], excludes: Sequence[str]) -> bool:
    """Whether a runbook can have targeted changes at all (saves fetching the others)."""
    address = runbook_address(name)
    if excludes and any(address_pattern(g).fullmatch(address) for g in excludes):
        return False
    if not targets:
        return True
    for glob in targets:
        head = glob.split("].", 1)[0] + "]" if "]." in glob else glob
        if address_pattern(head).fullmatch(address) or not head.startswith("runbook["):
            return True
    return False


def select_changes(
    runbooks: list[RunbookPlan], targets: Sequence[str], excludes: Sequence[str]
) -> list[RunbookPlan]:
    """Keep targeted changes plus what they depend on; drop excluded ones and what needs them."""
    if not targets and not excludes:
        return runbooks
    changes = {c.address: c for rb in runbooks for c in rb.changes}
    keep = set(changes)
    if targets:
        keep = {a for a in changes if address_matches(a, targets)}
        pending = list(keep)
        while pending:
            for dep in changes[pending.pop()].depends_on:
                if dep in changes and dep not in keep:
                    keep.add(dep)
                    pending.append(dep)
    if excludes:
        dropped = {a for a in keep if address_matches(a, excludes)}
        grew = True
        while grew:
            more = {a for a in keep - dropped if set(changes[a].depends_on) & dropped}
            grew = bool(more)
            dropped |= more
        keep -= dropped
    result = []
    for plan in runbooks:
        kept = [c for c in plan.changes if c.address in keep]
        left_out = len(plan.changes) - len(kept)
        warnings = list(plan.warnings)
        if left_out:
            warnings.append(f"{left_out} change(s) left out by --target/--exclude")
        if kept or not targets:
            result.append(plan.model_copy(update={"changes": kept, "warnings": warnings}))
    return result
