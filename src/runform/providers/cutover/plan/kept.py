"""Diffs kept between runs: a runbook whose file and whose Cutover answers are what they were
at an earlier plan is not normalized and diffed again.

Between two plans most runbooks of a project have changed neither in their file nor in
Cutover, and for those normalizing the live tasks and diffing them is most of a plan's CPU
after the reading. A runbook's plan is a function of what goes in: the resolved tree (its
file, with the directory's ids), what Cutover answered for it (the runbook, its streams and
runbook teams, and the bodies its task rows were decoded from: `live.fetch.RunbookRead`), the
template it copies, the plan's options, the directory (`Lookups`), and runform's code
(`code_identity`: the decoding, normalizing and diffing modules). An entry's name is a
SHA-256 of all of these, so anything different is a miss, never a stale hit; the entry is the
runbook's plan and its fingerprint, as the diff made them, in `.runform/cache/plans/`.

Never kept, so always diffed: a runbook whose file has `${...}` placeholders (its plan may
hold values from the environment or `--var`, which never reach the disk), one whose tasks
link runbooks (those runbooks' names are read apart from its rows), an archive, and what
apply re-reads after a write. An entry that cannot be read or does not validate is a miss; the
store never fails a plan (`core.kept`).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pydantic import BaseModel, TypeAdapter

from runform.core.kept import KeptEntries, KeptStore
from runform.core.kept import code_identity as kept_code
from runform.providers.cutover.api.records import Resource
from runform.providers.cutover.live.fetch import RunbookRead
from runform.providers.cutover.live.lookups import KINDS, Lookups
from runform.providers.cutover.plan.fingerprint import Prints
from runform.providers.cutover.plan.model import RunbookPlan
from runform.providers.cutover.plan.options import PlanOptions
from runform.providers.cutover.state.shapes import LiveRunbook, RunbookTree

FORMAT = "runform-kept-diff/1"
# The code a runbook's plan is made by, below runform's package: its digest is in every key,
# so a changed rule misses even where the version did not move (a checkout, an editable install).
CODE = ("__init__.py", "core", "providers/cutover/api", "providers/cutover/live",
        "providers/cutover/plan", "providers/cutover/state",
        "providers/cutover/engine.py")  # fmt: skip

_RESOURCES = TypeAdapter(list[Resource])


class KeptDiff(BaseModel):
    """One kept entry: a runbook's plan and the fingerprint of what it was made from.

    `same_outline`: the plan's outline after is its outline before (the diff's own shortcut
    for a runbook with nothing to change), kept once: outlines are most of an entry's size
    and of the time reading it takes."""

    prints: Prints
    plan: RunbookPlan
    same_outline: bool = False


class KeptDiffs(KeptStore):
    """Runbook plans in `directory`, by a digest of everything they were made from."""

    def __init__(self, directory: str | Path) -> None:
        self.entries = KeptEntries(directory)
        self._directory: tuple[Lookups, bytes] | None = None

    @staticmethod
    def usable(tree: RunbookTree) -> bool:
        """Whether this runbook's plan may be looked for (see the module for what is not).
        Whether its tasks link runbooks is known only once its rows are decoded: a plan is
        kept only without links (`keepable`), so an entry found was made without them."""
        return not tree.uses_variables and not tree.archived

    @staticmethod
    def keepable(read: RunbookRead) -> bool:
        """Whether the runbook's rows allow its plan to be kept (no task links a runbook)."""
        return not read.has_links()

    def key(
        self,
        tree: RunbookTree,
        read: RunbookRead,
        template: LiveRunbook | None,
        options: PlanOptions,
        lookups: Lookups,
    ) -> str:
        """The entry's name for this runbook's plan."""
        digest = hashlib.sha256(code_identity())
        parts = (
            self._directory_digest(lookups),
            # exclude_unset: a field written as null and one not written plan differently.
            options.model_dump_json(exclude_unset=True).encode(),
            tree.model_dump_json(exclude_unset=True).encode(),
            b"-" if template is None else template.model_dump_json(exclude_unset=True).encode(),
            read.runbook_id.encode(),
            _RESOURCES.dump_json([read.parts.resource]),
            _RESOURCES.dump_json(read.parts.stream_rows),
            _RESOURCES.dump_json(read.parts.team_rows),
            read.tasks.digest,
        )
        for part in parts:  # each with its length, so no two different inputs run together
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)
        return digest.hexdigest()

    def get(self, key: str) -> tuple[Prints, RunbookPlan] | None:
        """The fingerprint and plan kept under `key`, or None (absent, unreadable, misshapen)."""
        entry = self.entries.load(key, KeptDiff.model_validate_json)
        if entry is None:
            return None
        if entry.same_outline:
            entry.plan.outline_after = entry.plan.outline_before
        return entry.prints, entry.plan

    def put(self, key: str, prints: Prints, plan: RunbookPlan) -> None:
        """Keep a runbook's plan; written whole or not at all."""
        same = plan.outline_before is not None and plan.outline_after is plan.outline_before
        kept = plan.model_copy(update={"outline_after": None}) if same else plan
        entry = KeptDiff(prints=prints, plan=kept, same_outline=same)
        # Only the fields set, so the plan read back has the same fields set as this one.
        self.entries.write(key, entry.model_dump_json(exclude_unset=True).encode())

    def _directory_digest(self, lookups: Lookups) -> bytes:
        """The directory's digest, made once per plan (every runbook's key holds it)."""
        if self._directory is None or self._directory[0] is not lookups:
            rows = [
                [e.kind, e.id, e.name, list(e.aliases), e.workspace_id, e.attributes]
                for kind in KINDS
                for e in lookups.entries(kind)
            ]
            text = json.dumps(rows, sort_keys=True, default=str, ensure_ascii=False)
            self._directory = (lookups, hashlib.sha256(text.encode()).digest())
        return self._directory[1]


def code_identity() -> bytes:
    """The decoding, normalizing and diffing code's digest (`core.kept.code_identity`)."""
    return kept_code(FORMAT, CODE)
