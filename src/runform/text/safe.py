"""Showing untrusted values: control characters escaped, long values cut to a readable length.

Names and descriptions come from pull requests and from anything anyone typed into Cutover. A
raw ESC sequence in a name can recolour a terminal or an ANSI-rendering CI log, move the cursor
or erase a line (and hide a `- task` line above it); a 9 MB name repeated in every message
floods the output. Every value runform prints passes through `shown` (or the whole line through
`escape_controls`, for output that holds no control characters of runform's own).
"""

from __future__ import annotations

# How much of one value a message shows; the rest is summarised by its length.
VALUE_LIMIT = 120
# How long one line of output may grow before it is cut (a backstop behind `shown`).
LINE_LIMIT = 2_000
# A note made of runform's words and a few values (a warning, a refusal).
NOTE_LIMIT = 1_000
# How many names a "choices" list shows before it says how many more there are.
CHOICES_SHOWN = 8

_CONTROLS = [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]
# C0 (less newline and tab), DEL and C1, each as a visible \xNN; also the line and paragraph
# separators, which some terminals and log viewers treat as line breaks.
_ESCAPES = {code: f"\\x{code:02x}" for code in _CONTROLS if code not in (0x09, 0x0A)}
_ESCAPES |= {0x2028: "\\u2028", 0x2029: "\\u2029"}
_ESCAPES_IN_VALUE = _ESCAPES | {0x09: "\\t", 0x0A: "\\n"}


def escape_controls(text: str) -> str:
    """`text` with every control character shown as an escape; newlines and tabs kept."""
    if text.isprintable():
        return text
    return text.translate(_ESCAPES)


def clip(text: str, limit: int = VALUE_LIMIT) -> str:
    """`text` cut to `limit` characters with an ellipsis and its full length."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text):,} characters)"


def shown(value: object, limit: int = VALUE_LIMIT) -> str:
    """A value for one line of a message: on one line, escaped, and cut when long."""
    text = clip(value if isinstance(value, str) else str(value), limit)
    return text if text.isprintable() else text.translate(_ESCAPES_IN_VALUE)


def quoted(value: object, limit: int = VALUE_LIMIT) -> str:
    """`shown` in quotes, the way messages name a value: 'name'."""
    return repr(shown(value, limit)) if isinstance(value, str) else shown(value, limit)


def safe_line(text: str, limit: int = LINE_LIMIT) -> str:
    """One line of runform's own output, with its values possibly untrusted: a newline or any
    other control character escaped (a name cannot start a line of its own), capped."""
    return shown(text, limit)


def safe_lines(text: str, limit: int = LINE_LIMIT) -> str:
    """Several lines of output, each escaped and capped (tabs kept)."""
    if text.isprintable() and len(text) <= limit:
        return text
    return "\n".join(escape_controls(clip(line, limit)) for line in text.split("\n"))


def choices_text(known: set[str] | list[str], shown_at_most: int = CHOICES_SHOWN) -> str:
    """The first few choices, sorted and shown safely, and how many more there are."""
    ordered = sorted(known)
    listed = ", ".join(shown(choice, 40) for choice in ordered[:shown_at_most])
    more = len(ordered) - shown_at_most
    return f"{listed} and {more} more" if more > 0 else listed
