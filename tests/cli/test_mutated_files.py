"""Any mutation of a valid example: `runform validate` exits 0 or 1, never with a traceback,
with bounded output, and every file-level problem inside the file."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from runform.cli.main import cli

EXAMPLES = sorted((Path(__file__).parents[2] / "examples").glob("*.yaml"))
POSITION = re.compile(r"^  \S*m\.yaml:(\d+):(\d+): ", re.M)
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    raw = bytearray(draw(st.sampled_from(EXAMPLES)).read_bytes())
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(raw)))
        kind = draw(st.sampled_from(["insert", "delete", "flip", "line", "value"]))
        if kind == "insert":
            raw[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif kind == "delete":
            del raw[at : at + draw(st.integers(1, 40))]
        elif kind == "flip" and at < len(raw):
            raw[at] ^= draw(st.integers(1, 255))
        elif kind == "line":
            lines = bytes(raw).split(b"\n")
            index = draw(st.integers(0, len(lines) - 1))
            lines.insert(index, lines[index])
            raw = bytearray(b"\n".join(lines))
        elif kind == "value":
            junk = draw(
                st.sampled_from(
                    [b"[1, 2]", b"{a: b}", b"~", b"9" * 5000, b"1e999", b"!!binary AA==", b"*x"]
                )
            )
            raw[at:at] = b" " + junk
    return bytes(raw)


@settings(max_examples=120)
@given(mutated())
def test_validate_of_any_mutated_example_is_one_clean_answer(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "m.yaml"
        path.write_bytes(raw)
        result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert len(result.output) < 64_000
    assert not RAW_CONTROL.search(result.output), repr(result.output[:300])
    lines = raw.count(b"\n") + 1
    for line, _column in POSITION.findall(result.output):
        assert 1 <= int(line) <= lines, result.output
    if result.exit_code == 1:
        assert POSITION.search(result.output) or "Error:" in result.output, result.output
