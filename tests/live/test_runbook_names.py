"""Which listed runbooks a file's runbook names: its name, else its `renamed_from` name."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from runform.errors import PlanError
from runform.providers.cutover.api.records import Resource
from runform.providers.cutover.live.fetch import named_rows
from runform.providers.cutover.state.shapes import RunbookState, RunbookTree

NAMES = st.sampled_from(["Alpha", "Beta", "Gamma", "Delta"])


def _index(listed: list[str]) -> dict[tuple[str, str], list[Resource]]:
    index: dict[tuple[str, str], list[Resource]] = {}
    for number, name in enumerate(listed, start=1):
        row = Resource(id=str(number), type="runbook", attributes={"name": name})
        index.setdefault(("Default", name), []).append(row)
    return index


@given(listed=st.lists(NAMES, max_size=6), name=NAMES, old=st.none() | NAMES)
def test_the_new_name_first_then_the_old_one_and_never_both(listed, name, old) -> None:
    tree = RunbookTree(runbook=RunbookState(name=name), runbook_renamed_from=old)
    index = _index(listed)
    if old is not None and old != name and name in listed and old in listed:
        with pytest.raises(PlanError) as refused:
            named_rows(tree, "Default", index)
        for row in index[("Default", name)] + index[("Default", old)]:
            assert f"id {row.id}" in str(refused.value) or f", {row.id}" in str(refused.value)
        return
    rows = named_rows(tree, "Default", index)
    expected = name if name in listed or old is None else old
    assert [r.id for r in rows] == [r.id for r in index.get(("Default", expected), [])]
    assert all(r.attributes["name"] == expected for r in rows)
