"""Importing aiohttp without its two unused default SSL contexts loading the CA file.

When first imported, aiohttp makes a verifying and a non-verifying default SSL context, and
each loads the system's CA file: about 25 ms of CPU apiece, half of what importing aiohttp
costs (docs/benchmarks.md, "Round seven"). runform never uses them: a connector it opens for
an https target gets httpx's context, made then (`core.http.transport`). So the command line
(`cli.main`) asks for a light import: while aiohttp is imported, SSL_CERT_FILE names an
empty file, and the variable is restored (or removed) at once. aiohttp's two contexts then
look certificates up in the system's CA directory, where there is one; runform's own
context, made later, loads the CA file (or the user's SSL_CERT_FILE) exactly as before.
Code that imports runform as a library gets aiohttp as it is.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

CA_FILE_VARIABLE = "SSL_CERT_FILE"  # read by OpenSSL when a context loads its defaults
_light = {"asked": False}


def ask_for_light_import() -> None:
    """From here on, `importing_aiohttp` hides the CA file (the command line's choice)."""
    _light["asked"] = True


@contextmanager
def importing_aiohttp() -> Iterator[None]:
    """Around `import aiohttp`: the CA file hidden for its duration, when asked for and
    aiohttp is not imported yet; otherwise nothing."""
    if not _light["asked"] or "aiohttp" in sys.modules:
        yield
        return
    saved = os.environ.get(CA_FILE_VARIABLE)
    os.environ[CA_FILE_VARIABLE] = os.devnull
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop(CA_FILE_VARIABLE, None)
        else:
            os.environ[CA_FILE_VARIABLE] = saved
