"""Rego error positions: regopy's byte offsets as the line and column an editor shows."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from runform.core.rego import _position, rego_error_text


@given(st.text(alphabet=st.sampled_from("ab\né \t{"), max_size=60), st.data())
def test_an_offset_maps_to_the_line_and_column_of_that_character(text, data):
    index = data.draw(st.integers(min_value=0, max_value=len(text)))
    offset = len(text[:index].encode("utf-8"))
    line, column = _position(text, offset)
    lines = text[:index].split("\n")
    assert (line, column) == (len(lines), len(lines[-1]) + 1)


def test_every_error_of_regopy_s_report_becomes_one_line():
    source = "package x\nimport rego.v1\nallow if {\n  1 +\n}\n"
    report = (
        "(rego-errorseq\n  (error 8:p/x.rego|40|1\n    (errormsg 27:Invalid arithmetic "
        "operator)\n    (errorast |40|1)\n    (rego-errorcode))\n  (error 8:p/x.rego|10|6\n"
        "    (errormsg 8:bad (it))\n))\n"
    )
    assert rego_error_text(report, {"p/x.rego": source}) == (
        "Rego policy error:\n  p/x.rego:4:5: Invalid arithmetic operator\n  p/x.rego:2:1: bad (it)"
    )
