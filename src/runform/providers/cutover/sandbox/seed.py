"""The data a new sandbox database starts with (other tests and the examples rely on it)."""

from __future__ import annotations

from runform.providers.cutover.sandbox.resources.directory import DEFAULT_FOLDER
from runform.providers.cutover.sandbox.resources.runbooks import DEFAULTS
from runform.providers.cutover.sandbox.store import Record, Store

WORKSPACES = (
    ("default", "Default"),
    ("payments", "Payments"),
    ("infrastructure", "Infrastructure"),
)
FOLDERS = ("Releases", "Migrations", "Disaster recovery", "Templates")
# Default (directory.DEFAULT_FOLDER) is seeded after these, so their ids stay as they were.
# Round 2, Runbooks: runbook type keys are tenant specific ("a normal type's key may be
# normal-runbook"), so the normal type is keyed so: nothing may lean on a key `normal`.
# key, name, default, dynamic, enable_rto, restrict_create_to_templates
RUNBOOK_TYPES = (
    ("normal-runbook", "Normal runbook", True, False, False, False),
    ("dynamic", "Dynamic runbook", False, True, False, False),
    ("disaster-recovery", "Disaster recovery", False, False, True, True),
)
TASK_TYPES = (
    ("normal", "Normal", 600, True),
    ("milestone", "Milestone", 0, False),
    ("approval", "Approval", 300, False),
    ("linked", "Linked runbook", 0, False),
)
USERS = (
    ("Ada", "Lovelace", "ada@example.com", "alovelace"),
    ("Grace", "Hopper", "grace@example.com", "ghopper"),
    ("Alan", "Turing", "alan@example.com", "aturing"),
    ("Katherine", "Johnson", "katherine@example.com", "kjohnson"),
)
TEAMS = (
    ("Release managers", ("alovelace", "ghopper")),
    ("Database team", ("ghopper", "aturing")),
    ("Network team", ("kjohnson",)),
    ("Application support", ("aturing", "kjohnson")),
)
CUSTOM_FIELDS: tuple[tuple[str, str, list[str], str], ...] = (
    ("Change ticket", "text", [], "runbook_add_edit"),
    ("Risk", "single_select", ["Low", "Medium", "High"], "runbook_edit"),
    ("Evidence URL", "text", [], "task_edit"),
)
TEMPLATE_STREAMS = (
    ("Preparation", None),
    ("Deployment", None),
    ("Database", "Deployment"),
    ("Verification", None),
)
# name, stream, minutes, predecessor numbers (1-based), assignee ("team"|"user", name)
TEMPLATE_TASKS = (
    ("Announce change freeze", "Preparation", 15, (), None),
    ("Confirm go/no-go", "Preparation", 10, (1,), None),
    ("Take pre-release snapshot", "Preparation", 30, (2,), None),
    ("Back up databases", "Database", 45, (3,), ("team", "Database team")),
    ("Run schema migrations", "Database", 20, (4,), ("team", "Database team")),
    ("Stop application services", "Deployment", 10, (2,), None),
    ("Deploy application", "Deployment", 30, (5, 6), ("team", "Release managers")),
    ("Start application services", "Deployment", 10, (7,), None),
    ("Smoke test", "Verification", 20, (8,), None),
    ("Check monitoring dashboards", "Verification", 15, (8,), None),
    ("Business verification", "Verification", 30, (9, 10), None),
    ("Close change", "Verification", 5, (11,), ("user", "ada@example.com")),
)
STREAM_COLORS = {
    "Preparation": "#3b82f6",
    "Deployment": "#10b981",
    "Database": "#f59e0b",
    "Verification": "#8b5cf6",
}
TEMPLATE_START = "2026-01-05T09:00:00Z"


def slug(name: str) -> str:
    return "_".join(name.lower().split())


