"""Runbook trees kept between runs: an unchanged file is not validated, checked and built again.

With its parse kept (`core.source_cache`), loading a runbook file still validates it against
the models, checks it and builds its trees: about 3 ms a 200-task file. A file's trees are a
function of its name (their messages' positions), its bytes, the project's settings
(`runform.yaml`: the default workspace and folder), the installed providers (which claim
files by their keys) and runform's code, so they are kept as
JSON in `.runform/cache/trees/`, under a SHA-256 of those (`key`); a file that differs in any
of them is a miss and is loaded as before.

Kept only when the whole load succeeded (so every kept file loads with no problem) and never
for a file with `${...}` placeholders (its trees hold values from the environment or
`--var`). Checks across files (two files naming one runbook, runbook renames) need every
file's parsed document: when kept trees are among the files and any such check could apply,
the load is made again without them, so the problems are reported exactly as before
(`load.load_definitions`). An entry that cannot be read or does not validate is a miss.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from pydantic import TypeAdapter

from runform.core.kept import KeptEntries, KeptStore, code_identity
from runform.core.source_cache import parser_identity
from runform.providers.cutover.definitions.project import ProjectConfig
from runform.providers.cutover.state.shapes import RunbookTree
from runform.providers.registry import installed

FORMAT = "runform-kept-trees/1"
# What builds a tree from a file's parse: its digest is in every key (`core.kept`).
CODE = ("__init__.py", "core/source.py", "core/problems.py", "providers/cutover/definitions",
        "providers/cutover/state")  # fmt: skip

_TREES = TypeAdapter(list[RunbookTree])


class KeptTrees(KeptStore):
    """Each runbook file's trees in `directory`, by a digest of what they were built from."""

    def __init__(self, directory: str | Path) -> None:
        self.entries = KeptEntries(directory)

    @staticmethod
    def key(name: str, raw: bytes, project: ProjectConfig) -> str:
        """The entry's name for the file called `name` (as its messages name it) with `raw`."""
        digest = hashlib.sha256(code_identity(FORMAT, CODE))
        digest.update(parser_identity())
        # The installed providers too: one installed since may claim a file's keys.
        providers = ",".join(sorted(installed())).encode()
        settings = project.model_dump_json(exclude_unset=True).encode()
        for part in (providers, settings, name.encode(), raw):
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)
        return digest.hexdigest()

    def get(self, key: str) -> list[RunbookTree] | None:
        """The trees kept under `key`, or None (absent, unreadable, misshapen). A miss is
        counted by `missed`, once the file is known to be a runbook file: another provider's
        file is looked for too, but is never one of ours to keep."""
        return self.entries.load(key, _TREES.validate_json, count_miss=False)

    def missed(self) -> None:
        """Count a runbook file whose trees were not found (for `--stats`)."""
        self.entries.misses += 1

    def put(self, key: str, trees: list[RunbookTree]) -> None:
        """Keep one file's trees; written whole or not at all."""
        # Only the fields set: a tree read back then has the same fields set as the one built,
        # and the plan tells a field not written (left alone) from one written empty.
        self.entries.write(key, _TREES.dump_json(trees, exclude_unset=True))


Identity = tuple[str | None, str, str | None]  # a runbook's workspace, name, renamed_from


def may_conflict(runbooks: Iterable[Identity], default_workspace: str | None) -> bool:
    """Whether a check across files could find a problem among these runbooks: two of one
    name in one workspace (case aside), or any runbook renamed (its checks compare it with
    every file). False is certain; True only means the full checks must run."""
    seen: set[tuple[str, str]] = set()
    for workspace, name, renamed_from in runbooks:
        if renamed_from is not None:
            return True
        identity = ((workspace or default_workspace or "").casefold(), name.casefold())
        if identity in seen:
            return True
        seen.add(identity)
    return False


def identity_of(tree: RunbookTree) -> Identity:
    return tree.runbook.workspace, tree.runbook.name, tree.runbook_renamed_from
