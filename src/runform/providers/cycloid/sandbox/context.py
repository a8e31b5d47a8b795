"""What a handler gets: the store, the organization, the path parameters, query and body; and
the envelopes it answers with (`{data}`, and `{data, pagination}` for a page of a list)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from starlette.responses import JSONResponse, Response

from runform.core.sandbox_kit.documents import Document, Documents
from runform.providers.cycloid.sandbox.errors import ApiError

DEFAULT_PAGE_SIZE = 1000


@dataclass
class Context:
    store: Documents
    organization: str
    params: dict[str, str]
    query: dict[str, list[str]]
    body: dict[str, Any]

    def one(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else None

    def need(self, kind: str, scope: str, key: str, what: str) -> Document:
        """The document, or 404 naming what was not found."""
        found = self.store.get(kind, scope, key)
        if found is None:
            raise ApiError(404, f"the {what} {key!r} was not found")
        return found

    def page(self, items: list[Document]) -> Response:
        """One page of `items` by `page_index` (from 1) and `page_size` (default 1000)."""
        index = self._positive("page_index", 1)
        size = self._positive("page_size", DEFAULT_PAGE_SIZE)
        chunk = items[(index - 1) * size : index * size]
        pagination = {"index": index, "size": size, "total": len(items)}
        return JSONResponse({"data": chunk, "pagination": pagination})

    def _positive(self, name: str, default: int) -> int:
        text = self.one(name)
        if text is None:
            return default
        if not text.isdigit() or int(text) < 1 or int(text) > 2**32 - 1:
            raise ApiError.invalid([f"{name}: must be an unsigned integer of at least 1"])
        return int(text)


def data(document: Document | None, status: int = 200) -> Response:
    if document is None:
        return Response(status_code=204)
    return JSONResponse({"data": document}, status_code=status)


def now_seconds() -> int:
    return int(time.time())
