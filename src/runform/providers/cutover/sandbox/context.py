"""What a resource handler sees of one request: store, query, path ids, body, links."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from starlette.responses import Response

from runform.providers.cutover.sandbox import jsonapi
from runform.providers.cutover.sandbox.jsonapi import ApiFailure, ErrorObject, Page
from runform.providers.cutover.sandbox.paging import PagingStyle, encoded_list, list_document
from runform.providers.cutover.sandbox.search import SearchIndex
from runform.providers.cutover.sandbox.store import Record, Store
from runform.providers.cutover.sandbox.validation import as_int

T = TypeVar("T")


@dataclass
class Context:
    """One request, already authenticated and parsed."""

    store: Store
    method: str
    path: str
    base_url: str
    query: dict[str, str]
    path_params: dict[str, str]
    body: dict[str, object]
    search: SearchIndex
    paging: PagingStyle = field(default_factory=PagingStyle)

    def link(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def path_id(self, name: str, kind: str) -> int:
        """A numeric id from the path, or 404."""
        value = as_int(self.path_params.get(name))
        if value is None:
            raise jsonapi.not_found(kind, self.path_params.get(name))
        return value

    def fetch(self, table: str, ident: int | None, kind: str | None = None) -> Record:
        """A live (not archived) record, or 404."""
        record = None if ident is None else self.store.get(table, ident)
        if record is None or record.get("archived"):
            raise jsonapi.not_found(kind or table, ident)
        return record

    def data(self) -> dict[str, object]:
        """The body's `data` object, or 400 when the body has none."""
        data = self.body.get("data")
        if not isinstance(data, dict):
            raise ApiFailure.one(
                400, "the body must have a data object", "invalid", pointer="/data"
            )
        return data

    def attributes(self) -> dict[str, object]:
        attributes = self.data().get("attributes") or {}
        if not isinstance(attributes, dict):
            raise ApiFailure.one(
                400, "attributes must be an object", "invalid", pointer="/data/attributes"
            )
        return attributes

    def relationships(self) -> dict[str, object]:
        relationships = self.data().get("relationships") or {}
        if not isinstance(relationships, dict):
            raise ApiFailure.one(
                400, "relationships must be an object", "invalid", pointer="/data/relationships"
            )
        return relationships

    def meta(self) -> dict[str, object]:
        meta = self.body.get("meta") or {}
        return meta if isinstance(meta, dict) else {}

    def fields(self, kind: str) -> set[str] | None:
        """The sparse fieldset asked for with `fields[kind]`, if any."""
        raw = self.query.get(f"fields[{kind}]")
        if raw is None:
            return None
        return {name.strip() for name in raw.split(",") if name.strip()}

    def flag(self, name: str) -> bool | None:
        """A `true`/`false` query filter, or None when absent."""
        raw = self.query.get(name)
        if raw is None or raw == "":
            return None
        if raw.lower() in ("true", "1"):
            return True
        if raw.lower() in ("false", "0"):
            return False
        raise ApiFailure.one(400, f"{name} must be true or false", "invalid", parameter=name)

    def ids(self, name: str) -> set[int] | None:
        """A comma-separated id filter, or None when absent."""
        raw = self.query.get(name)
        if raw is None or raw == "":
            return None
        return {value for part in raw.split(",") if (value := as_int(part.strip())) is not None}

    def refuse_unknown_parameters(self, known: frozenset[str]) -> None:
        """400 `invalid` for each query parameter a list does not take: ignoring one would
        silently widen the result (a misspelt filter reading as "everything")."""
        unknown = sorted(set(self.query) - known)
        if unknown:
            raise ApiFailure(
                400,
                [
                    ErrorObject(
                        400, f"{name} is not a parameter of this list", "invalid", parameter=name
                    )
                    for name in unknown
                ],
            )

    def listing(
        self,
        items: Sequence[T],
        render: Callable[[T], dict[str, object]],
        *,
        whole: bool = False,
    ) -> Response:
        """A page of `items` (all of them when `whole`), linked in the app's paging style."""
        style = self.paging
        document = list_document(
            items,
            render,
            Page.from_query(self.query),
            lambda params: style.link(self.base_url, self.path, params),
            self.query,
            whole=whole,
            totals=style.page_totals,
        )
        return jsonapi.json_response(document)

    def encoded_listing(
        self, items: Sequence[T], encode: Callable[[T], str], *, whole: bool = False
    ) -> Response:
        """`listing` for items `encode` gives as JSON text already: the same body."""
        style = self.paging
        body = encoded_list(
            items,
            encode,
            Page.from_query(self.query),
            lambda params: style.link(self.base_url, self.path, params),
            self.query,
            whole=whole,
            totals=style.page_totals,
        )
        return jsonapi.encoded_response(body)

    def single(self, document: dict[str, object], status: int = 200) -> Response:
        return jsonapi.json_response({"data": document}, status)


def no_content() -> Response:
    return Response(status_code=204)
