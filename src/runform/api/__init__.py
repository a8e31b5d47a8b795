"""runform.api: the Cutover client (HTTP, JSON:API, retries, typed errors)."""

from __future__ import annotations

from runform.api.client import CutoverClient
from runform.api.connect import open_client
from runform.api.errors import (
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
from runform.api.records import Page, Ref, Resource
from runform.api.retry import RetryPolicy
from runform.api.settings import ApiSettings
from runform.api.stats import ApiStats

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
