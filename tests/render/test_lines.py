"""The text plan's lines printed together read exactly as printed one by one: the same
characters in the same styles (rich may split a styled run in two around a tab)."""

from __future__ import annotations

import io

from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console
from rich.markup import escape
from rich.text import Text

from runform.render.text import Lines
from runform.text.safe import escape_controls

STYLES = st.sampled_from([None, "", "bold", "green", "bold red", "dim", "magenta"])
WORDS = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)


@st.composite
def markup_line(draw: st.DrawFn) -> str:
    """A line as the renderer writes one: escaped text, now and then a styled label."""
    text = escape(draw(WORDS))
    if draw(st.booleans()):
        style = draw(st.sampled_from(["green", "yellow", "bold red"]))
        text = f"  [{style}]+ {escape(draw(WORDS))}[/{style}]: {text}"
    return text


def painted(output: str) -> list[tuple[str, object]]:
    """Each character of a console's output with the style it is shown in."""
    decoder = Console(width=1000, color_system="truecolor")
    segments = Text.from_ansi(output).render(decoder)
    return [(char, segment.style) for segment in segments for char in segment.text]


def console(buffer: io.StringIO, colour: bool, width: int) -> Console:
    return Console(
        file=buffer,
        highlight=False,
        soft_wrap=True,
        width=width,
        force_terminal=colour,
        color_system="truecolor" if colour else None,
    )


@given(
    st.lists(st.tuples(markup_line(), STYLES), max_size=20),
    st.booleans(),
    st.integers(20, 120),
)
def test_lines_printed_together_match_one_print_a_line(lines, colour, width):
    one_by_one, together = io.StringIO(), io.StringIO()
    each = console(one_by_one, colour, width)
    for text, style in lines:
        each.print(escape_controls(text), style=style, soft_wrap=True)
    batch = Lines(console(together, colour, width))
    for text, style in lines:
        batch.add(text, style)
    batch.print()
    if colour:
        assert painted(together.getvalue()) == painted(one_by_one.getvalue())
    else:
        assert together.getvalue() == one_by_one.getvalue()
