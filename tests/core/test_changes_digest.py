"""A plan's changes digest: equal exactly when applying would make the same writes."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from runform.core.model import Action, Change, FieldChange, Plan, RootPlan


def plan(after: str = "30m", **extra: object) -> Plan:
    change = Change(
        address='runbook["R"].task["Deploy"]',
        kind="task",
        action=Action.UPDATE,
        root="R",
        name="Deploy",
        id="7",
        before={"duration": "10m"},
        after={"duration": after},
        fields=(
            FieldChange(
                field="duration", before="10m", after=after, source=extra.pop("source", None)
            ),
        ),  # type: ignore[arg-type]
    )
    root = RootPlan(
        provider="cutover", name="R", address='runbook["R"]', live_id="1", changes=[change]
    )
    return Plan(target="https://cutover.example.com/api", roots=[root], **extra)  # type: ignore[arg-type]


def test_when_and_from_what_a_plan_was_made_does_not_change_its_digest() -> None:
    reviewed = plan(created_at="2026-12-01T10:00:00Z", definitions_digest="sha256:aa")
    again = plan(created_at="2026-12-02T09:00:00Z", definitions_digest="sha256:bb", source="files")
    assert reviewed.changes_digest == again.changes_digest
    assert (
        Plan.model_validate(reviewed.model_dump(mode="json")).changes_digest
        == reviewed.changes_digest
    )


@given(st.text(min_size=1, max_size=12).filter(lambda text: text != "30m"))
def test_another_value_or_target_changes_the_digest(value: str) -> None:
    assert plan(value).changes_digest != plan("30m").changes_digest
    moved = plan().model_copy(update={"target": "https://other.example.com/api"})
    assert moved.changes_digest != plan().changes_digest
