"""Whether a request may be sent again: one pure decision, checked as a table."""

from __future__ import annotations

import pytest

from runform.core.http.outcomes import Outcome, Verdict, classify

NOT_SENT = Outcome(sent=False)
NO_ANSWER = Outcome(sent=True)
LASTING = Outcome(sent=False, lasting=True)  # refused, unknown host, bad certificate

TABLE = [
    # method, outcome, verdict
    ("GET", Outcome(status=200), Verdict.DONE),
    ("POST", Outcome(status=201), Verdict.DONE),
    ("DELETE", Outcome(status=204), Verdict.DONE),
    ("GET", NOT_SENT, Verdict.RETRY),
    ("POST", NOT_SENT, Verdict.RETRY),  # the write never left
    ("GET", LASTING, Verdict.FINAL),  # retrying within seconds cannot change it
    ("PATCH", LASTING, Verdict.FINAL),
    ("GET", NO_ANSWER, Verdict.RETRY),
    ("POST", NO_ANSWER, Verdict.AMBIGUOUS),  # sent, no answer: it may have happened
    ("PATCH", NO_ANSWER, Verdict.AMBIGUOUS),
    ("DELETE", NO_ANSWER, Verdict.AMBIGUOUS),
    ("GET", Outcome(status=429), Verdict.RETRY),
    ("POST", Outcome(status=429), Verdict.RETRY),  # refused outright
    ("GET", Outcome(status=500), Verdict.RETRY),
    ("GET", Outcome(status=502), Verdict.RETRY),
    ("GET", Outcome(status=503), Verdict.RETRY),
    ("GET", Outcome(status=504), Verdict.RETRY),
    ("GET", Outcome(status=501), Verdict.FINAL),
    ("POST", Outcome(status=500), Verdict.AMBIGUOUS),
    ("PATCH", Outcome(status=502), Verdict.AMBIGUOUS),
    ("POST", Outcome(status=503), Verdict.AMBIGUOUS),  # no Retry-After: may have happened
    ("POST", Outcome(status=503, retry_after=True), Verdict.RETRY),  # declined for now
    ("GET", Outcome(status=503, retry_after=True), Verdict.RETRY),
    ("POST", Outcome(status=500, retry_after=True), Verdict.AMBIGUOUS),  # only 503 declines
    ("POST", Outcome(status=504), Verdict.AMBIGUOUS),
    ("POST", Outcome(status=422), Verdict.FINAL),
    ("PATCH", Outcome(status=409), Verdict.FINAL),
    ("GET", Outcome(status=404), Verdict.FINAL),
    ("GET", Outcome(status=401), Verdict.FINAL),
    ("GET", Outcome(status=400), Verdict.FINAL),
    ("PUT", Outcome(status=500), Verdict.AMBIGUOUS),
    ("get", NO_ANSWER, Verdict.RETRY),
    ("post", NO_ANSWER, Verdict.AMBIGUOUS),
]


@pytest.mark.parametrize(("method", "outcome", "verdict"), TABLE)
def test_each_outcome_has_one_verdict(method: str, outcome: Outcome, verdict: Verdict) -> None:
    assert classify(method, outcome) is verdict
