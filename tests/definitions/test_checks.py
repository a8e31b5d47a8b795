"""Each offline check reports file:line:column, the field path, and what is allowed."""

from __future__ import annotations


def test_unknown_key_suggests_the_nearest(problems) -> None:
    found = problems("runbook:\n  nmae: x\n  name: y\n")
    assert len(found) == 1
    assert found[0].startswith("2:3: runbook.nmae: unknown key 'nmae'; did you mean 'name'?")
    assert "(allowed: archived, custom_fields," in found[0]


def test_unknown_task_key_suggests(problems) -> None:
    found = problems("runbook: {name: R}\ntasks:\n  - name: a\n    durtion: 5m\n")
    assert found == [found[0]] and found[0].startswith(
        "4:5: tasks[0].durtion: unknown key 'durtion'; did you mean 'duration'?"
    )


def test_enums_list_allowed_values(problems) -> None:
    found = problems("runbook:\n  name: R\n  status: blue\ntasks:\n  - name: a\n    level: 4\n")
    assert found == [
        "3:3: runbook.status: 'blue' is not allowed; use 'off', 'red', 'amber' or 'green'",
        "6:5: tasks[0].level: 4 is not allowed; use 'level_1', 'level_2' or 'level_3'",
    ]


def test_missing_name(problems) -> None:
    assert problems("runbook:\n  workspace: w\n") == ["1:1: runbook: missing required key 'name'"]


def test_bad_duration_and_timezone(problems) -> None:
    found = problems(
        "runbook:\n  name: R\n  timezone: Europe/Londn\ntasks:\n  - name: a\n    duration: 5x\n"
    )
    assert (
        found[0]
        == "3:3: runbook.timezone: unknown timezone 'Europe/Londn'; did you mean Europe/London?"
    )
    assert found[1].startswith("6:5: tasks[0].duration: '5x' is not a duration; use seconds")


def test_schedule_rules(problems) -> None:
    found = problems(
        """
        runbook:
          name: R
          start_planned: 2026-12-12T08:00:00
          start_scheduled: 2026-12-12T08:00:00
          end_scheduled: 2026-12-12T07:00:00
          template_status: draft
        """
    )
    assert found == [
        "4:3: runbook.start_planned: give start_planned or start_scheduled, not both "
        "(Cutover takes one)",
        "6:3: runbook.end_scheduled: end_scheduled must be after start_scheduled",
        "7:3: runbook.template_status: template_status is only for templates; "
        "add `is_template: true` or remove it",
    ]


def test_end_scheduled_needs_start(problems) -> None:
    found = problems("runbook:\n  name: R\n  end_scheduled: 2026-12-12T07:00:00\n")
    assert found == ["3:3: runbook.end_scheduled: end_scheduled needs start_scheduled"]


def test_cycle_is_printed_as_a_path(problems) -> None:
    found = problems(
        """
        runbook: {name: R}
        tasks:
          - {key: a, name: Alpha, after: [c]}
          - {key: b, name: Beta, after: [a]}
          - {key: c, name: Gamma, after: [b]}
          - {key: d, name: Delta, after: [d]}
        """
    )
    assert "predecessor cycle: Alpha → Gamma → Beta → Alpha" in found[0]
    assert found[0].startswith("4:27: tasks[0].after:")
    assert found[1].endswith("predecessor cycle: Delta → Delta")


def test_unknown_after_key_without_template(problems) -> None:
    found = problems("runbook: {name: R}\ntasks:\n  - {name: a}\n  - {name: b, after: [aa]}\n")
    assert found == [
        "4:23: tasks[1].after[0]: unknown task key 'aa'; did you mean 'a'? (choices: a, b)"
    ]


def test_duplicates(problems) -> None:
    found = problems(
        """
        runbook: {name: R}
        tasks:
          - {key: k, name: a}
          - {key: k, name: a}
        """
    )
    assert found == [
        "5:6: tasks[1].key: duplicate task key 'k'",
        "5:14: tasks[1].name: duplicate task name 'a'",
    ]


def test_duplicate_runbooks_across_files(write) -> None:
    import pytest

    from runform.errors import DefinitionError
    from runform.providers.cutover.definitions import load_definitions
    from runform.providers.cutover.definitions.project import ProjectConfig

    first = write("runbook: {name: Same, workspace: payments}\n", "a.yaml")
    second = write("runbook:\n  name: same\n  workspace: Payments\n", "b.yaml")
    write("runbook: {name: Same, workspace: default}\n", "c.yaml")
    with pytest.raises(DefinitionError) as caught:
        load_definitions([first.parent], project=ProjectConfig())
    (problem,) = caught.value.problems
    assert problem.file == str(second) and (problem.line, problem.column) == (2, 3)
    assert f"also at {first}:1:11" in problem.message


def test_streams_unknown_and_too_deep(problems) -> None:
    found = problems(
        """
        runbook: {name: R}
        streams:
          - name: Top
            streams:
              - name: Sub
                streams:
                  - name: Deeper
        tasks:
          - {name: a, stream: Sbu}
        """
    )
    assert found[0].startswith("7:9: streams[0].streams[0].streams: too deep")
    assert found[1] == (
        "10:15: tasks[0].stream: unknown stream 'Sbu'; did you mean 'Sub'? "
        "(choices: Deeper, Sub, Top)"
    )


