"""What a Cutover response becomes when it is not simply passed on: the typed error of a failed
request (a write that may have happened included), or its JSON document, decoded."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import httpx
from pydantic import ValidationError

from runform.providers.cutover.api import errors

T = TypeVar("T")  # what a response's document decodes to


def ambiguous_write(failure: errors.ApiError, body: dict[str, Any] | None) -> errors.AmbiguousWrite:
    """The failure of a write that may have happened, with what was sent."""
    if failure.status is None:
        reason = f"{failure.reason}; the write may have happened"
    else:
        reason = f"server error {failure.status} after the write was sent; it may have happened"
    return errors.AmbiguousWrite(
        failure.method,
        failure.path,
        body,
        status=failure.status,
        errors=failure.errors,
        reason=reason,
        label=errors.label_of(body),
    )


def response_error(
    response: httpx.Response, method: str, path: str, body: dict[str, Any] | None
) -> errors.ApiError:
    """The typed error for a 4xx/5xx response."""
    status = response.status_code
    objects: list[errors.ErrorObject] = []
    try:
        document = response.json()
    except (ValueError, RecursionError):
        document = None
    if isinstance(document, dict) and isinstance(document.get("errors"), list):
        objects = [errors.ErrorObject.from_json(raw) for raw in document["errors"]]
    return errors.error_class_for(status)(
        method, path, status=status, errors=objects, label=errors.label_of(body)
    )


def response_json(response: httpx.Response, method: str, path: str) -> Any:
    try:
        return response.json()
    except (ValueError, RecursionError):  # RecursionError: JSON nested beyond any use
        raise errors.UnexpectedResponse(
            method, path, status=response.status_code, reason="the response is not JSON"
        ) from None


def decode_response(
    response: httpx.Response, method: str, path: str, decode: Callable[[Any], T]
) -> T:
    document = response_json(response, method, path)
    try:
        return decode(document)
    except (ValueError, ValidationError) as err:
        reason = f"unexpected response shape: {str(err).splitlines()[0]}"
        raise errors.UnexpectedResponse(
            method, path, status=response.status_code, reason=reason
        ) from None
