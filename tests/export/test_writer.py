"""The writer: names not ids, defaults left out, stable bytes, text that reads back exactly."""

from __future__ import annotations

from datetime import UTC, datetime

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from runform.providers.cutover.definitions.durations import format_duration, parse_duration
from runform.providers.cutover.export.defaults import ExportDefaults
from runform.providers.cutover.export.slugs import slugify, unique_slugs
from runform.providers.cutover.export.writer import dump_runbook
from runform.providers.cutover.state.shapes import (
    Assignee,
    LiveRunbook,
    LiveStream,
    LiveTask,
    RunbookState,
    StreamState,
    TaskState,
)

DEFAULTS = ExportDefaults(
    runbook_type="Normal runbook",
    task_type="Normal",
    task_type_durations={"Normal": 600, "Milestone": 0, "Approval": 300},
)


def _task(number: int, name: str, **fields: object) -> LiveTask:
    return LiveTask(id=str(100 + number), internal_id=number, state=TaskState(name=name, **fields))


def _runbook(
    tasks: list[LiveTask], streams: list[LiveStream] | None = None, **fields
) -> LiveRunbook:
    state = RunbookState(name=fields.pop("name", "Release"), workspace="Default", **fields)
    return LiveRunbook(id="7", state=state, streams=streams or [], tasks=tasks)


def _read_both(text: str) -> object:
    """Read with a YAML 1.1 reader (libyaml) and a YAML 1.2 reader; both must agree."""
    one = yaml.load(text, Loader=yaml.CSafeLoader)
    two = YAML(typ="safe").load(text)
    assert one == two
    return one


def test_schema_comment_comes_first_and_defaults_are_left_out() -> None:
    live = _runbook(
        [
            _task(
                1,
                "Plain",
                stream="Main",
                type="Normal",
                duration=600,
                level="level_3",
                start_requirements="any_can_start",
                end_requirements="all_must_end",
                disable_notify=False,
                predecessors=(),
                assignees=(),
                custom_fields={},
            ),
            _task(2, "Gate", stream="Main", type="Milestone", duration=0, predecessors=("Plain",)),
        ],
        streams=[LiveStream(id="1", state=StreamState(name="Main"))],
        type="Normal runbook",
        status="off",
    )
    written = dump_runbook(live, DEFAULTS)
    assert written.splitlines()[0].startswith("# yaml-language-server: $schema=")
    data = _read_both(written)
    assert data["runbook"] == {"name": "Release", "workspace": "Default"}
    assert data["tasks"][0] == {"key": "plain", "name": "Plain", "stream": "Main"}
    assert data["tasks"][1] == {
        "key": "gate",
        "name": "Gate",
        "stream": "Main",
        "type": "Milestone",
        "after": ["plain"],
    }


def test_values_differing_from_defaults_are_written() -> None:
    start = datetime(2026, 12, 5, 22, 0, tzinfo=UTC)
    live = _runbook(
        [
            _task(
                1,
                "Approve",
                type="Approval",
                duration=900,
                level="level_1",
                start_requirements="all_must_start",
                end_requirements="any_can_end",
                disable_notify=True,
                start_fixed=start,
                description="two\nlines",
                assignees=(
                    Assignee(kind="user", name="ada@example.com"),
                    Assignee(kind="team", name="Database team"),
                ),
                custom_fields={"Evidence URL": "https://example.com/x"},
            ),
        ],
        type="Dynamic runbook",
        status="amber",
        timezone="Europe/London",
        start_scheduled=start,
        custom_fields={"Risk": "High", "Change ticket": "CHG1"},
    )
    data = _read_both(dump_runbook(live, DEFAULTS))
    assert data["runbook"]["type"] == "Dynamic runbook"
    assert data["runbook"]["status"] == "amber"
    assert data["runbook"]["start_scheduled"] == "2026-12-05T22:00:00+00:00"
    assert list(data["runbook"]["custom_fields"]) == ["Change ticket", "Risk"]
    task = data["tasks"][0]
    assert task["duration"] == "15m"
    assert task["level"] == "level_1"
    assert task["assignees"] == [{"team": "Database team"}, {"user": "ada@example.com"}]
    assert task["disable_notify"] is True
    assert task["description"] == "two\nlines"
    assert task["start_requirements"] == "all_must_start"
    assert task["end_requirements"] == "any_can_end"