def test_template_allows_template_names(load) -> None:
    tree = load(
        """
        runbook: {name: R, template: {name: Standard release}}
        tasks:
          - {name: New, stream: Deployment, after: [Smoke test]}
          - {name: Close change, absent: true}
        """
    ).trees[0]
    assert tree.tasks[0].predecessors == ("Smoke test",)
    assert tree.absent == ("Close change",)


def test_absent_rules(problems) -> None:
    found = problems("runbook: {name: R}\ntasks:\n  - {name: a, absent: true, duration: 5}\n")
    assert any("this runbook has no template" in line for line in found)
    assert any(
        "an `absent: true` entry takes only `name` (remove duration)" in line for line in found
    )


def test_several_files_sorted(write) -> None:
    import pytest

    from runform.errors import DefinitionError
    from runform.providers.cutover.definitions import load_definitions
    from runform.providers.cutover.definitions.project import ProjectConfig

    write("runbook:\n  name: B\n  status: x\n", "b.yaml")
    write("runbook:\n  name: A\n\n\n  status: y\n  type: [1]\n", "a.yaml")
    write("runbook: {name: [oops\n", "c.yaml")
    with pytest.raises(DefinitionError) as caught:
        load_definitions(
            [caught_dir := write("runbook: {name: Z}\n", "z.yaml").parent], project=ProjectConfig()
        )
    found = [(p.file.rsplit("/", 1)[-1], p.line) for p in caught.value.problems]
    assert found == [("a.yaml", 5), ("a.yaml", 6), ("b.yaml", 3), ("c.yaml", 2)]
    assert caught_dir.is_dir()


def test_renames_that_cannot_be_followed(problems) -> None:
    found = problems(
        "runbook: {name: R}\nstreams: [{name: S}]\ntasks:\n"
        "  - {name: D, stream: S, renamed_from: D}\n"
        "  - {name: E, stream: S, renamed_from: D}\n"
        "  - {name: F, stream: S, renamed_from: Old}\n"
        "  - {name: G, stream: S, renamed_from: Old}\n"
    )
    assert found == [
        "4:26: tasks[0].renamed_from: task 'D' is renamed from itself",
        "5:26: tasks[1].renamed_from: task 'E' is renamed from 'D', but 'D' is still listed "
        "(remove that entry, or drop renamed_from)",
        "7:26: tasks[3].renamed_from: tasks 'F' and 'G' are both renamed from 'Old'",
    ]


def test_stream_renames_that_cannot_be_followed(problems) -> None:
    found = problems(
        "runbook: {name: R}\nstreams:\n"
        "  - {name: S, renamed_from: S}\n"
        "  - {name: T, renamed_from: S}\n"
        "  - name: U\n    renamed_from: Old\n    streams:\n"
        "      - {name: V, renamed_from: Old}\n"
    )
    assert found == [
        "3:15: streams[0].renamed_from: stream 'S' is renamed from itself",
        "4:15: streams[1].renamed_from: stream 'T' is renamed from 'S', but 'S' is still listed "
        "(remove that entry, or drop renamed_from)",
        "8:19: streams[2].streams[0].renamed_from: streams 'U' and 'V' are both renamed from 'Old'",
    ]


def test_a_stream_rename_is_kept_apart_from_the_stream_fields(load) -> None:
    tree = load(
        """
        runbook: {name: R}
        streams:
          - name: Main
            renamed_from: Default stream
            streams:
              - {name: Sub, renamed_from: Old sub}
        """
    ).trees[0]
    assert tree.stream_renamed_from == {"Main": "Default stream", "Sub": "Old sub"}
    assert [s.model_dump(exclude_unset=True) for s in tree.streams] == [
        {"name": "Main"},
        {"name": "Sub", "parent": "Main"},
    ]


def test_a_template_may_have_a_scheduled_start(load) -> None:
    # Round 2: nothing says a template cannot (the event code is about events).
    tree = load(
        """
        runbook:
          name: R
          is_template: true
          template_status: draft
          start_scheduled: 2026-12-12T22:00:00
          end_scheduled: 2026-12-13T04:00:00
        """
    ).trees[0]
    assert tree.runbook.is_template and tree.runbook.start_scheduled is not None


def test_runbook_renames_that_cannot_be_followed(problems) -> None:
    found = problems(
        "runbooks:\n"
        "  - runbook: {name: A, renamed_from: A}\n"
        "  - runbook: {name: B, renamed_from: C}\n"
        "  - runbook: {name: D, renamed_from: C}\n"
        "  - runbook: {name: E, renamed_from: B}\n"
        "  - runbook: {name: F, workspace: other, renamed_from: C}\n"
    )
    assert found == [
        "2:24: runbooks[0].runbook.renamed_from: runbook 'A' is renamed from itself",
        "4:24: runbooks[2].runbook.renamed_from: runbooks 'B' and 'D' are both renamed from 'C'",
        "5:24: runbooks[3].runbook.renamed_from: runbook 'E' is renamed from 'B', but 'B' is "
        "still listed (remove that entry, or drop renamed_from)",
    ]


def test_a_runbook_rename_and_archive_are_kept_apart_from_its_fields(load) -> None:
    tree = load("runbook: {name: New, renamed_from: Old, archived: true, description: d}\n").trees[
        0
    ]
    assert (tree.runbook_renamed_from, tree.archived) == ("Old", True)
    assert tree.runbook.model_dump(exclude_unset=True) == {"name": "New", "description": "d"}
    plain = load("runbook: {name: R}\n").trees[0]
    assert (plain.runbook_renamed_from, plain.archived) == (None, None)
