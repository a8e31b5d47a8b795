"""Hand-built desired and live states for planner tests (the seed template, small runbooks)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from runform.providers.cutover.state.shapes import (
    Assignee,
    CopySpec,
    LiveRunbook,
    LiveStream,
    LiveTask,
    RunbookState,
    RunbookTree,
    StreamState,
    TaskState,
)

TEMPLATE_TASKS = [
    ("Announce change freeze", "Preparation", 15, ()),
    ("Confirm go/no-go", "Preparation", 10, ("Announce change freeze",)),
    ("Take pre-release snapshot", "Preparation", 30, ("Confirm go/no-go",)),
    ("Back up databases", "Database", 45, ("Take pre-release snapshot",)),
    ("Run schema migrations", "Database", 20, ("Back up databases",)),
    ("Stop application services", "Deployment", 10, ("Confirm go/no-go",)),
    (
        "Deploy application",
        "Deployment",
        30,
        ("Run schema migrations", "Stop application services"),
    ),
    ("Start application services", "Deployment", 10, ("Deploy application",)),
    ("Smoke test", "Verification", 20, ("Start application services",)),
    ("Check monitoring dashboards", "Verification", 15, ("Start application services",)),
    ("Business verification", "Verification", 30, ("Smoke test", "Check monitoring dashboards")),
    ("Close change", "Verification", 5, ("Business verification",)),
]
ASSIGNEES = {
    "Back up databases": (Assignee(kind="team", name="Database team"),),
    "Run schema migrations": (Assignee(kind="team", name="Database team"),),
    "Deploy application": (Assignee(kind="team", name="Release managers"),),
    "Close change": (Assignee(kind="user", name="ada@example.com"),),
}
STREAMS = [
    ("Preparation", None),
    ("Deployment", None),
    ("Database", "Deployment"),
    ("Verification", None),
]


def full_task(name: str, **fields: Any) -> TaskState:
    """A task with every field set, as the live side normalizes it."""
    values: dict[str, Any] = {
        "name": name,
        "stream": None,
        "type": "Normal",
        "duration": 600,
        "level": "level_3",
        "predecessors": (),
        "assignees": (),
        "start_fixed": None,
        "end_fixed": None,
        "start_requirements": "any_can_start",
        "end_requirements": "all_must_end",
        "disable_notify": False,
        "description": None,
        "custom_fields": {},
    }
    values.update(fields)
    return TaskState(**values)


def full_stream(name: str, parent: str | None = None, **fields: Any) -> StreamState:
    return StreamState(name=name, parent=parent, color=fields.get("color"), description=None)


def full_runbook(name: str, **fields: Any) -> RunbookState:
    values: dict[str, Any] = {
        "name": name,
        "workspace": "Default",
        "folder": None,
        "type": "Normal runbook",
        "description": None,
        "timezone": "UTC",
        "start_planned": None,
        "start_scheduled": None,
        "end_scheduled": None,
        "status": "off",
        "status_message": None,
        "is_template": False,
        "template_status": None,
        "custom_fields": {},
    }
    values.update(fields)
    return RunbookState(**values)


def template_runbook() -> LiveRunbook:
    """The seed template "Standard release" as the live side reads it."""
    return LiveRunbook(
        id="1",
        updated_at="2026-01-01T00:00:00Z",
        state=full_runbook(
            "Standard release", folder="Templates", is_template=True, template_status="approved"
        ),
        streams=[
            LiveStream(id=f"s{i}", state=full_stream(n, p), updated_at="2026-01-01T00:00:00Z")
            for i, (n, p) in enumerate(STREAMS, 1)
        ],
        tasks=[
            LiveTask(
                id=f"t{i}",
                internal_id=i,
                updated_at="2026-01-01T00:00:00Z",
                state=full_task(
                    n, stream=s, duration=d * 60, predecessors=p, assignees=ASSIGNEES.get(n, ())
                ),
            )
            for i, (n, s, d, p) in enumerate(TEMPLATE_TASKS, 1)
        ],
        runbook_teams={"Release managers": "rt1", "Database team": "rt2"},
        # As the sandbox seeds them: Release managers (Ada, Grace), Database team (Grace, Alan).
        team_members=("ada@example.com", "alan@example.com", "grace@example.com"),
    )


def live_copy(template: LiveRunbook, name: str, runbook_id: str = "100") -> LiveRunbook:
    """A runbook as Cutover holds it after copying the template."""
    return LiveRunbook(
        id=runbook_id,
        updated_at="2026-02-01T00:00:00Z",
        state=full_runbook(name),
        streams=[s.model_copy(update={"id": f"c{s.id}"}) for s in template.streams],
        tasks=[
            t.model_copy(
                update={"id": f"c{t.id}", "source_runbook_id": template.id, "source_task_id": t.id}
            )
            for t in template.tasks
        ],
        runbook_teams={k: f"c{v}" for k, v in template.runbook_teams.items()},
    )


def desired_tree(
    name: str = "Payments release",
    tasks: tuple[TaskState, ...] = (),
    streams: tuple[StreamState, ...] = (),
    template: bool = False,
    **runbook: Any,
) -> RunbookTree:
    """A desired tree with only the given fields set (as definitions produce)."""
    return RunbookTree(
        runbook=RunbookState(name=name, **runbook),
        copy_from=CopySpec(template="Standard release") if template else None,
        streams=streams,
        tasks=tasks,
        source="release.yaml:1",
    )


def live_of(tree: RunbookTree, runbook_id: str = "100") -> LiveRunbook:
    """A live runbook holding exactly what a tree asks for (unmanaged fields at defaults)."""
    return LiveRunbook(
        id=runbook_id,
        updated_at="2026-02-01T00:00:00Z",
        state=full_runbook(**{"name": tree.runbook.name, **_set(tree.runbook)}),
        streams=[
            LiveStream(id=f"s-{s.name}", state=full_stream(s.name).model_copy(update=_set(s)))
            for s in tree.streams
        ],
        tasks=[
            LiveTask(
                id=f"t-{t.name}", internal_id=i, state=full_task(**{"name": t.name, **_set(t)})
            )
            for i, t in enumerate(tree.tasks, 1)
        ],
    )


def _set(state: Any) -> dict[str, Any]:
    return {k: getattr(state, k) for k in state.model_fields_set}


WHEN = datetime(2026, 12, 5, 22, 0, tzinfo=UTC)
