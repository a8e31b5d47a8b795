"""The store behind the caches (`core.kept`): whole entries, misses for what cannot be read,
and a directory that does not grow without end."""

from __future__ import annotations

import os
import time
from pathlib import Path

from runform.core import kept
from runform.core.kept import KeptEntries


def test_an_entry_is_read_back_and_a_refused_one_is_a_miss(tmp_path: Path):
    store = KeptEntries(tmp_path / "store")
    store.write("a", b"42")
    assert store.load("a", int) == 42
    assert store.load("b", int) is None  # absent
    store.write("c", b"forty-two")
    assert store.load("c", int) is None  # refused by its decoder
    assert (store.hits, store.misses) == (1, 2)
    assert not [p for p in (tmp_path / "store").iterdir() if p.name.endswith(".tmp")]


def test_the_oldest_entries_beyond_the_limit_go_when_a_run_writes(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(kept, "MAX_ENTRIES", 3)
    folder = tmp_path / "store"
    first = KeptEntries(folder)
    now = time.time()
    for index in range(5):
        first.write(f"e{index}", b"x")
        os.utime(folder / f"e{index}.json", (now - 100 + index, now - 100 + index))
    later = KeptEntries(folder)  # another run: it prunes when it first writes
    later.write("new", b"x")
    assert sorted(p.name for p in folder.iterdir()) == ["e3.json", "e4.json", "new.json"]


def test_an_unwritable_directory_is_left_alone(tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    store = KeptEntries(blocker / "store")
    store.write("a", b"1")
    assert store.load("a", int) is None
