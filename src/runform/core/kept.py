"""Entries kept between runs in one directory of `.runform/cache/`, each named by a digest.

What the caches keep (`core.source_cache`: parsed files; the Cutover provider's kept diffs)
is only ever an optimisation, so this store never fails a command: an entry that cannot be
read is None, a directory that cannot be written is left alone. Entries are written whole (a
scratch file renamed into place, so two runs at once each leave a complete one), and the ones
older than `MAX_AGE_SECONDS` are removed when a run first writes, so changes do not pile up.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

MAX_AGE_SECONDS = 14 * 24 * 3600
SUFFIX = ".json"


class KeptEntries:
    """The entries of one cache directory, by name (a hex digest the caller computes)."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)
        self._pruned = False

    def read(self, key: str) -> bytes | None:
        """The entry's bytes, or None when it is absent or cannot be read."""
        try:
            return (self.directory / f"{key}{SUFFIX}").read_bytes()
        except OSError:
            return None

    def write(self, key: str, content: bytes) -> None:
        """Keep `content` under `key`: written whole or not at all."""
        target = self.directory / f"{key}{SUFFIX}"
        scratch = target.with_name(f".{key}.{os.getpid()}.tmp")
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            scratch.write_bytes(content)
            os.replace(scratch, target)
        except OSError:
            with contextlib.suppress(OSError):
                scratch.unlink()
            return
        self._prune()

    def _prune(self) -> None:
        """Remove entries written more than MAX_AGE_SECONDS ago, once per run."""
        if self._pruned:
            return
        self._pruned = True
        oldest = time.time() - MAX_AGE_SECONDS
        with contextlib.suppress(OSError), os.scandir(self.directory) as entries:
            for entry in entries:
                with contextlib.suppress(OSError):
                    if entry.stat().st_mtime < oldest:
                        os.unlink(entry.path)
