"""Did-you-mean: close matches by the similarity difflib approximates, quickly."""

from __future__ import annotations

import difflib

from hypothesis import given
from hypothesis import strategies as st

from runform.text.suggest import LONGEST, Suggester, closest

NAMES = [
    "Back up ledger",
    "Back up databases",
    "Confirm go/no-go",
    "Notify merchants",
    "Smoke test",
    "Switch DNS",
    "Drain traffic",
]


def test_a_typo_finds_its_name() -> None:
    suggester = Suggester(NAMES)
    assert suggester.best("Smoke tset") == "Smoke test"
    assert suggester.best("back up ledgr") == "Back up ledger"
    assert suggester.best("Confirm go no go") == "Confirm go/no-go"
    assert suggester.best("completely different") is None


def test_a_typo_among_thousands_of_names_is_found() -> None:
    names = [f"Migrate shard {i:04} of the ledger" for i in range(3_000)]
    assert Suggester(names).best("Migrate shrad 1234 of the ledger") == (
        "Migrate shard 1234 of the ledger"
    )


def test_very_long_values_get_no_suggestion() -> None:
    assert closest("x" * (LONGEST + 1), ["x" * (LONGEST + 1), "x"]) is None
    assert closest("", NAMES) is None
    assert Suggester([]).best("anything") is None


WORDS = st.text(st.sampled_from("abcdefgh "), min_size=1, max_size=12)


def _similarity(a: str, b: str) -> float:
    """2·LCS / (len(a) + len(b)), by dynamic programming: the measure suggestions use."""
    row = [0] * (len(b) + 1)
    for x in a:
        previous = 0
        for j, y in enumerate(b, 1):
            previous, row[j] = row[j], previous + 1 if x == y else max(row[j], row[j - 1])
    return 2 * row[-1] / (len(a) + len(b))


@given(st.lists(WORDS, min_size=1, max_size=30, unique=True), WORDS)
def test_the_suggestion_is_the_most_similar_name_above_the_cutoff(
    names: list[str], typo: str
) -> None:
    found = Suggester(names).best(typo)
    scores = {name: _similarity(typo, name) for name in names}
    if found is None:
        assert all(score < 0.6 for score in scores.values())
    else:
        assert scores[found] >= 0.6 - 1e-9
        assert scores[found] >= max(scores.values()) - 1e-9


@given(st.lists(WORDS, min_size=1, max_size=12, unique=True), WORDS)
def test_when_difflib_finds_an_exact_or_near_match_so_does_the_index(
    names: list[str], typo: str
) -> None:
    best = difflib.get_close_matches(typo, names, n=1, cutoff=0.8)
    if best:
        assert Suggester(names).best(typo) is not None
