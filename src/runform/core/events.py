"""`apply --json`: one JSON object per line, each step of an apply as it happens.

The shapes are pydantic models, so `schemas/apply-events.schema.json` is generated from them
(a test keeps the two equal) and docs/plan-format.md describes them field by field. Every
line holds addresses, ids, methods, paths and messages: never a token.
"""

from __future__ import annotations

import json
import sys
from typing import IO, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from runform.core.journal import utc_now

EVENTS_VERSION: Literal[1] = 1


class _Event(BaseModel):
    model_config = ConfigDict(extra="forbid")

    time: str = Field(description="ISO 8601 UTC time the line was written")


class ApplyStart(_Event):
    """The first line: which format, which target, how many changes are planned."""

    type: Literal["apply_start"] = "apply_start"
    events_version: Literal[1] = EVENTS_VERSION
    target: str
    planned: dict[str, int] = Field(description="changes to make: create, update, delete")


class PlannedChange(_Event):
    """One change of the plan about to be applied (after apply_start, before any start)."""

    type: Literal["planned_change"] = "planned_change"
    address: str
    action: str
    id: str | None = None


class ChangeStart(_Event):
    """A change's call (or calls) begins."""

    type: Literal["change_start"] = "change_start"
    address: str
    action: str
    id: str | None = Field(None, description="the live id, when the object exists already")


class ChangeEnd(_Event):
    """A started change ends: every change_start has exactly one change_end after it."""

    type: Literal["change_end"] = "change_end"
    address: str
    action: str
    id: str | None = None
    outcome: Literal["done", "failed", "uncertain", "adopted"]
    message: str | None = None


class Retry(_Event):
    """A request will be sent again after a wait (throttled, a server error, a lost connect)."""

    type: Literal["retry"] = "retry"
    method: str
    path: str
    attempt: int = Field(description="the attempt about to be made, counting from 1")
    max_attempts: int
    delay_seconds: float
    cause: str


class Note(_Event):
    """Something a reader should know: a write in doubt, an object adopted or recovered."""

    type: Literal["note"] = "note"
    kind: Literal["uncertain", "adopted", "recovered", "interrupted"]
    message: str
    address: str | None = None
    id: str | None = None


class Summary(_Event):
    """The last line: what the apply did in all."""

    type: Literal["summary"] = "summary"
    status: Literal["complete", "failed", "interrupted", "blocked", "refused"]
    counts: dict[str, int] = Field(description="created, updated, deleted")
    target: str
    duration_seconds: float
    requests: int
    failed: list[dict[str, str]] = Field(description="address, action, message of each failure")
    uncertain: list[str]
    not_attempted: list[str]
    journal: str | None = None
    message: str | None = None


ApplyEvent = Annotated[
    ApplyStart | PlannedChange | ChangeStart | ChangeEnd | Retry | Note | Summary,
    Field(discriminator="type"),
]
_ADAPTER: TypeAdapter[Any] = TypeAdapter(ApplyEvent)


def events_schema() -> dict[str, Any]:
    """The JSON Schema of one line of `apply --json` (schemas/apply-events.schema.json)."""
    schema = _ADAPTER.json_schema(mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "apply-events.schema.json",
        **schema,
        "title": "runform apply --json event",
        "description": f"One line of `runform apply --json`, events version {EVENTS_VERSION} "
        "(docs/plan-format.md).",
    }


def parse_event(line: str) -> BaseModel:
    """One line read back as its event model (tests, and tools reading the stream)."""
    event: BaseModel = _ADAPTER.validate_json(line)
    return event


class JsonLines:
    """Writes events to a stream, one compact JSON object per line, flushed at once."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self.stream = stream or sys.stdout

    def write(self, event_type: str, fields: dict[str, Any]) -> None:
        record = _ADAPTER.validate_python({"type": event_type, "time": utc_now(), **fields})
        line = json.dumps(record.model_dump(mode="json"), ensure_ascii=False)
        self.stream.write(line + "\n")
        self.stream.flush()


class JsonProgress(JsonLines):
    """The apply's progress as event lines: the runner's records (`event`), and each retry the
    client decides (`retry`); the plain-text callbacks say nothing, the records say it all."""

    def start(self, runbook: str, total: int) -> None:
        pass

    def retotal(self, runbook: str, total: int) -> None:
        pass

    def advance(self, runbook: str, address: str, action: str, object_id: str | None) -> None:
        pass

    def note(self, message: str) -> None:
        pass

    def close(self) -> None:
        self.stream.flush()

    def event(self, event_type: str, fields: dict[str, Any]) -> None:
        self.write(event_type, fields)

    def retry(self, notice: Any) -> None:
        """A `runform.core.http.retry.RetryNotice`, as a `retry` line."""
        self.write("retry", notice.fields())
