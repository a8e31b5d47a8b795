"""Files already parsed, found again by the digest of their bytes.

Parsing YAML is the largest part of loading a project (about 17 ms per 200-task file), and
between two plans almost every file is unchanged; in CI, the files at the base revision are
mostly the files being planned. So the plain data and outline `source.parse_source` builds are
kept as JSON, one file per digest of the file's bytes, under `.runform/cache/sources/`.

A digest names the content, not the path, so a changed file is a miss and never a stale hit;
the digest covers what parses too: the cache's format, runform's version, the parser's own
code (`core/source.py`, so a changed rule misses even where the version did not move, as in a
checkout) and PyYAML's (its `__init__.py`, which carries its version). What is kept is what
the file says, before `${var.NAME}` substitution, so no value from the environment is
written. The cache is only ever an optimisation: an entry that cannot be read or has the
wrong shape is a miss, and a directory that cannot be written (a read-only checkout) is left
alone (`core.kept`). Entries older than two weeks are removed when a new one is written, so
edits do not pile up; an unchanged file is then parsed once more.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from functools import cache
from pathlib import Path
from typing import Any

from runform import __version__
from runform.core.kept import KeptEntries, KeptStore
from runform.core.problems import Path as FieldPath

FORMAT = "runform-source-cache/1"

Outline = dict[FieldPath, tuple[int, int]]


class SourceCache(KeptStore):
    """Parsed files in `directory`, keyed by a digest of their bytes (see the module)."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.entries = KeptEntries(directory)
        self.directory = self.entries.directory

    @staticmethod
    def key(raw: bytes) -> str:
        """The entry's name: what parses (`parser_identity`) and the file's bytes."""
        digest = hashlib.sha256(parser_identity())
        digest.update(raw)
        return digest.hexdigest()

    def get(self, key: str) -> tuple[Any, Outline] | None:
        """The data and outline kept for `key`, or None (absent, unreadable, misshapen)."""
        return self.entries.load(key, _entry)

    def put(self, key: str, data: Any, outline: Outline) -> None:
        """Keep a parse; written whole or not at all (two runs at once each write a full file)."""
        entry = {"data": data, "outline": [[list(path), *at] for path, at in outline.items()]}
        try:
            text = json.dumps(entry, ensure_ascii=False).encode("utf-8")
        except (ValueError, TypeError):
            return
        self.entries.write(key, text)


@cache
def parser_identity() -> bytes:
    """What a parse depends on besides the file: found once per process (about 0.1 ms)."""
    digest = hashlib.sha256(f"{FORMAT}\0{__version__}\0".encode())
    spec = importlib.util.find_spec("yaml")
    for code in (Path(__file__).with_name("source.py"), spec.origin if spec else None):
        try:
            digest.update(Path(code).read_bytes() if code else b"-")
        except OSError:  # a packaging without source files: the versions alone
            digest.update(b"?")
        digest.update(b"\0")
    return digest.digest()


def _entry(text: bytes) -> tuple[Any, Outline]:
    """A kept parse's data and outline; ValueError for anything that is not one."""
    entry = json.loads(text)
    data = entry["data"]
    outline = {tuple(path): (line, column) for path, line, column in entry["outline"]}
    if not _is_outline(outline):
        raise ValueError("not an outline")
    return data, outline


def _is_outline(outline: dict[Any, Any]) -> bool:
    """Paths of text and indexes, positions of two integers: anything else is not ours."""
    for path, (line, column) in outline.items():
        if type(line) is not int or type(column) is not int:
            return False
        for step in path:
            if type(step) is not str and type(step) is not int:
                return False
    return True
