"""Addresses: one parser, and every key round-trips through it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from runform.core.address import Address, AddressError, parse


def test_a_child_address_names_its_root_kind_and_key() -> None:
    address = parse('runbook["R \\"1\\""].task["a.b]["]')
    assert address.root == Address.of("runbook", 'R "1"')
    assert (address.kind, address.key) == ("task", "a.b][")
    assert address.parent == address.root


def test_a_keyless_part_follows_its_parent() -> None:
    address = parse('runbook["R"].rto')
    assert address == Address.of("runbook", "R").part("rto")
    assert (address.kind, address.key, address.root) == ("rto", "", Address.of("runbook", "R"))
    assert str(address) == 'runbook["R"].rto'


@pytest.mark.parametrize(
    "text",
    [
        "",
        "runbook",
        "runbook.rto",
        'runbook["x"].rto\n',
        'runbook["x"].Rto',
        'runbook["x"',
        'runbook["x"].',
        'Runbook["x"]',
        'runbook["x"]task["y"]',
    ],
)
def test_text_that_is_no_address_is_refused(text: str) -> None:
    with pytest.raises(AddressError):
        parse(text)


@given(
    st.lists(
        st.tuples(st.sampled_from(["runbook", "task", "card_list"]), st.text()),
        min_size=1,
        max_size=3,
    )
)
def test_every_address_round_trips(segments: list[tuple[str, str]]) -> None:
    address = Address(tuple(segments))
    assert parse(str(address)) == address