def seed(store: Store) -> None:
    """Fill an empty database with the tenant's directory and the "Standard release" template."""
    now = store.now()
    stamp = {"created_at": now, "updated_at": now}
    with store.transaction():
        workspaces = {
            key: store.insert("workspace", {"key": key, "name": name, "description": None, **stamp})
            for key, name in WORKSPACES
        }
        folders: dict[tuple[str, str], Record] = {}
        for key, workspace in workspaces.items():
            for name in FOLDERS:
                folder = {"name": name, "key": slug(name), "description": None, "parent_id": None}
                folder["workspace_id"] = workspace["id"]
                folders[(key, name)] = store.insert("folder", {**folder, **stamp})
        for key, workspace in workspaces.items():
            top = {"name": DEFAULT_FOLDER, "key": slug(DEFAULT_FOLDER), "description": None}
            top |= {"parent_id": None, "workspace_id": workspace["id"]}
            folders[(key, DEFAULT_FOLDER)] = store.insert("folder", {**top, **stamp})
        for key, name, default, dynamic, rto, restricted in RUNBOOK_TYPES:
            store.insert(
                "runbook_type",
                {
                    "key": key,
                    "name": name,
                    "description": None,
                    "default": default,
                    "disabled": False,
                    "archived": False,
                    "dynamic": dynamic,
                    "enable_rto": rto,
                    "incident": False,
                    "restrict_create_to_templates": restricted,
                    "ai_create_enabled": False,
                },
            )
        for key, name, duration, default in TASK_TYPES:
            store.insert(
                "task_type",
                {
                    "key": key,
                    "name": name,
                    "default_duration": duration,
                    "default": default,
                    "auto_start": False,
                    "auto_finish": key in ("milestone", "linked"),
                    "comms": "off",
                    "conditional_progression": False,
                    "archived": False,
                },
            )
        users = {
            handle: store.insert(
                "user",
                {
                    "first_name": first,
                    "last_name": last,
                    "email": email,
                    "handle": handle,
                    "archived": False,
                    "locked": False,
                    **stamp,
                },
            )
            for first, last, email, handle in USERS
        }
        teams = {
            name: store.insert(
                "team",
                {
                    "name": name,
                    "description": None,
                    "archived": False,
                    "user_ids": [users[h]["id"] for h in members],
                },
            )
            for name, members in TEAMS
        }
        for name, field_type, options, apply_to in CUSTOM_FIELDS:
            store.insert(
                "custom_field",
                {
                    "name": name,
                    "display_name": name,
                    "field_type": field_type,
                    "field_options": options,
                    "required": False,
                    "default_value": None,
                    "archived": False,
                    "apply_to": apply_to,
                    "global": True,
                    "workspace_id": None,
                },
            )
        _seed_template(
            store, workspaces["default"], folders[("default", "Templates")], teams, users, stamp
        )


def _seed_template(
    store: Store,
    workspace: Record,
    folder: Record,
    teams: dict[str, Record],
    users: dict[str, Record],
    stamp: dict[str, str],
) -> None:
    normal_runbook = next(t for t in store.all("runbook_type") if t["default"])
    normal_task = next(t for t in store.all("task_type") if t["key"] == "normal")
    runbook = store.insert(
        "runbook",
        {
            **DEFAULTS,  # a runbook as a create makes it, then what the template holds
            "name": "Standard release",
            "description": "The standard release template.",
            "is_template": True,
            "template_status": "approved",
            "template_type": "default",
            "status_updated_at": stamp["created_at"],
            "start_planned": TEMPLATE_START,
            "workspace_id": workspace["id"],
            "folder_id": folder["id"],
            "runbook_type_id": normal_runbook["id"],
            "next_internal_id": len(TEMPLATE_TASKS) + 1,
            **stamp,
        },
    )
    runbook_teams = {
        name: store.insert(
            "runbook_team",
            {
                "runbook_id": runbook["id"],
                "team_id": teams[name]["id"],
                "name": name,
                "created_at": stamp["created_at"],
            },
        )
        for name in ("Release managers", "Database team")
    }
    streams: dict[str, Record] = {}
    for index, (name, parent) in enumerate(TEMPLATE_STREAMS):
        streams[name] = store.insert(
            "stream",
            {
                "runbook_id": runbook["id"],
                "name": name,
                "description": None,
                "color": STREAM_COLORS[name],
                "is_primary": index == 0,
                "status": "off",
                "status_message": None,
                "status_updated_at": stamp["created_at"],
                "parent_id": streams[parent]["id"] if parent else None,
                **stamp,
            },
        )
    by_handle = {u["email"]: u for u in users.values()}
    tasks: list[Record] = []
    for number, (name, stream, minutes, after, assignee) in enumerate(TEMPLATE_TASKS, start=1):
        assignees = []
        if assignee and assignee[0] == "team":
            assignees = [{"type": "runbook_team", "id": runbook_teams[assignee[1]]["id"]}]
        elif assignee:
            assignees = [{"type": "user", "id": by_handle[assignee[1]]["id"]}]
        tasks.append(
            store.insert(
                "task",
                {
                    "runbook_id": runbook["id"],
                    "internal_id": number,
                    "name": name,
                    "description": None,
                    "duration": minutes * 60,
                    "level": "level_3",
                    "start_fixed": None,
                    "end_fixed": None,
                    "start_requirements": "any_can_start",
                    "end_requirements": "all_must_end",
                    "disable_notify": False,
                    "completion_type": "complete_normal",
                    "custom_field_values": [],
                    "task_type_id": normal_task["id"],
                    "stream_id": streams[stream]["id"],
                    "predecessor_ids": [tasks[p - 1]["id"] for p in after],
                    "assignees": assignees,
                    "progress": None,
                    "start_actual": None,
                    "end_actual": None,
                    "comments_count": 0,
                    "source_runbook_id": None,
                    "source_task_id": None,
                    **stamp,
                },
            )
        )
