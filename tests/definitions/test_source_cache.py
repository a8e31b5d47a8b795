"""Parses kept between runs: a hit gives exactly what parsing gives, a change is a miss, a
damaged or unwritable cache is never an error, and no substituted value is written."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from tests.definitions.test_source_properties import _typed, documents

from runform.core.kept import MAX_AGE_SECONDS
from runform.core.source import parse_source, read_source
from runform.core.source_cache import SourceCache
from runform.errors import DefinitionError
from runform.providers.cutover.definitions import load_definitions
from runform.providers.cutover.definitions.project import ProjectConfig

RUNBOOK = """\
runbook:
  name: Cached
  description: ${var.RELEASE}
streams:
  - name: Work
tasks:
  - name: First
    stream: Work
    duration: 5m
  - name: Second
    stream: Work
    after: [First]
"""


def _written(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_a_second_read_is_a_hit_with_the_same_data_and_outline(tmp_path: Path):
    cache = SourceCache(tmp_path / "cache")
    path = _written(tmp_path / "r.yaml", RUNBOOK)
    first = read_source(path, cache=cache)
    second = read_source(path, cache=cache)
    assert (cache.hits, cache.misses) == (1, 1)
    assert second.data == first.data == read_source(path).data
    assert second.outline == first.outline
    assert second.outline[("tasks", 1)] == (10, 5)
    assert second.has_placeholders and second.text == RUNBOOK
    # Positions below the outline are recovered from the text, as for a parse.
    assert second.positions[("tasks", 1, "after", 0)] == (12, 13)


def test_a_changed_file_is_a_miss_and_reads_its_new_content(tmp_path: Path):
    cache = SourceCache(tmp_path / "cache")
    path = _written(tmp_path / "r.yaml", RUNBOOK)
    read_source(path, cache=cache)
    path.write_text(RUNBOOK.replace("duration: 5m", "duration: 7m"))
    again = read_source(path, cache=cache)
    assert (cache.hits, cache.misses) == (0, 2)
    assert again.data["tasks"][0]["duration"] == "7m"
    assert len(list((tmp_path / "cache").iterdir())) == 2


def test_a_file_with_a_problem_is_not_kept_and_still_reports_its_position(tmp_path: Path):
    cache = SourceCache(tmp_path / "cache")
    path = _written(tmp_path / "r.yaml", "runbook:\n  name: a\n  name: b\n")
    for _ in range(2):
        with pytest.raises(DefinitionError) as caught:
            read_source(path, cache=cache)
        problem = caught.value.problems[0]
        assert (problem.line, problem.column) == (3, 3)
        assert "duplicate key" in problem.message
    assert not (tmp_path / "cache").exists()


@pytest.mark.parametrize(
    "damage",
    [b"not json", b'{"data": 1}', b'{"data": {}, "outline": [[["a"], "1", 2]]}', b"[1, 2]"],
)
def test_a_damaged_entry_is_a_miss_and_is_written_again(tmp_path: Path, damage: bytes):
    cache = SourceCache(tmp_path / "cache")
    path = _written(tmp_path / "r.yaml", RUNBOOK)
    expected = read_source(path).data
    entry = tmp_path / "cache" / f"{SourceCache.key(path.read_bytes())}.json"
    entry.parent.mkdir(parents=True)
    entry.write_bytes(damage)
    assert read_source(path, cache=cache).data == expected
    assert cache.misses == 1
    assert read_source(path, cache=cache).data == expected
    assert cache.hits == 1
    assert json.loads(entry.read_bytes())["data"] == expected


def test_a_cache_that_cannot_be_written_is_no_error(tmp_path: Path):
    blocker = _written(tmp_path / "state", "a file where the cache directory would be\n")
    cache = SourceCache(blocker / "cache")
    path = _written(tmp_path / "r.yaml", RUNBOOK)
    assert read_source(path, cache=cache).data == read_source(path).data
    assert read_source(path, cache=cache).data["runbook"]["name"] == "Cached"
    assert cache.hits == 0


def test_the_cache_keeps_what_the_file_says_not_the_substituted_values(tmp_path: Path):
    cache = SourceCache(tmp_path / "cache")
    _written(tmp_path / "runbooks" / "r.yaml", RUNBOOK)
    secret = "s3cr3t-release-value"
    for _ in range(2):
        definitions = load_definitions(
            [tmp_path / "runbooks"], {"RELEASE": secret}, ProjectConfig(), cache=cache
        )
        assert definitions.trees[0].runbook.description == secret
    assert cache.hits == 1
    kept = b"".join(entry.read_bytes() for entry in (tmp_path / "cache").iterdir())
    assert b"${var.RELEASE}" in kept
    assert secret.encode() not in kept


def test_entries_older_than_the_limit_go_when_a_new_one_is_written(tmp_path: Path):
    cache = SourceCache(tmp_path / "cache")
    old = read_source(_written(tmp_path / "old.yaml", RUNBOOK), cache=cache)
    assert old.data is not None
    (entry,) = (tmp_path / "cache").iterdir()
    long_ago = time.time() - MAX_AGE_SECONDS - 60
    os.utime(entry, (long_ago, long_ago))
    fresh = SourceCache(tmp_path / "cache")
    read_source(_written(tmp_path / "new.yaml", RUNBOOK + "# edited\n"), cache=fresh)
    names = [p.name for p in (tmp_path / "cache").iterdir()]
    assert entry.name not in names and len(names) == 1


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=documents())
def test_a_hit_is_exactly_what_parsing_gives(tmp_path: Path, text: str):
    """Types included: 1, 1.0, True and "1" stay apart through the cache."""
    raw = text.encode()
    cache = SourceCache(tmp_path / "property-cache")
    try:
        parsed = parse_source("f.yaml", raw)
    except DefinitionError:
        with pytest.raises(DefinitionError):
            parse_source("f.yaml", raw, cache=cache)
        return
    parse_source("f.yaml", raw, cache=cache)
    hits = cache.hits
    kept = parse_source("f.yaml", raw, cache=cache)
    assert cache.hits == hits + 1
    assert _typed(kept.data) == _typed(parsed.data)
    assert kept.outline == parsed.outline
