"""Entries kept between runs in one directory of `.runform/cache/`, each named by a digest.

What the caches keep (`core.source_cache`: parsed files; the Cutover provider's kept trees
and plans) is only ever an optimisation, so this store never fails a command: an entry that
cannot be read is None, a directory that cannot be written is left alone. Entries are written
whole (a scratch file renamed into place, so two runs at once each leave a complete one), and
the ones older than `MAX_AGE_SECONDS`, and the oldest beyond `MAX_ENTRIES`, are removed when
a run first writes, so changes do not pile up.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TypeVar

import runform

MAX_AGE_SECONDS = 14 * 24 * 3600
# At most this many entries stay in one directory, the newest: a project changed and planned
# all day long would otherwise keep every version of every runbook for two weeks.
MAX_ENTRIES = 2000
SUFFIX = ".json"
T = TypeVar("T")


class KeptEntries:
    """The entries of one cache directory, by name (a hex digest the caller computes)."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)
        self._pruned = False
        self._made = False
        self.hits = 0
        self.misses = 0

    def read(self, key: str) -> bytes | None:
        """The entry's bytes, or None when it is absent or cannot be read."""
        try:
            return (self.directory / f"{key}{SUFFIX}").read_bytes()
        except OSError:
            return None

    def load(self, key: str, decode: Callable[[bytes], T], *, count_miss: bool = True) -> T | None:
        """`decode` of the entry's bytes, or None when it is absent or `decode` refuses it
        (ValueError, which pydantic's ValidationError is, TypeError or KeyError); counted in
        `hits` and `misses` (a miss left to the caller with `count_miss=False`)."""
        content = self.read(key)
        try:
            if content is None:
                raise ValueError("absent")
            found = decode(content)
        except (ValueError, TypeError, KeyError):
            if count_miss:
                self.misses += 1
            return None
        self.hits += 1
        return found

    def write(self, key: str, content: bytes) -> None:
        """Keep `content` under `key`: written whole or not at all."""
        target = self.directory / f"{key}{SUFFIX}"
        scratch = target.with_name(f".{key}.{os.getpid()}.tmp")
        try:
            if not self._made:
                self.directory.mkdir(parents=True, exist_ok=True)
                self._made = True
            scratch.write_bytes(content)
            os.replace(scratch, target)
        except OSError:
            with contextlib.suppress(OSError):
                scratch.unlink()
            return
        self._prune()

    def _prune(self) -> None:
        """Remove entries written more than MAX_AGE_SECONDS ago, then the oldest beyond
        MAX_ENTRIES; once per run."""
        if self._pruned:
            return
        self._pruned = True
        oldest = time.time() - MAX_AGE_SECONDS
        kept: list[tuple[float, str]] = []
        with contextlib.suppress(OSError), os.scandir(self.directory) as entries:
            for entry in entries:
                with contextlib.suppress(OSError):
                    written = entry.stat().st_mtime
                    if written < oldest:
                        os.unlink(entry.path)
                    else:
                        kept.append((written, entry.path))
        kept.sort(reverse=True)
        for _, path in kept[MAX_ENTRIES:]:
            with contextlib.suppress(OSError):
                os.unlink(path)


class KeptStore:
    """A cache over one directory of entries (`entries`), whose hits and misses it reports."""

    entries: KeptEntries

    @property
    def hits(self) -> int:
        return self.entries.hits

    @property
    def misses(self) -> int:
        return self.entries.misses


@cache
def code_identity(name: str, parts: tuple[str, ...]) -> bytes:
    """What a kept entry is made by besides its inputs: runform's version, pydantic's, and the
    bytes of the modules `parts` names below runform's package (folders whole). In every key,
    so a changed rule misses even where the version did not move (a checkout, an editable
    install). Found once per process (a few milliseconds)."""
    import pydantic  # here: the parse cache, which imports this module, needs none of it
    import pydantic_core

    versions = f"{name}\0{runform.__version__}\0{pydantic.VERSION}\0{pydantic_core.__version__}\0"
    digest = hashlib.sha256(versions.encode())
    root = Path(runform.__file__).parent
    for part in parts:
        where = root / part
        files = sorted(where.rglob("*.py")) if where.is_dir() else [where]
        for path in files:
            digest.update(str(path.relative_to(root)).encode() + b"\0")
            try:
                digest.update(path.read_bytes())
            except OSError:  # a packaging without source files: the versions alone
                digest.update(b"?")
            digest.update(b"\0")
    return digest.digest()
