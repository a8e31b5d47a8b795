"""Did-you-mean suggestions that stay fast however many typos a file holds.

difflib compares in pure Python, at a cost quadratic in the lengths: 2,000 misspelt
references checked against 2,000 names took over two minutes. rapidfuzz computes the same kind
of score (the normalised Indel similarity, 2·LCS / (len(a) + len(b)), which is what difflib's
ratio approximates) in compiled code, with a score cut-off that skips most candidates early.
Very long values get no suggestion at all: nobody misspells a paragraph, and comparing one
costs time.
"""

from __future__ import annotations

from collections.abc import Iterable

# A value or candidate longer than this gets no suggestion.
LONGEST = 200
# The least similarity (0-1) for a suggestion: difflib's default cut-off.
CUTOFF = 0.6


class Suggester:
    """The close matches of a typo among a fixed set of candidates."""

    def __init__(self, candidates: Iterable[str]) -> None:
        self.candidates = sorted({c for c in candidates if len(c) <= LONGEST})

    def best(self, value: str, cutoff: float = CUTOFF) -> str | None:
        """The most similar candidate scoring at least `cutoff`, or None (ties: the first)."""
        if not value or len(value) > LONGEST or not self.candidates:
            return None
        # Imported on the first typo: a plan of valid files builds Suggesters but never asks
        # them, and rapidfuzz costs about 7 ms of CPU to import.
        from rapidfuzz import fuzz, process

        found = process.extractOne(
            value, self.candidates, scorer=fuzz.ratio, score_cutoff=cutoff * 100
        )
        return found[0] if found else None


def closest(value: str, candidates: Iterable[str], cutoff: float = CUTOFF) -> str | None:
    """One-off suggestion (build a Suggester once when there are many typos)."""
    return Suggester(candidates).best(value, cutoff)