def test_substreams_are_nested_under_their_parent() -> None:
    streams = [
        LiveStream(id="1", state=StreamState(name="Deployment", color="#3b82f6")),
        LiveStream(id="2", state=StreamState(name="Verification")),
        LiveStream(id="3", state=StreamState(name="Database", parent="Deployment")),
    ]
    data = _read_both(dump_runbook(_runbook([], streams=streams), DEFAULTS))
    assert data["streams"] == [
        {"name": "Deployment", "color": "#3b82f6", "streams": [{"name": "Database"}]},
        {"name": "Verification"},
    ]
    assert "tasks" not in data


def test_repeated_names_get_distinct_keys_and_a_note() -> None:
    live = _runbook([_task(1, "Check"), _task(2, "Check", predecessors=("Check",)), _task(3, "Go")])
    written = dump_runbook(live, DEFAULTS)
    assert "several tasks share a name in Cutover: 'Check'" in written
    data = _read_both(written)
    assert [t["key"] for t in data["tasks"]] == ["check", "check-2", "go"]


def test_tasks_follow_cutover_numbering_and_output_is_stable() -> None:
    tasks = [
        _task(3, "Third"),
        _task(1, "First"),
        _task(2, "Second", predecessors=("Third", "First")),
    ]
    first = dump_runbook(_runbook(tasks), DEFAULTS)
    again = dump_runbook(_runbook(list(reversed(tasks))), DEFAULTS)
    assert first == again
    data = _read_both(first)
    assert [t["name"] for t in data["tasks"]] == ["First", "Second", "Third"]
    assert data["tasks"][1]["after"] == ["first", "third"]


ODD_NAMES = [
    'Say "hello"',
    "it's",
    "key: value",
    "# not a comment",
    "  padded  ",
    "Überprüfung 日本",
    "yes",
    "off",
    "1:30",
    "null",
    "- dash",
    "[x]",
    "{y}",
    "@at",
    "`tick`",
    "a\\b",
    "100",
]


def test_odd_characters_in_names_read_back_exactly() -> None:
    tasks = [_task(i + 1, name, stream=name) for i, name in enumerate(ODD_NAMES)]
    streams = [LiveStream(id=str(i), state=StreamState(name=n)) for i, n in enumerate(ODD_NAMES)]
    live = _runbook(tasks, streams=streams, name="Release: 'Q4' #2 ")
    data = _read_both(dump_runbook(live, DEFAULTS))
    assert data["runbook"]["name"] == "Release: 'Q4' #2 "
    assert [t["name"] for t in data["tasks"]] == ODD_NAMES
    assert [t["stream"] for t in data["tasks"]] == ODD_NAMES
    assert [s["name"] for s in data["streams"]] == ODD_NAMES
    assert all(isinstance(t["key"], str) for t in data["tasks"])


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=40))
def test_any_name_reads_back_exactly(name: str) -> None:
    data = _read_both(dump_runbook(_runbook([_task(1, name)], name=name), DEFAULTS))
    assert data["runbook"]["name"] == name
    assert data["tasks"][0]["name"] == name


@given(st.lists(st.text(max_size=12), max_size=30))
def test_unique_slugs_are_unique_and_readable(names: list[str]) -> None:
    slugs = unique_slugs(names)
    assert len(set(slugs)) == len(names)
    assert all(slug and slug == slug.lower() and " " not in slug for slug in slugs)


def test_slugs_fold_accents_and_fall_back() -> None:
    assert slugify("Back up databases!") == "back-up-databases"
    assert slugify("Überprüfung") == "uberprufung"
    assert slugify("日本") == "task"


@given(st.integers(min_value=0, max_value=10**7))
def test_durations_are_short_and_exact(seconds: int) -> None:
    written = format_duration(seconds)
    assert parse_duration(written) == seconds
    assert len(written) <= len(str(seconds)) + 8


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab \n\t#:'\"-é\x85"), min_size=1, max_size=30))
def test_any_description_reads_back_exactly(description: str) -> None:
    live = _runbook([_task(1, "T", description=description)], description=description)
    data = _read_both(dump_runbook(live, DEFAULTS))
    assert data["runbook"]["description"] == description
    assert data["tasks"][0]["description"] == description
