"""runform.providers.cutover.api: the Cutover client (HTTP, JSON:API, retries, typed errors)."""

from __future__ import annotations

from runform.core.http.retry import RetryPolicy
from runform.core.http.stats import ApiStats
from runform.providers.cutover.api.client import CutoverClient
from runform.providers.cutover.api.connect import open_client
from runform.providers.cutover.api.errors import (
    AmbiguousWrite,
    ApiError,
    BadRequest,
    EndpointTooNew,
    ErrorObject,
    Forbidden,
    NotFound,
    RateLimited,
    ServerError,
    Unauthorized,
    UnexpectedResponse,
    Unreachable,
    ValidationFailed,
)
from runform.providers.cutover.api.records import Page, Ref, Resource
from runform.providers.cutover.api.settings import ApiSettings

__all__ = [
    "AmbiguousWrite",
    "ApiError",
    "ApiSettings",
    "ApiStats",
    "BadRequest",
    "CutoverClient",
    "EndpointTooNew",
    "ErrorObject",
    "Forbidden",
    "NotFound",
    "Page",
    "RateLimited",
    "Ref",
    "Resource",
    "RetryPolicy",
    "ServerError",
    "Unauthorized",
    "UnexpectedResponse",
    "Unreachable",
    "ValidationFailed",
    "open_client",
]
