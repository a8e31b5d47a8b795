"""Typed API errors: one class per kind of refusal, each with a one-line human message."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from runform.errors import OutcomeUnknown, RunformError


class ErrorObject(BaseModel):
    """One JSON:API error object; `code` and `pointer` are what callers map on, never text."""

    model_config = ConfigDict(frozen=True)

    status: str | None = None
    title: str | None = None
    detail: str | None = None
    code: str | None = None
    pointer: str | None = None
    parameter: str | None = None

    @classmethod
    def from_json(cls, raw: Any) -> ErrorObject:
        """Decode one entry of an `errors` list, tolerating missing or odd fields."""
        if not isinstance(raw, dict):
            return cls(detail=str(raw))
        source = raw.get("source")
        if not isinstance(source, dict):
            source = {}

        def text(value: Any) -> str | None:
            return None if value is None else str(value)

        return cls(
            status=text(raw.get("status")),
            title=text(raw.get("title")),
            detail=text(raw.get("detail")),
            code=text(raw.get("code")),
            pointer=text(source.get("pointer")),
            parameter=text(source.get("parameter")),
        )

    @property
    def field(self) -> str | None:
        """The field the error is about: `/data/attributes/duration` -> `duration`."""
        if self.pointer:
            parts = [p for p in self.pointer.split("/") if p]
            if parts[:1] == ["data"]:
                parts = parts[1:]
            if parts[:1] in (["attributes"], ["relationships"], ["meta"]):
                parts = parts[1:]
            return ".".join(parts) or None
        if self.parameter:
            return f"parameter {self.parameter}"
        return None

    def sentence(self) -> str:
        """`duration: must be greater than 0 (code greater_than)`."""
        message = self.detail or self.title or "refused"
        field = self.field
        if field:
            message = _without_field_name(message, field.rsplit(".", 1)[-1])
        text = f"{field}: {message}" if field else message
        return f"{text} (code {self.code})" if self.code else text


def _without_field_name(message: str, name: str) -> str:
    """`Duration must be > 0` -> `must be > 0`: the field is already named in front."""
    for spelling in (name, name.replace("_", " ")):
        if message.lower().startswith(spelling.lower() + " ") and len(message) > len(spelling) + 1:
            return message[len(spelling) + 1 :]
    return message


class ApiError(RunformError):
    """Cutover (or the sandbox) refused or failed a request."""

    default_reason = "the request failed"
    # Whether the API's own detail text says more than `default_reason` (validation does).
    explained_by_api = False

    def __init__(
        self,
        method: str,
        path: str,
        status: int | None = None,
        errors: list[ErrorObject] | None = None,
        reason: str | None = None,
        label: str | None = None,
    ) -> None:
        self.method = method
        self.path = path
        self.status = status
        self.errors = list(errors or [])
        self.reason = reason or self.default_reason
        # What the request was about, e.g. `task "Back up ledger"` (else method and path).
        self.label = label
        super().__init__(self.describe())

    @property
    def codes(self) -> list[str]:
        """The error codes the API gave, in order."""
        return [e.code for e in self.errors if e.code]

    def describe(self, resource_label: str | None = None) -> str:
        """One line naming the resource and field, e.g. `task "X" duration: ... (code c)`."""
        label = resource_label or self.label or f"{self.method} {self.path}"
        told = [e for e in self.errors if e.detail or e.title or e.code]
        if self.explained_by_api and told:
            return "; ".join(
                f"{label} {e.sentence()}" if e.field else f"{label}: {e.sentence()}" for e in told
            )
        codes = ", ".join(self.codes)
        suffix = f" (code {codes})" if codes else ""
        status = f" [HTTP {self.status}]" if self.status else ""
        return f"{label}: {self.reason}{suffix}{status}"


class BadRequest(ApiError):
    """400: the request was malformed."""

    explained_by_api = True

    default_reason = "the request was malformed"


class Unauthorized(ApiError):
    """401: the token is missing, wrong or revoked."""

    default_reason = "the API token was refused; check CUTOVER_API_TOKEN or the token file"


class Forbidden(ApiError):
    """403: the token's user lacks permission."""

    default_reason = "the API token's user lacks permission for this (it needs the Developer role)"


class NotFound(ApiError):
    """404: never existed, archived or deleted."""

    default_reason = "not found (it never existed, or it was archived or deleted)"


class EndpointTooNew(ApiError):
    """405: the instance's API predates this endpoint."""

    default_reason = "this endpoint is newer than your Cutover instance"


class ValidationFailed(ApiError):
    """422: the API rejected the values sent."""

    explained_by_api = True

    default_reason = "the values were rejected"


class RateLimited(ApiError):
    """429 still returned after every retry allowed."""

    default_reason = "Cutover kept throttling requests (429) after every retry"


class ServerError(ApiError):
    """5xx on a read, after the retries allowed."""

    default_reason = "Cutover had a server error"


class Unreachable(ApiError):
    """A read could not get any response (connection failures, timeouts) after retries."""

    default_reason = "no response from Cutover"


class UnexpectedResponse(ApiError):
    """A success status with a body that is not the JSON:API document expected."""

    default_reason = "the response was not the JSON:API document expected"


class AmbiguousWrite(ApiError, OutcomeUnknown):
    """A write whose outcome is unknown: it may or may not have happened; re-read to decide."""

    default_reason = "the write may or may not have happened (no complete response)"

    def __init__(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None,
        status: int | None = None,
        errors: list[ErrorObject] | None = None,
        reason: str | None = None,
        label: str | None = None,
    ) -> None:
        # The body is what runform sent (attributes, relationships, meta): never headers.
        self.body = body
        super().__init__(method, path, status=status, errors=errors, reason=reason, label=label)

    def describe(self, resource_label: str | None = None) -> str:
        """One line saying which write is in doubt and why."""
        label = resource_label or self.label or f"{self.method} {self.path}"
        status = f" [HTTP {self.status}]" if self.status else ""
        return f"{label}: {self.reason}{status}"


ERRORS_BY_STATUS: dict[int, type[ApiError]] = {
    400: BadRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    405: EndpointTooNew,
    422: ValidationFailed,
    429: RateLimited,
}


def label_of(body: dict[str, Any] | None) -> str | None:
    """`task "Back up ledger"` for a JSON:API body that names its resource, else None."""
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, dict):
        return None
    name = (data.get("attributes") or {}).get("name")
    kind = data.get("type")
    return f'{kind} "{name}"' if isinstance(name, str) and name and kind else None


def error_class_for(status: int) -> type[ApiError]:
    """The exception class for an HTTP status (unknown 4xx map to BadRequest)."""
    if status in ERRORS_BY_STATUS:
        return ERRORS_BY_STATUS[status]
    return ServerError if status >= 500 else BadRequest
