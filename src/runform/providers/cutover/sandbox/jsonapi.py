"""JSON:API documents: resource objects, error objects, pagination of lists."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from starlette.responses import Response

MEDIA_TYPE = "application/vnd.api+json"
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100

TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


@dataclass
class ErrorObject:
    """One entry of an `errors` document."""

    status: int
    detail: str
    code: str | None  # None where the reference's table has no code (a 405)
    pointer: str | None = None
    parameter: str | None = None

    def as_json(self) -> dict[str, object]:
        error: dict[str, object] = {
            "status": str(self.status),
            "title": TITLES.get(self.status, "Error"),
            "detail": self.detail,
        }
        if self.code is not None:
            error["code"] = self.code
        if self.pointer is not None:
            error["source"] = {"pointer": self.pointer}
        elif self.parameter is not None:
            error["source"] = {"parameter": self.parameter}
        return error


@dataclass
class ApiFailure(Exception):
    """Raised by a handler to answer with an error document."""

    status: int
    errors: list[ErrorObject] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def one(
        cls,
        status: int,
        detail: str,
        code: str | None,
        *,
        pointer: str | None = None,
        parameter: str | None = None,
    ) -> ApiFailure:
        return cls(status, [ErrorObject(status, detail, code, pointer, parameter)])


def not_found(kind: str, ident: object) -> ApiFailure:
    return ApiFailure.one(404, f"{kind} {ident} not found", "not_found")


def json_response(
    document: object, status: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    body = json.dumps(document, separators=(",", ":")).encode()
    return Response(body, status_code=status, media_type=MEDIA_TYPE, headers=dict(headers or {}))


def encoded_response(body: str, status: int = 200) -> Response:
    """`json_response` for a document already written as compact JSON text."""
    return Response(body.encode(), status_code=status, media_type=MEDIA_TYPE, headers={})


def error_response(failure: ApiFailure) -> Response:
    document = {"errors": [error.as_json() for error in failure.errors]}
    return json_response(document, failure.status, failure.headers)


def ref(kind: str, ident: object | None) -> dict[str, object] | None:
    """A resource identifier object, or None when unset."""
    return None if ident is None else {"id": str(ident), "type": kind}


def refs(kind: str, idents: Sequence[object]) -> list[dict[str, object]]:
    return [{"id": str(ident), "type": kind} for ident in idents]


def resource(
    kind: str,
    ident: object,
    attributes: dict[str, object],
    relationships: Mapping[str, object] | None,
    self_link: str,
) -> dict[str, object]:
    """A resource object; relationship values are identifier objects, lists or None."""
    return {
        "id": str(ident),
        "type": kind,
        "attributes": attributes,
        "relationships": {name: {"data": data} for name, data in (relationships or {}).items()},
        "links": {"self": self_link},
    }


def sparse(document: dict[str, object], wanted: set[str] | None) -> dict[str, object]:
    """Keep only the requested attributes and relationships (`fields[type]=a,b`)."""
    if wanted is None:
        return document
    attributes = document["attributes"]
    relationships = document["relationships"]
    assert isinstance(attributes, dict) and isinstance(relationships, dict)
    return {
        **document,
        "attributes": {key: value for key, value in attributes.items() if key in wanted},
        "relationships": {key: value for key, value in relationships.items() if key in wanted},
    }


@dataclass
class Page:
    """Which slice of a list was asked for, in either paging style."""

    number: int
    size: int
    offset: int
    offset_style: bool

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> Page:
        def integer(name: str, default: int, minimum: int) -> int:
            raw = query.get(name)
            if raw is None or raw == "":
                return default
            try:
                value = int(raw)
            except ValueError:
                raise ApiFailure.one(
                    400, f"{name} must be an integer", "invalid", parameter=name
                ) from None
            if value < minimum:
                raise ApiFailure.one(
                    400, f"{name} must be at least {minimum}", "invalid", parameter=name
                )
            return value

        if "page[limit]" in query or "page[offset]" in query:
            size = min(integer("page[limit]", DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE)
            offset = integer("page[offset]", 0, 0)
            return cls(offset // size + 1, size, offset, True)
        size = min(integer("page[size]", DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE)
        number = integer("page[number]", 1, 1)
        return cls(number, size, (number - 1) * size, False)
