"""Who may be assigned in a runbook: its participants.

Round 2, Assignees and participants: "Only users and teams that are already participants on
the runbook can be assigned; non-participants are silently ignored by the API", and no
endpoint adds a user to a runbook: users arrive with the runbook's teams or as its creator.
The sandbox's model (docs/design.md): a user participates when a runbook team of the runbook
lists them, or when a task of the runbook is already assigned to them (brought by a template
copy with `users`). The sandbox's token stands for no user, so creators are not modelled.
"""

from __future__ import annotations

from runform.providers.cutover.sandbox.store import Record, Store


def team_user_ids(store: Store, runbook_team: Record) -> list[int]:
    """The users a runbook team brings: those copied with it, else its team's members."""
    if "user_ids" in runbook_team:
        return list(runbook_team["user_ids"] or [])
    team = store.get("team", runbook_team["team_id"]) or {}
    return list(team.get("user_ids") or [])


def participant_ids(store: Store, runbook: Record) -> set[int]:
    """Ids of the users who may be assigned in `runbook`."""
    users: set[int] = set()
    for runbook_team in store.of_runbook("runbook_team", runbook["id"]):
        users.update(team_user_ids(store, runbook_team))
    for task in store.of_runbook("task", runbook["id"]):
        users.update(a["id"] for a in task.get("assignees") or [] if a["type"] == "user")
    return users
