"""A plan: small value objects, one per change, grouped by the root resource they belong to.

Changes carry values in name space (the provider's canonical names, never ids); the applier
turns names into ids. Ordering comes from `depends_on` alone, never from list position.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SerializeAsAny, computed_field

PLAN_FORMAT_VERSION = 2


class Action(StrEnum):
    CREATE = "create"
    COPY = "copy"  # made by copying another resource (a template), or brought by that copy
    UPDATE = "update"
    DELETE = "delete"
    NOOP = "no-op"


class FieldChange(BaseModel):
    """One managed field's before and after value (JSON-ready, names not ids)."""

    model_config = ConfigDict(frozen=True)

    field: str
    before: Any = None
    after: Any = None
    # Against a base (the files at a git revision): who moved the field. `files`: the change
    # edits it; `cutover`: the system moved and the files did not; `both`: a conflict. None
    # without a base: runform then makes no claim about who moved.
    source: Literal["files", "cutover", "both"] | None = None
    # For a move on the system's side (`cutover`, `both`), who made it and when, as the
    # system's audit trail says (None when it has none, or keeps no author).
    changed_by: str | None = None
    changed_at: str | None = None


# `Change.copy` is the plan format's field name; pydantic's deprecated `BaseModel.copy` is unused.
warnings.filterwarnings("ignore", message='Field name "copy" in "Change"', category=UserWarning)


class Change(BaseModel):
    """One create, copy, update, delete or no-op of one resource."""

    model_config = ConfigDict(frozen=True)

    address: str
    kind: str  # the resource type (a schema type name)
    action: Action
    root: str  # the key of the root resource the change belongs to
    name: str
    id: str | None = None  # live id, for updates and deletes
    before: dict[str, Any] | None = None  # managed fields, live values
    after: dict[str, Any] | None = None  # managed fields, desired values
    fields: tuple[FieldChange, ...] = ()
    depends_on: tuple[str, ...] = ()
    from_template: bool = False  # the object is (or will be) brought by a copy of its root
    renamed_from: str | None = None
    drift: bool = False  # live differs from the files on a field they manage
    copy: dict[str, Any] | None = None  # type: ignore[assignment]  # for a root COPY: what to copy from (provider's words)


class RootPlan(BaseModel):
    """Everything planned for one root resource and what lies under it.

    Providers may subclass it for their own sections (`provider` says which model reads it);
    unknown fields are kept so a plan file round-trips through the generic model.
    """

    model_config = ConfigDict(extra="allow")

    provider: str
    name: str
    address: str
    live_id: str | None = None
    source: str | None = None  # file:line the root came from
    appliable: bool = True
    refusal: str | None = None  # why the root cannot be applied as planned
    changes: list[Change] = Field(default_factory=list)
    unchanged: dict[str, int] = Field(default_factory=dict)  # kind -> count of no-ops
    warnings: list[str] = Field(default_factory=list)
    # Address → live id of every object that exists before the plan, unchanged ones included
    # (under its name after the plan), so the applier can name references by id.
    live_ids: dict[str, str] = Field(default_factory=dict)


class Plan(BaseModel):
    """A whole plan, as saved by `plan -out` and read by `apply PLANFILE` / `show`."""

    format_version: int = PLAN_FORMAT_VERSION
    runform_version: str = ""
    created_at: str = ""
    target: str = ""  # the system planned against (never a credential)
    roots: list[SerializeAsAny[RootPlan]] = Field(default_factory=list)
    fingerprint: dict[str, str | None] = Field(default_factory=dict)  # object -> version
    definitions_digest: str | None = None  # digest of the files the plan was made from
    # Why the plan must not be applied as it is (a safety limit it passes): it is still shown
    # in full, so a reviewer sees what would happen, and apply refuses it.
    blocked: str | None = None

    def changes(self) -> list[Change]:
        return [c for rb in self.roots for c in rb.changes if c.action is not Action.NOOP]

    def counts(self) -> dict[str, int]:
        counts = {"create": 0, "update": 0, "delete": 0}
        for change in self.changes():
            key = "create" if change.action in (Action.CREATE, Action.COPY) else change.action.value
            counts[key] += 1
        return counts

    @property
    def has_changes(self) -> bool:
        return bool(self.changes())

    @computed_field  # type: ignore[prop-decorator]
    @property
    def changes_digest(self) -> str:
        """`sha256:` of what applying the plan would do: the target and, per root, each change's
        address, action, id and values. When, how and from which files it was planned is left
        out, so a plan made again at merge has the digest of the reviewed one exactly when it
        would make the same changes (the merge pipeline's check)."""
        roots = [
            {
                "provider": root.provider,
                "address": root.address,
                "live_id": root.live_id,
                "appliable": root.appliable,
                "changes": [
                    _change_essence(c) for c in root.changes if c.action is not Action.NOOP
                ],
            }
            for root in self.roots
        ]
        essence = {"target": self.target, "roots": roots}
        text = json.dumps(essence, sort_keys=True, ensure_ascii=False, default=str)
        return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


def _change_essence(change: Change) -> dict[str, Any]:
    """The part of a change that says what a write does (not why, nor in which order)."""
    return {
        "address": change.address,
        "kind": change.kind,
        "action": change.action.value,
        "id": change.id,
        "fields": [[f.field, f.before, f.after] for f in change.fields],
        "after": change.after if change.action in (Action.CREATE, Action.COPY) else None,
        "copy": change.copy,
        "renamed_from": change.renamed_from,
    }
