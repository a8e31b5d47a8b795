"""JSON:API documents as small pydantic records: tolerant of fields we do not use."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Generic, Protocol, TypeVar
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator

from runform.text.safe import shown


class Ref(BaseModel):
    """A resource identifier: what a relationship points at."""

    # Some ids come back as integers (task_links); ids are opaque text to runform.
    model_config = ConfigDict(frozen=True, extra="ignore", coerce_numbers_to_str=True)

    id: str
    type: str


class Resource(BaseModel):
    """One JSON:API resource object with relationships flattened to refs."""

    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)

    id: str
    type: str
    attributes: dict[str, Any] = Field(default_factory=dict)
    relationships: dict[str, Ref | list[Ref] | None] = Field(default_factory=dict)
    meta: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _tidy(cls, value: Any) -> Any:
        """Nulls as empty, and `{"stream": {"data": {...}, "links": ...}}` -> `{"stream": {...}}`.

        One Python step per resource (the rest is pydantic's own): a plan decodes thousands.
        """
        if not isinstance(value, dict):
            return value
        tidy = dict(value)
        for name in ("attributes", "meta", "relationships"):
            if name in tidy and tidy[name] is None:
                tidy[name] = {}
        relationships = tidy.get("relationships")
        if isinstance(relationships, dict):
            tidy["relationships"] = {
                name: rel.get("data")
                if isinstance(rel, dict) and ("data" in rel or "links" in rel or "meta" in rel)
                else rel
                for name, rel in relationships.items()
            }
        return tidy

    def rel_id(self, name: str) -> str | None:
        """The id a to-one relationship points at (None when empty or absent)."""
        value = self.relationships.get(name)
        if isinstance(value, Ref):
            return value.id
        if isinstance(value, list) and len(value) == 1:
            return value[0].id
        return None

    def rel_ids(self, name: str) -> list[str]:
        """The ids a relationship points at, as a list (empty when absent)."""
        value = self.relationships.get(name)
        if value is None:
            return []
        if isinstance(value, Ref):
            return [value.id]
        return [ref.id for ref in value]


class Row(Protocol):
    """What pagination needs of a listed resource: its type and id (each kept once)."""

    @property
    def type(self) -> str: ...

    @property
    def id(self) -> str: ...


R = TypeVar("R", bound=Row)
D = TypeVar("D")  # a document's resource model (pydantic builds no schema for a Protocol)


@dataclass
class Page(Generic[R]):
    """One page of a list response: its resources and where the next page is."""

    resources: list[R]
    next_link: str | None = None
    last_link: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    body: Any = None  # the answer itself, kept to decode its rows later (`row_pages.Body`)

    @property
    def page_meta(self) -> dict[str, Any]:
        """`meta.page`, or an empty dict when the server sent none."""
        page = self.meta.get("page")
        return page if isinstance(page, dict) else {}


def decode_resource(document: Any) -> Resource:
    """The single resource of a `{"data": {...}}` document."""
    if not isinstance(document, dict) or not isinstance(document.get("data"), dict):
        raise ValueError("expected a document with a single resource under `data`")
    return Resource.model_validate(document["data"])


_RESOURCES = TypeAdapter(list[Resource])  # a page's resources in one validation call


def decode_page(document: Any) -> Page[Resource]:
    """A list document `{"data": [...], "links": {...}, "meta": {...}}`."""
    if not isinstance(document, dict) or not isinstance(document.get("data"), list):
        raise ValueError("expected a document with a list under `data`")
    return _page(_RESOURCES.validate_python(document["data"]), document)


class _RowsDocument(BaseModel, Generic[D]):
    """A list document whose resources have a typed shape of their own (`rows_decoder`)."""

    model_config = ConfigDict(extra="ignore")

    data: list[D]
    links: Any = None
    meta: Any = None


@cache
def rows_decoder(row: type[R]) -> Callable[[bytes], Page[R]]:
    """Decode a list response's raw body straight into `row` models, in one pass.

    pydantic parses the JSON itself and builds only the fields `row` declares: a page of whole
    tasks carries about twice the attributes a plan reads, never turned into Python objects.
    A body that is not JSON, or not this shape, raises pydantic's ValidationError."""
    adapter = TypeAdapter(_RowsDocument[row])  # type: ignore[valid-type]

    def decode(content: bytes) -> Page[R]:
        document = adapter.validate_json(content)
        return page_of(document.data, document.links, document.meta)

    return decode


def page_of(resources: list[R], links: Any, meta: Any) -> Page[R]:
    """A page of `resources`, its links checked (`_link`) and its meta kept if it is a map."""
    return _page(resources, {"links": links, "meta": meta})


def _page(resources: list[R], document: dict[str, Any]) -> Page[R]:
    links = document.get("links")
    meta = document.get("meta")
    if not isinstance(links, dict):
        links = {}
    if not isinstance(meta, dict):
        meta = {}
    return Page(
        resources=resources,
        next_link=_link(links, "next"),
        last_link=_link(links, "last"),
        meta=meta,
    )


def _link(links: dict[str, Any], name: str) -> str | None:
    """A pagination link the client can follow, checked here: a server's answer is untrusted."""
    link = links.get(name) or None
    if link is None:
        return None
    if not isinstance(link, str):
        raise ValueError(f"links.{name} is not a URL (got {type(link).__name__})")
    try:
        # Only its path and query are ever sent (`links.follow_link`), so the check is what
        # httpx would refuse when building that request: a bad host, port or character, or a
        # URL beyond its length limit. httpx.URL itself costs about 0.3 ms a link.
        urlsplit(link).port  # noqa: B018 - parsing the port is what refuses a bad one
        if len(link) > MAX_LINK_LENGTH or not link.isprintable():
            raise ValueError(link)
    except ValueError:
        raise ValueError(f"links.{name} is not a valid URL: {shown(link, 80)}") from None
    return link


MAX_LINK_LENGTH = 65_536  # httpx's own limit on a URL's length


RelationshipInput = Ref | Resource | list[Ref] | dict[str, Any] | list[dict[str, Any]] | None


def encode_ref(value: Any) -> Any:
    """A relationship value as JSON:API linkage (refs, resources, dicts and lists of them)."""
    if value is None:
        return None
    if isinstance(value, Ref | Resource):
        return {"type": value.type, "id": value.id}
    if isinstance(value, list):
        return [encode_ref(item) for item in value]
    if isinstance(value, dict):
        return {"type": value["type"], "id": str(value["id"])}
    raise TypeError(f"cannot encode {type(value).__name__} as a relationship")


def encode_document(
    type: str,
    attributes: dict[str, Any] | None = None,
    relationships: dict[str, RelationshipInput] | None = None,
    meta: dict[str, Any] | None = None,
    id: str | None = None,
) -> dict[str, Any]:
    """The JSON:API request body for a create or update."""
    data: dict[str, Any] = {"type": type}
    if id is not None:
        data["id"] = id
    if attributes:
        data["attributes"] = attributes
    if relationships:
        data["relationships"] = {
            name: value
            if isinstance(value, dict) and "data" in value
            else {"data": encode_ref(value)}
            for name, value in relationships.items()
        }
    document: dict[str, Any] = {"data": data}
    if meta:
        document["meta"] = meta
    return document
