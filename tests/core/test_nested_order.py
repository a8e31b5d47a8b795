"""Below the root, a change waits for the objects above it; a deletion for those below it."""

from __future__ import annotations

from runform.core.address import Address
from runform.core.model import Action, Change
from runform.core.order import missing_dependencies, with_dependencies
from runform.core.schema import ResourceType, Schema

NESTED = Schema(
    (
        ResourceType("org"),
        ResourceType("project", parent="org"),
        ResourceType("environment", parent="project"),
        ResourceType("stage", parent="environment"),
    )
)
ORG = Address.of("org", "acme")
PROJECT = ORG.child("project", "p")
ENV = PROJECT.child("environment", "e")
STAGE = ENV.child("stage", "s")


def change(address: Address, action: Action) -> Change:
    return Change(
        address=str(address), kind=address.kind, action=action, root="acme", name=address.key
    )


def test_a_creation_waits_for_every_object_above_it_being_created() -> None:
    ordered = with_dependencies(
        [change(STAGE, Action.CREATE), change(ENV, Action.CREATE), change(PROJECT, Action.CREATE)],
        NESTED,
    )
    depends = {c.address: c.depends_on for c in ordered}
    assert depends[str(STAGE)] == (str(ENV), str(PROJECT))
    assert depends[str(ENV)] == (str(PROJECT),)
    assert depends[str(PROJECT)] == ()


def test_an_update_above_is_not_waited_for() -> None:
    ordered = with_dependencies(
        [change(ENV, Action.CREATE), change(PROJECT, Action.UPDATE)], NESTED
    )
    assert {c.address: c.depends_on for c in ordered}[str(ENV)] == ()


def test_a_deletion_waits_for_the_deletions_below_it() -> None:
    changes = [
        change(PROJECT, Action.DELETE),
        change(ENV, Action.DELETE),
        change(STAGE, Action.DELETE),
    ]
    ordered = with_dependencies(changes, NESTED)
    depends = {c.address: c.depends_on for c in ordered}
    assert depends[str(PROJECT)] == (str(ENV), str(STAGE))
    assert depends[str(ENV)] == (str(STAGE),)
    assert missing_dependencies(changes, NESTED) == [
        (str(PROJECT), str(ENV)),
        (str(PROJECT), str(STAGE)),
        (str(ENV), str(STAGE)),
    ]
    assert missing_dependencies(ordered, NESTED) == []
