"""Pydantic models of runbook files: the one description behind validation and the JSON Schema."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, RootModel, model_validator

from runform.providers.cutover.definitions.fieldtypes import (
    Color,
    CustomFieldValue,
    DateTime,
    Description,
    Duration,
    EndRequirements,
    Level,
    Name,
    StartRequirements,
    Status,
    TemplateStatus,
    Text,
    Timezone,
)


class Spec(BaseModel):
    """Base of the file models: unknown keys are errors (with a suggestion, see errors.py)."""

    # Numbers written without quotes stand for text in text fields (a key `7`, a ticket 12345).
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)


class TemplateSpec(Spec):
    """Create the runbook by copying a template (once; afterwards the runbook stands alone)."""

    name: Text | None = Field(default=None, description="Template runbook name.")
    id: Text | None = Field(default=None, description="Template runbook id (instead of name).")
    tasks: bool = Field(default=True, description="Copy the template's tasks.")
    teams: bool = Field(default=True, description="Copy the template's runbook teams.")
    users: bool = Field(default=True, description="Copy the template's users.")

    @model_validator(mode="after")
    def _one_reference(self) -> TemplateSpec:
        if (self.name is None) == (self.id is None):
            raise ValueError("give the template's `name` or its `id` (exactly one)")
        return self


class RtoSpec(Spec):
    """The runbook's recovery time objective: how long from the start task to the end task."""

    duration: Duration = Field(description="The objective: 90s, 15m, 4h, 1h30m, 2d, or seconds.")
    start: Text = Field(description="The task the clock starts at: a key or a task name.")
    end: Text = Field(description="The task the clock stops at: a key or a task name.")


class RunbookSpec(Spec):
    """The runbook's own attributes; references are names or keys, resolved at plan time."""

    id: Text | None = Field(default=None, description="Pin the live runbook by id.")
    name: Name = Field(description="Runbook name, its identity within the workspace.")
    renamed_from: Name | None = Field(
        default=None,
        description="The runbook's old name: the live runbook of that name in the workspace is "
        "renamed, not replaced (once renamed, the new name matches).",
    )
    archived: bool | None = Field(
        default=None,
        description="true: archive the runbook in Cutover (its streams and tasks go with it). "
        "Cutover has no un-archive: false never restores an archived runbook.",
    )
    workspace: Text | None = Field(default=None, description="Workspace key or name.")
    folder: Text | None = Field(default=None, description="Folder name or key.")
    type: Text | None = Field(default=None, description="Runbook type key or name.")
    template: TemplateSpec | None = None
    timezone: Timezone | None = None
    start_planned: DateTime | None = None
    start_scheduled: DateTime | None = None
    end_scheduled: DateTime | None = None
    status: Status | None = None
    status_message: str | None = None
    description: Description | None = None
    is_template: bool | None = None
    template_status: TemplateStatus | None = None
    custom_fields: dict[str, CustomFieldValue] | None = Field(
        default=None, description="Custom field values by field name."
    )
    rto: RtoSpec | None = Field(
        default=None,
        description="Recovery time objective (the runbook type must enable RTO); its tasks "
        "are keys or names of this runbook's tasks, template tasks too.",
    )


class StreamSpec(Spec):
    """A stream; `streams` under it are substreams (Cutover allows one level)."""

    name: Name
    renamed_from: Name | None = Field(
        default=None,
        description="The stream's old name: the live stream (the runbook's primary stream "
        "too) is renamed, not replaced.",
    )
    color: Color | None = None
    description: Description | None = None
    streams: list[StreamSpec] | None = None


class AssigneeSpec(Spec):
    """`team: <runbook team name>` or `user: <handle or email>`."""

    model_config = ConfigDict(json_schema_extra={"minProperties": 1, "maxProperties": 1})

    team: Text | None = None
    user: Text | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> AssigneeSpec:
        if (self.team is None) == (self.user is None):
            raise ValueError("an assignee is `team: NAME` or `user: HANDLE` (exactly one)")
        return self


class LinkSpec(Spec):
    """A link from a task to a template: Cutover links a fresh copy of it (in a template, the
    template itself), and the task takes the template's name."""

    template: Text = Field(description="The template's name.")


class TaskSpec(Spec):
    """A task: a new one, or changes to one the template brings (matched by name)."""

    key: Text | None = Field(
        default=None, description="Local handle for `after:`; defaults to a slug of the name."
    )
    name: Name
    renamed_from: Name | None = Field(
        default=None, description="The task's old name: the live task is renamed, not replaced."
    )
    absent: bool | None = Field(
        default=None, description="Remove this task, which the template brings."
    )
    stream: Text | None = None
    type: Text | None = Field(default=None, description="Task type key or name.")
    duration: Duration | None = None
    level: Level | None = None
    after: list[Text] | None = Field(
        default=None, description="Predecessors: task keys, or task names (template tasks too)."
    )
    assignees: list[AssigneeSpec] | None = None
    links: list[LinkSpec] | None = Field(
        default=None,
        max_length=1,
        description="A template this task links (one): the task's `type` must be the task "
        "type with key `linked`, and its name the template's name.",
    )
    start_fixed: DateTime | None = Field(default=None, description="Not before.")
    end_fixed: DateTime | None = Field(default=None, description="Due.")
    start_requirements: StartRequirements | None = None
    end_requirements: EndRequirements | None = None
    disable_notify: bool | None = None
    description: Description | None = None
    custom_fields: dict[str, CustomFieldValue] | None = None


class RunbookDocument(Spec):
    """One runbook with its streams and tasks: the content of a runbook file."""

    runbook: RunbookSpec
    streams: list[StreamSpec] = Field(default_factory=list)
    tasks: list[TaskSpec] = Field(default_factory=list)


class RunbookCollection(Spec):
    """Several runbooks in one file."""

    runbooks: list[RunbookDocument] = Field(min_length=1)


class RunbookFile(RootModel[RunbookDocument | RunbookCollection]):
    """A runbook file: one runbook (`runbook:`), or several (`runbooks:`)."""
