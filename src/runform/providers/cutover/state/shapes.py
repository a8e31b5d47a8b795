"""Pydantic shapes for runbooks, streams and tasks in canonical-name space."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

CustomFieldValue = str | list[str]


class _Shape(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    def managed(self) -> dict[str, object]:
        """The fields this object manages (all of them for live objects), as plain data."""
        return self.model_dump(include=set(self.model_fields_set), mode="json")


class Assignee(BaseModel):
    """A task assignee: a runbook team (by team name) or a user (by handle or email)."""

    model_config = ConfigDict(frozen=True)

    kind: str = Field(pattern="^(team|user)$")
    name: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.name}"


class TaskLink(BaseModel):
    """A task's link to a template, by the template's name and id. Read back, Cutover's link
    names a fresh copy of the template; the copy's `source_runbook` is the template."""

    model_config = ConfigDict(frozen=True)

    template: str
    id: str | None = None  # None until the plan resolves the name

    def __str__(self) -> str:
        return self.template


class RunbookState(_Shape):
    """Runbook attributes runform manages. References are canonical names."""

    name: str
    workspace: str | None = None
    folder: str | None = None
    type: str | None = None
    description: str | None = None
    timezone: str | None = None
    start_planned: datetime | None = None
    start_scheduled: datetime | None = None
    end_scheduled: datetime | None = None
    status: str | None = None
    status_message: str | None = None
    is_template: bool | None = None
    template_status: str | None = None
    custom_fields: dict[str, CustomFieldValue] | None = None


class RtoState(_Shape):
    """A runbook's recovery time objective: seconds, and its two tasks by name.

    Planned as a part of its own (`runbook["R"].rto`) after the runbook's tasks, since Cutover
    takes the tasks by id and new ones have none before they are made.
    """

    rto: int | None = None
    rto_start_task: str | None = None
    rto_end_task: str | None = None


class StreamState(_Shape):
    """A stream; `parent` names the parent stream for a substream."""

    name: str
    parent: str | None = None
    color: str | None = None
    description: str | None = None


# TaskState fields that travel as task attributes of the same name (the others are
# relationships or, for custom fields, `custom_field_values`): written by apply, read by live.
TASK_ATTRIBUTES = (
    "name",
    "description",
    "duration",
    "level",
    "start_fixed",
    "end_fixed",
    "start_requirements",
    "end_requirements",
    "disable_notify",
)


class TaskState(_Shape):
    """A task. `stream` and `predecessors` are names within the runbook; duration in seconds."""

    name: str
    stream: str | None = None
    type: str | None = None
    duration: int | None = None
    level: str | None = None
    predecessors: tuple[str, ...] | None = None
    assignees: tuple[Assignee, ...] | None = None
    links: tuple[TaskLink, ...] | None = None
    start_fixed: datetime | None = None
    end_fixed: datetime | None = None
    start_requirements: str | None = None
    end_requirements: str | None = None
    disable_notify: bool | None = None
    description: str | None = None
    custom_fields: dict[str, CustomFieldValue] | None = None


class CopySpec(BaseModel):
    """How a new runbook is created from a template (`meta.copy`)."""

    model_config = ConfigDict(frozen=True)

    template: str  # canonical template runbook name, or the id when pinned by id
    template_id: str | None = None
    tasks: bool = True
    teams: bool = True
    users: bool = True


class RunbookTree(BaseModel):
    """A whole desired runbook: its attributes, streams and tasks, plus file bookkeeping.

    `runbook_renamed_from` is the runbook's old name (matched when its new name is not live);
    `archived` is the file's `archived:` (True: archive it; None: the key is not written);
    `renamed_from` maps a task's name to the old name it may still carry live, and
    `stream_renamed_from` does the same for streams;
    `absent` lists template task names the file removes; `source` is "file:line" for messages
    and `task_sources` the "file:line:column" of each task by name. `warnings` are what
    loading noticed but does not refuse (each begins with its file:line:column).
    `uses_variables`: the file has `${...}` placeholders, so the tree may hold values from the
    environment or `--var` (its plan is then never kept on disk: `plan.kept`).
    """

    model_config = ConfigDict(frozen=True)

    runbook: RunbookState
    pinned_id: str | None = None
    runbook_renamed_from: str | None = None
    archived: bool | None = None
    copy_from: CopySpec | None = None
    rto: RtoState | None = None  # None: the files leave the runbook's RTO alone
    streams: tuple[StreamState, ...] = ()
    tasks: tuple[TaskState, ...] = ()
    renamed_from: dict[str, str] = Field(default_factory=dict)
    stream_renamed_from: dict[str, str] = Field(default_factory=dict)
    absent: tuple[str, ...] = ()
    source: str | None = None
    task_sources: dict[str, str] = Field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    uses_variables: bool = False

    def where(self, task: str | None = None) -> str:
        """Where a task (or, without one, the runbook) is written, for messages."""
        return self.task_sources.get(task or "", "") or self.source or "files"


class LiveStream(BaseModel):
    """A stream as read from Cutover: its id and its normalized state."""

    id: str
    updated_at: str | None = None
    state: StreamState
    is_primary: bool = False


class LiveTask(BaseModel):
    """A task as read from Cutover. `source_task_id` is set on tasks copied from a template."""

    id: str
    internal_id: int | None = None
    updated_at: str | None = None
    stage: str | None = None
    source_runbook_id: str | None = None
    source_task_id: str | None = None
    state: TaskState


class LiveRunbook(BaseModel):
    """A runbook as read from Cutover, with its streams and tasks."""

    id: str
    updated_at: str | None = None
    stage: str = "planning"
    dynamic: bool = False
    archived: bool = False
    state: RunbookState
    rto: RtoState = Field(default_factory=RtoState)
    streams: list[LiveStream] = Field(default_factory=list)
    tasks: list[LiveTask] = Field(default_factory=list)
    runbook_teams: dict[str, str] = Field(default_factory=dict)  # team name -> runbook_team id
    team_members: tuple[str, ...] = ()  # users the runbook's teams bring (participants)

    @property
    def participants(self) -> set[str]:
        """Users who may be assigned: brought by a runbook team, or already assigned (Cutover
        silently ignores any other user assignee)."""
        assigned = {a.name for t in self.tasks for a in t.state.assignees or () if a.kind == "user"}
        return set(self.team_members) | assigned
