"""Output on any terminal: where the stream's encoding cannot show runform's marks, ASCII ones.

The plan marks template copies with `»`, changes with `→`, refusals with `✗`; a terminal or a
CI log whose encoding is ASCII (`PYTHONIOENCODING=ascii`, `LANG=C` on some systems) cannot
encode them, and Python stops with a traceback on the first one. The standard streams are told
to write each mark it cannot encode as its ASCII stand-in, and any other character as an
escape (`\\u00e9`), so output never stops half-way.
"""

from __future__ import annotations

import codecs
import sys
from typing import TextIO

ASCII_MARKS = {
    "»": ">>",
    "→": "->",
    "✗": "x",
    "✓": "ok",
    "…": "...",
    "“": '"',
    "”": '"',
    "‘": "'",
    "’": "'",
    "—": "-",
    "–": "-",
    "⛔": "(blocked)",
    "·": "-",
    "×": "x",
}
HANDLER = "runform-ascii-marks"


def _stand_in(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start : error.end]
    shown = "".join(
        ASCII_MARKS.get(c) or c.encode("ascii", "backslashreplace").decode() for c in text
    )
    return shown, error.end


codecs.register_error(HANDLER, _stand_in)


def can_show_marks(stream: TextIO) -> bool:
    """Whether `stream`'s encoding can write every mark runform uses."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        "".join(ASCII_MARKS).encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def degrade_standard_streams() -> None:
    """Make stdout and stderr write ASCII stand-ins for what their encoding cannot show."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and not can_show_marks(stream):
            reconfigure(errors=HANDLER)
