"""A template-copy file: `template:` set, the template's streams and tasks shown as comments."""

from __future__ import annotations

import yaml

from runform.providers.cutover.export.bootstrap import dump_template_copy
from runform.providers.cutover.export.defaults import ExportDefaults
from runform.providers.cutover.state.shapes import (
    Assignee,
    LiveRunbook,
    LiveStream,
    LiveTask,
    RunbookState,
    StreamState,
    TaskState,
)

TEMPLATE = LiveRunbook(
    id="1",
    state=RunbookState(name="Standard release", workspace="Default", is_template=True),
    streams=[
        LiveStream(id="1", state=StreamState(name="Deployment")),
        LiveStream(id="2", state=StreamState(name="Database", parent="Deployment")),
    ],
    tasks=[
        LiveTask(
            id="11",
            internal_id=2,
            state=TaskState(
                name="Migrate", stream="Database", duration=1200, predecessors=("Back up",)
            ),
        ),
        LiveTask(
            id="10",
            internal_id=1,
            state=TaskState(
                name="Back up\nfirst",
                stream="Database",
                type="Normal",
                duration=2700,
                assignees=(Assignee(kind="team", name="Database team"),),
            ),
        ),
    ],
)


def test_copy_file_names_the_template_and_comments_what_it_brings() -> None:
    written = dump_template_copy(TEMPLATE, "Release: 2026.12", ExportDefaults(task_type="Normal"))
    data = yaml.load(written, Loader=yaml.CSafeLoader)
    assert data == {
        "runbook": {
            "name": "Release: 2026.12",
            "workspace": "Default",
            "template": {"name": "Standard release"},
        }
    }
    comments = [line for line in written.splitlines() if line.startswith("#")]
    assert comments[0].startswith("# yaml-language-server: $schema=")
    assert "#   - Deployment" in comments
    assert "#     - Database" in comments
    assert "#     1. Back up first  (Database; 45m; team Database team)" in comments
    assert "#     2. Migrate  (Database; 20m; after Back up)" in comments


def test_copy_of_an_empty_template_says_so() -> None:
    empty = LiveRunbook(id="2", state=RunbookState(name="Blank", workspace="Default"))
    written = dump_template_copy(empty, "New", ExportDefaults(), folder="Releases")
    assert "# The template has no tasks." in written
    assert yaml.safe_load(written)["runbook"]["folder"] == "Releases"
