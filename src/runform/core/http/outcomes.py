"""What one attempt's outcome means for the request: retry it, or stop, sure or unsure.

The one place that decides whether a request may be sent again. A read may always be read
again. A write may be sent again only when the server certainly did not act on it: the
request never left (a failed connect), the server refused it (429), or it declined it for now
and said when to return (503 with Retry-After). Any other failure after a write was sent
leaves its outcome unknown: the applier re-reads instead of guessing.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

RETRYABLE_READ_STATUSES = frozenset({429, 500, 502, 503, 504})
WRITE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})


class Verdict(Enum):
    """What to do after one attempt."""

    DONE = "done"  # a success: nothing more to do
    RETRY = "retry"  # safe to send again (within the retry budget)
    FINAL = "final"  # stop: the failure is certain, and sending again cannot help
    AMBIGUOUS = "ambiguous"  # stop: a write may or may not have happened


@dataclass(frozen=True)
class Outcome:
    """One attempt as the transport saw it.

    `status` is the HTTP status when an answer came, else None; `sent` is False only when the
    request certainly never left (refused connection, DNS failure, connect timeout, TLS
    refused); `lasting` marks such a failure that retrying within seconds cannot change (a
    refused connection, an unknown host, a refused certificate); `retry_after` says the
    answer carried a Retry-After header.
    """

    status: int | None = None
    sent: bool = True
    retry_after: bool = False
    lasting: bool = False


def classify(method: str, outcome: Outcome) -> Verdict:
    """The verdict for `method` after `outcome`: a pure function, tested as a table."""
    is_write = method.upper() in WRITE_METHODS
    status = outcome.status
    if status is None:
        if not outcome.sent:
            # Never left: safe to resend, unless retrying cannot help (a wrong URL stays wrong).
            return Verdict.FINAL if outcome.lasting else Verdict.RETRY
        return Verdict.AMBIGUOUS if is_write else Verdict.RETRY
    if status < 400:
        return Verdict.DONE
    declined = status == 503 and outcome.retry_after
    if status == 429 or declined:
        return Verdict.RETRY  # not handled: even a write may be sent again
    if is_write:
        return Verdict.AMBIGUOUS if status >= 500 else Verdict.FINAL
    return Verdict.RETRY if status in RETRYABLE_READ_STATUSES else Verdict.FINAL
