"""A task resource as a plan reads it: only the attributes and relationships the shapes use.

Task pages are most of what a plan decodes (a whole task carries about twice the attributes
runform reads). `TaskRow` is decoded straight from the response body (`list_rows`), so the
rest are skipped by pydantic's parser. Values stay as Cutover sent them (`Any`): the task
shapes (`state.shapes.TaskState`) are the one place that checks them, as for every read.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from runform.providers.cutover.api.records import Ref


class _Read(BaseModel):
    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)


class Linkage(_Read):
    """A relationship object: `data` is a ref, a list of refs, or null."""

    data: Ref | list[Ref] | None = None


def one(link: Linkage | None) -> str | None:
    """The id a to-one relationship points at (None when empty, null or absent)."""
    data = link.data if link is not None else None
    if isinstance(data, Ref):
        return data.id
    if isinstance(data, list) and len(data) == 1:
        return data[0].id
    return None


def many(link: Linkage | None) -> list[Ref]:
    """The refs a relationship points at, as a list (empty when null or absent)."""
    data = link.data if link is not None else None
    if data is None:
        return []
    return [data] if isinstance(data, Ref) else data


class TaskAttributes(_Read):
    """The task attributes the shapes hold, plus forecast mode's `predecessor_ids`."""

    name: Any = None
    description: Any = None
    duration: Any = None
    level: Any = None
    start_fixed: Any = None
    end_fixed: Any = None
    start_requirements: Any = None
    end_requirements: Any = None
    disable_notify: Any = None
    internal_id: Any = None
    updated_at: Any = None
    stage: Any = None
    custom_field_values: Any = None
    predecessor_ids: list[str] | None = None
    task_links: list[dict[str, Any]] | None = None


class TaskRelationships(_Read):
    """The relationships a task's shape is made from (the others are not read); null or
    absent ones are None."""

    stream: Linkage | None = None
    task_type: Linkage | None = None
    predecessors: Linkage | None = None
    assignees: Linkage | None = None
    source_runbook: Linkage | None = None
    source_task: Linkage | None = None


NO_ATTRIBUTES = TaskAttributes()
NO_RELATIONSHIPS = TaskRelationships()


class TaskRow(_Read):
    """One task resource of a task list (null `attributes` or `relationships` read as none)."""

    id: str
    type: str
    attributes: TaskAttributes | None = None
    relationships: TaskRelationships | None = None

    @property
    def attrs(self) -> TaskAttributes:
        return self.attributes or NO_ATTRIBUTES

    @property
    def rels(self) -> TaskRelationships:
        return self.relationships or NO_RELATIONSHIPS

    def links(self) -> list[dict[str, Any]]:
        """The task's `runbook` links (snippets are not runform's), as read."""
        return [link for link in self.attrs.task_links or [] if link.get("link_type") == "runbook"]
