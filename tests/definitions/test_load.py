"""From files to RunbookTrees: only written fields set, names resolved, bookkeeping filled in."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from runform.providers.cutover.definitions.project import ProjectConfig
from runform.providers.cutover.state.shapes import Assignee, CopySpec

RELEASE = """
runbook:
  name: Payments release 2026.12
  workspace: payments
  template:
    name: Standard release
    users: false
  timezone: Europe/Paris
  start_scheduled: 2026-12-12T22:00:00
  custom_fields:
    Change ticket: CHG0012345
streams:
  - name: Comms
    color: "#3b82f6"
    streams:
      - name: Customers
tasks:
  - key: notify
    name: Notify merchants
    stream: Customers
    duration: 1h30m
    assignees: [team: Release managers, user: ada@example.com]
  - name: Back up ledger
    after: [notify, Smoke test, back-up-ledger-2]
    renamed_from: Backup ledger DB
    start_fixed: 2026-12-12T23:00:00Z
  - name: Back up ledger 2
  - name: Close change
    absent: true
"""


def test_runbook_fields_only_as_written(load) -> None:
    tree = load(RELEASE).trees[0]
    assert tree.runbook.model_fields_set == {
        "name",
        "workspace",
        "timezone",
        "start_scheduled",
        "custom_fields",
    }
    assert tree.runbook.start_scheduled == datetime(
        2026, 12, 12, 22, tzinfo=ZoneInfo("Europe/Paris")
    )
    assert tree.runbook.custom_fields == {"Change ticket": "CHG0012345"}
    assert tree.copy_from == CopySpec(template="Standard release", users=False)
    assert tree.pinned_id is None
    assert tree.source is not None and tree.source.endswith("runbook.yaml:2")


def test_streams_flattened_with_parents(load) -> None:
    streams = load(RELEASE).trees[0].streams
    assert [(s.name, s.parent) for s in streams] == [("Comms", None), ("Customers", "Comms")]
    assert streams[0].model_fields_set == {"name", "color"}
    assert streams[1].model_fields_set == {"name", "parent"}


def test_tasks_resolve_keys_and_keep_unknown_names(load) -> None:
    tree = load(RELEASE).trees[0]
    notify, backup, second = tree.tasks
    assert notify.duration == 5400
    assert notify.assignees == (
        Assignee(kind="team", name="Release managers"),
        Assignee(kind="user", name="ada@example.com"),
    )
    # A key, a template task's name kept as written, and a default slug key.
    assert backup.predecessors == ("Notify merchants", "Smoke test", "Back up ledger 2")
    assert backup.start_fixed == datetime(2026, 12, 12, 23, tzinfo=UTC)
    assert backup.model_fields_set == {"name", "predecessors", "start_fixed"}
    assert second.model_fields_set == {"name"}
    assert tree.renamed_from == {"Back up ledger": "Backup ledger DB"}
    assert tree.absent == ("Close change",)


def test_project_defaults_fill_workspace_and_folder(load) -> None:
    project = ProjectConfig(workspace="default", folder="Releases")
    tree = load("runbook:\n  name: R\n", project=project).trees[0]
    assert (tree.runbook.workspace, tree.runbook.folder) == ("default", "Releases")
    written = load("runbook:\n  name: R\n  workspace: payments\n", project=project).trees[0]
    assert written.runbook.workspace == "payments"


def test_naive_datetime_without_timezone_is_utc(load) -> None:
    tree = load("runbook:\n  name: R\n  start_planned: 2026-12-12 08:00\n").trees[0]
    assert tree.runbook.start_planned == datetime(2026, 12, 12, 8, tzinfo=ZoneInfo("UTC"))


CLOCKS = """
runbook:
  name: R
  timezone: America/New_York
  start_planned: 2027-11-07T01:30:00
tasks:
  - name: In the gap
    start_fixed: 2027-03-14T02:30:00
  - name: Plain
    end_fixed: 2027-03-14T03:30:00
  - name: With an offset
    start_fixed: 2027-03-14T02:30:00-05:00
"""


def test_times_in_a_clock_change_are_warnings_at_their_line(load) -> None:
    tree = load(CLOCKS).trees[0]
    overlap, gap = tree.warnings
    assert ":5:3: start_planned: 2027-11-07T01:30:00 happens twice in America/New_York" in overlap
    assert "first, 2027-11-07T05:30:00Z (offset -04:00)" in overlap
    assert "second, 2027-11-07T06:30:00Z (offset -05:00)" in overlap
    assert ":8:5: start_fixed: 2027-03-14T02:30:00 does not exist in America/New_York" in gap
    assert "taken as 2027-03-14T07:30:00Z (2027-03-14T03:30:00 local)" in gap
    # The instant the warning names is the one the plan compares.
    start = tree.tasks[0].start_fixed
    assert start is not None and start.astimezone(UTC) == datetime(2027, 3, 14, 7, 30, tzinfo=UTC)


def test_without_a_timezone_no_time_is_in_a_clock_change(load) -> None:
    text = "runbook:\n  name: R\n  start_planned: 2027-03-14T02:30:00\n"
    assert load(text).trees[0].warnings == ()


def test_runbooks_list_and_pinned_id(load) -> None:
    text = """
    runbooks:
      - runbook: {name: One, id: "42"}
      - runbook: {name: Two, template: {id: 7}}
    """
    one, two = load(text).trees
    assert one.pinned_id == "42"
    assert two.copy_from == CopySpec(template="7", template_id="7")
    assert one.runbook.name == "One"


def test_directories_are_read_recursively(write) -> None:
    from runform.providers.cutover.definitions import load_definitions

    first = write("runbook: {name: A}\n", "a/one.yaml")
    write("runbook: {name: B}\n", "a/b/two.yml")
    write("workspace: default\n", "a/runform.yaml")
    write("runbook: {name: Hidden}\n", "a/.git/x.yaml")
    definitions = load_definitions([first.parent], project=ProjectConfig())
    assert sorted(tree.runbook.name for tree in definitions.trees) == ["A", "B"]
    assert len(definitions.files) == 2


def test_examples_load(tmp_path) -> None:
    from pathlib import Path

    from runform.providers.cutover.definitions import load_definitions

    examples = Path(__file__).parents[2] / "examples"
    trees = {t.runbook.name: t for t in load_definitions([examples], project=ProjectConfig()).trees}
    migration = trees["LDN1 to MAN2 data-centre migration"]
    assert len(migration.tasks) >= 150
    assert len({s.name for s in migration.streams if s.parent is None}) >= 6
    assert any(s.parent for s in migration.streams)
    release = trees["Payments release 2026.12"]
    assert release.copy_from is not None and release.copy_from.template == "Standard release"
    assert trees["DR failover to secondary site"].runbook.template_status == "draft"
