"""List documents, with the shapes of pagination links and counts Cutover may send.

Cutover's lists are not all alike (Round 2 of the API notes, Pagination): `links.next` may
be absolute on another host than the one called (shared production answers with
`api.cutover.com` links), relative without a leading slash (`core/runbooks?...`), and
`meta.page.total` and `links.last` may be null, with only `meta.page.number` always there.
A `PagingStyle` makes the sandbox answer in one of those shapes, so a client is tested
against each of them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urlencode, urlsplit

from runform.providers.cutover.sandbox.jsonapi import Page

T = TypeVar("T")


@dataclass(frozen=True)
class PagingStyle:
    """How list answers write their links and counts (the default: absolute, with totals)."""

    links_host: str | None = None  # write absolute links on this host instead of the called one
    relative_links: bool = False  # write links as `core/...`, relative to the base URL
    page_totals: bool = True  # False: `meta.page.total` and `links.last` are null

    def __post_init__(self) -> None:
        if self.links_host is not None:
            host = urlsplit(f"//{self.links_host}")
            if not host.hostname or host.path or host.query or "@" in self.links_host:
                raise ValueError(f"links_host must be a host name (and :port): {self.links_host!r}")
        if self.links_host and self.relative_links:
            raise ValueError("links are either on another host or relative, not both")

    def link(self, base_url: str, path: str, params: Mapping[str, object]) -> str:
        """The link to `path` with `params`, in this style."""
        target = f"{path}?{urlencode(dict(params))}" if params else path
        if self.relative_links:
            return target.lstrip("/")
        if self.links_host:
            scheme = urlsplit(base_url).scheme or "https"
            return f"{scheme}://{self.links_host}{target}"
        return f"{base_url}{target}"


def list_document(
    items: Sequence[T],
    render: Callable[[T], dict[str, object]],
    page: Page,
    link: Callable[[Mapping[str, object]], str],
    query: Mapping[str, str],
    *,
    whole: bool = False,
    totals: bool = True,
) -> dict[str, object]:
    """A list document with `links` and `meta.page` for `page` of `items`.

    `whole` renders every item whatever the page (forecast answers), yet keeps the links
    and counts of the page asked for, `links.next` included. Only the items shown are
    rendered, so long lists stay cheap.
    """
    shown = [render(item) for item in _shown(items, page, whole)]
    links, meta = _envelope(len(items), page, link, query, totals)
    return {"data": shown, "links": links, "meta": {"page": meta}}


def encoded_list(
    items: Sequence[T],
    encode: Callable[[T], str],
    page: Page,
    link: Callable[[Mapping[str, object]], str],
    query: Mapping[str, str],
    *,
    whole: bool = False,
    totals: bool = True,
) -> str:
    """`list_document` as compact JSON text, each item given already encoded by `encode`.

    The same characters `json.dumps(list_document(...), separators=(",", ":"))` writes, for
    items `encode` writes as that call would: lists whose items are kept encoded between
    requests (`resources.task_bodies`) are answered without rendering them again.
    """
    shown = ",".join([encode(item) for item in _shown(items, page, whole)])
    links, meta = _envelope(len(items), page, link, query, totals)
    return f'{{"data":[{shown}],"links":{_compact(links)},"meta":{{"page":{_compact(meta)}}}}}'


def _compact(value: object) -> str:
    return json.dumps(value, separators=(",", ":"))


def _shown(items: Sequence[T], page: Page, whole: bool) -> Sequence[T]:
    return items if whole else items[page.offset : page.offset + page.size]


def _envelope(
    total: int,
    page: Page,
    link: Callable[[Mapping[str, object]], str],
    query: Mapping[str, str],
    totals: bool,
) -> tuple[dict[str, str | None], dict[str, object]]:
    """The `links` and `meta.page` of `page` in a list of `total` items."""
    base = {key: value for key, value in query.items() if not key.startswith("page[")}

    def to(offset: int) -> str:
        if page.offset_style:
            params = {**base, "page[limit]": page.size, "page[offset]": offset}
        else:
            params = {**base, "page[number]": offset // page.size + 1, "page[size]": page.size}
        return link(params)

    last_offset = max(total - 1, 0) // page.size * page.size
    links: dict[str, str | None] = {"self": to(page.offset), "first": to(0)}
    links["last"] = to(last_offset) if totals else None
    if page.offset > 0:
        links["prev"] = to(max(page.offset - page.size, 0))
    if page.offset + page.size < total:
        links["next"] = to(page.offset + page.size)
    elif not totals:
        links["next"] = None  # the sparse shape writes the end of the list as a null
    meta: dict[str, object] = {"number": page.number}
    if totals:
        meta.update(size=page.size, limit=page.size, offset=page.offset, total=total)
    else:
        meta["total"] = None
    return links, meta
