"""A task resource as a plan reads it: only the attributes and relationships the shapes use.

Task pages are most of what a plan decodes (a whole task carries about twice the attributes
runform reads). `TaskRow` is decoded straight from the response body (`list_rows`), so the
rest are skipped by pydantic's parser. Values stay as Cutover sent them (`Any`): the task
shapes (`state.shapes.TaskState`) are the one place that checks them, as for every read.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict
from typing_extensions import TypedDict  # pydantic reads typing's TypedDict only from 3.12

# The members are plain dicts, not models: a model is three objects for the collector to
# track (itself, its __dict__, its fields-set), a dict one; a plan holds 10,000 tasks' rows.
_READ = ConfigDict(coerce_numbers_to_str=True)  # some ids come back as integers


class RefDict(TypedDict):
    """A resource identifier: what a relationship points at."""

    __pydantic_config__ = _READ  # type: ignore[misc]
    id: str
    type: str


class Linkage(TypedDict, total=False):
    """A relationship object: `data` is a ref, a list of refs, or null."""

    data: RefDict | list[RefDict] | None


def one(link: Linkage | None) -> str | None:
    """The id a to-one relationship points at (None when empty, null or absent)."""
    data = link.get("data") if link else None
    if isinstance(data, dict):
        return data["id"]
    if isinstance(data, list) and len(data) == 1:
        return data[0]["id"]
    return None


def many(link: Linkage | None) -> list[RefDict]:
    """The refs a relationship points at, as a list (empty when null or absent)."""
    data = link.get("data") if link else None
    if not data:
        return []
    return [data] if isinstance(data, dict) else data


class TaskAttributes(TypedDict, total=False):
    """The task attributes the shapes hold, plus forecast mode's `predecessor_ids`."""

    __pydantic_config__ = _READ  # type: ignore[misc]
    name: Any
    description: Any
    duration: Any
    level: Any
    start_fixed: Any
    end_fixed: Any
    start_requirements: Any
    end_requirements: Any
    disable_notify: Any
    internal_id: Any
    updated_at: Any
    stage: Any
    custom_field_values: Any
    predecessor_ids: list[str] | None
    task_links: list[dict[str, Any]] | None


class TaskRelationships(TypedDict, total=False):
    """The relationships a task's shape is made from (the others are not read)."""

    stream: Linkage | None
    task_type: Linkage | None
    predecessors: Linkage | None
    assignees: Linkage | None
    source_runbook: Linkage | None
    source_task: Linkage | None


NO_ATTRIBUTES: TaskAttributes = {}
NO_RELATIONSHIPS: TaskRelationships = {}


class TaskRow(BaseModel):
    """One task resource of a task list (null `attributes` or `relationships` read as none)."""

    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)

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
        links = self.attrs.get("task_links") or []
        return [link for link in links if link.get("link_type") == "runbook"]
