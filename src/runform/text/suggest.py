"""Did-you-mean suggestions in near-linear time, whatever the number of typos.

difflib compares a typo against every candidate, and each comparison costs time quadratic in
the lengths; 2,000 misspelt references against 2,000 names took over two minutes. Candidates
are indexed once by their character trigrams, so a typo is compared (with difflib's ratio, the
same measure as before) only against the few candidates that share the most trigrams with it,
of a length that could reach the cut-off. Very long values get no suggestion at all.
"""

from __future__ import annotations

import difflib
import heapq
from collections import defaultdict
from collections.abc import Iterable

# A value or candidate longer than this gets no suggestion (nobody misspells a paragraph).
LONGEST = 200
# How many of the best trigram matches are compared in full.
SHORTLIST = 12
CUTOFF = 0.6


def _grams(text: str) -> set[str]:
    padded = f"  {text.casefold()} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


class Suggester:
    """The close matches of a typo among a fixed set of candidates."""

    def __init__(self, candidates: Iterable[str]) -> None:
        self.candidates = sorted({c for c in candidates if len(c) <= LONGEST})
        self._index: dict[str, list[int]] = defaultdict(list)
        for number, candidate in enumerate(self.candidates):
            for gram in _grams(candidate):
                self._index[gram].append(number)

    def best(self, value: str, cutoff: float = CUTOFF) -> str | None:
        """The closest candidate with difflib's ratio at least `cutoff`, or None."""
        if not value or len(value) > LONGEST or not self.candidates:
            return None
        shared: dict[int, int] = defaultdict(int)
        for gram in _grams(value):
            for number in self._index.get(gram, ()):
                shared[number] += 1
        # ratio = 2·matches / (len(a) + len(b)) and matches <= the shorter length.
        low, high = len(value) * cutoff / (2 - cutoff), len(value) * (2 - cutoff) / cutoff
        ranked = heapq.nlargest(
            SHORTLIST,
            (n for n in shared if low <= len(self.candidates[n]) <= high),
            key=lambda n: (shared[n], -n),
        )
        best: tuple[float, str] | None = None
        for number in ranked:
            candidate = self.candidates[number]
            matcher = difflib.SequenceMatcher(None, value, candidate)
            if matcher.real_quick_ratio() < cutoff or matcher.quick_ratio() < cutoff:
                continue
            score = matcher.ratio()
            if score >= cutoff and (best is None or score > best[0]):
                best = (score, candidate)
        return best[1] if best else None


def closest(value: str, candidates: Iterable[str], cutoff: float = CUTOFF) -> str | None:
    """One-off suggestion (build a Suggester once when there are many typos)."""
    return Suggester(candidates).best(value, cutoff)
