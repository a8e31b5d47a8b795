"""The runbook `query` filter: a fuzzy search over name and description, with an index delay.

Cutover's `query` is a fuzzy search whose ranking and indexing delay are undocumented. The
sandbox plays it no kinder than that: words in any order, near spellings and prefixes match,
results come best first (not by id), and a new runbook may stay out of the results for a
while after it was made. A client that wants one exact runbook must list and compare names.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from runform.providers.cutover.sandbox.store import Record

_WORD = re.compile(r"\w+")
# Below this length a word matches only exactly or as a prefix: one edit of "a" is anything.
_FUZZY_FROM = 4
EXACT, PREFIX, NEAR = 3, 2, 1


def words(text: str | None) -> list[str]:
    """The lower-cased words of `text` (letters, digits, underscore)."""
    return _WORD.findall((text or "").lower())


def within_one_edit(a: str, b: str) -> bool:
    """True when one insertion, deletion, substitution or swap of neighbours (or none) turns
    `a` into `b`: the distance search engines' fuzzy matching counts typos by."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) < len(b):
        return a[i:] == b[i + 1 :]
    swapped = a[i : i + 2] == b[i : i + 2][::-1] and a[i + 2 :] == b[i + 2 :]
    return swapped or a[i + 1 :] == b[i + 1 :]


def _word_score(wanted: str, found: Iterable[str]) -> int:
    best = 0
    for word in found:
        if word == wanted:
            return EXACT
        if word.startswith(wanted):
            best = max(best, PREFIX)
        elif len(wanted) >= _FUZZY_FROM and (
            within_one_edit(wanted, word) or within_one_edit(wanted, word[: len(wanted)])
        ):
            best = max(best, NEAR)
    return best


def score(query: Sequence[str], record: Record) -> int:
    """How well a runbook matches the query's words (0: not at all; every word must match)."""
    name = words(str(record.get("name") or ""))
    description = words(str(record.get("description") or ""))
    total = 0
    for wanted in query:
        # A word in the name counts a little more than one in the description.
        in_name = _word_score(wanted, name) * 2
        in_description = _word_score(wanted, description)
        best = max(in_name, in_description)
        if not best:
            return 0
        total += best
    return total


@dataclass
class SearchIndex:
    """Which runbooks `query` can see: a runbook joins the index only after a delay.

    A new runbook stays out of `query` results for `delay_seconds` after it was made, and for
    the next `delay_requests` requests the sandbox handles (both, when both are set). Listing
    without `query` always shows it. Tests may change either field at any time.
    """

    delay_seconds: float = 0.0
    delay_requests: int = 0
    requests: int = field(default=0, init=False)
    _pending: dict[int, tuple[float, int]] = field(default_factory=dict, init=False, repr=False)

    def count_request(self) -> None:
        """Called once for every request the sandbox handles."""
        self.requests += 1

    def created(self, runbook_id: int) -> None:
        """A runbook was made: it is not searchable until its delay has passed."""
        self._pending[runbook_id] = (time.monotonic(), self.requests)

    def searchable(self, runbook_id: int) -> bool:
        pending = self._pending.get(runbook_id)
        if pending is None:
            return True
        made_at, made_in = pending
        if (
            time.monotonic() - made_at < self.delay_seconds
            or self.requests - made_in <= self.delay_requests
        ):
            return False
        del self._pending[runbook_id]
        return True

    def search(self, records: Iterable[Record], text: str) -> list[Record]:
        """The searchable runbooks matching `text`, best match first (ties: newest first)."""
        query = words(text)
        if not query:
            return []  # nothing to search for finds nothing, never everything
        scored = [
            (points, _id_of(record), record)
            for record in records
            if self.searchable(_id_of(record)) and (points := score(query, record))
        ]
        scored.sort(key=lambda row: (-row[0], -row[1]))
        return [record for _, _, record in scored]


def _id_of(record: Record) -> int:
    ident = record["id"]
    if not isinstance(ident, int):
        raise TypeError(f"a runbook id is an integer, not {ident!r}")
    return ident
