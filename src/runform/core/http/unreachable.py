"""Why a connection failed, in words a user can act on, and how long retrying may help.

An unknown host name and a refused certificate do not fix themselves in the seconds a retry
waits (a typo, a missing CA bundle): they fail at once. A refused connection is usually a
wrong URL or port, but also a server restarting, so it is retried for one second at most: a
mistyped URL fails within two or three seconds of starting, interpreter start-up included.
A connect timeout may be a busy network and gets the ordinary retry policy.
"""

from __future__ import annotations

import socket
import ssl
from dataclasses import dataclass

REFUSED_BUDGET = 1.0
CERTIFICATE_REFUSED = "the server's TLS certificate was refused (verification failed)"


@dataclass(frozen=True)
class ConnectFailure:
    """What went wrong before the request left, and whether a retry could change it."""

    cause: str
    lasting: bool  # retrying cannot help: fail now
    budget: float | None = None  # seconds of waiting worth spending on retries (None: policy)


def connect_failure(err: BaseException) -> ConnectFailure:
    """The cause of a failed connect, found along the exception's chain."""
    seen: set[int] = set()
    current: BaseException | None = err
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLCertVerificationError):
            detail = getattr(current, "verify_message", None) or "verification failed"
            return ConnectFailure(f"the server's TLS certificate was refused ({detail})", True)
        if isinstance(current, socket.gaierror):
            return ConnectFailure("the host name could not be resolved", True)
        if isinstance(current, ConnectionRefusedError):
            return ConnectFailure(
                "the connection was refused (nothing listens there)", False, REFUSED_BUDGET
            )
        if isinstance(current, TimeoutError):
            return ConnectFailure("the connection timed out", False)
        current = current.__cause__ or current.__context__
    if "CERTIFICATE_VERIFY_FAILED" in str(err):  # OpenSSL's code, when the chain lost the type
        return ConnectFailure(CERTIFICATE_REFUSED, True)
    return ConnectFailure(f"could not connect ({type(err).__name__})", False)
