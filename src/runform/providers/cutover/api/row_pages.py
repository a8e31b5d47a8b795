"""A list read whole whose rows are decoded only when they are asked for.

Paging needs each page's links and the ids of its resources (a page that brings nothing new
ends the list), not the rows themselves. So a list of rows (`CutoverClient.list_rows`) is read
with only those decoded, each body kept with its SHA-256; `RowPages.rows()` decodes the rows
from the kept bodies, in the order the pages were read and each resource once, exactly as
decoding every page on arrival would. A plan that takes a runbook's kept plan (`plan.kept`,
found by the bodies' digest) never decodes its task rows, which are most of a plan's decoding.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic

from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError

from runform.providers.cutover.api import errors
from runform.providers.cutover.api.pagination import unique_resources
from runform.providers.cutover.api.records import Page, R, page_of, rows_decoder


class Ident(BaseModel):
    """A resource's type and id: what paging reads of a row before the row is wanted."""

    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)

    id: str
    type: str


class _IdentsDocument(BaseModel):
    model_config = ConfigDict(extra="ignore")

    data: list[Ident]
    links: Any = None
    meta: Any = None


_IDENTS = TypeAdapter(_IdentsDocument)


@dataclass(frozen=True)
class Body:
    """One page's answer as it came: where it was asked for, its status and its bytes."""

    target: str
    status: int
    content: bytes


def decoded(
    target: str, status: int, content: bytes, decode: Callable[[bytes], Page[R]]
) -> Page[R]:
    """`decode(content)`, or the UnexpectedResponse that names what is wrong with the body."""
    try:
        return decode(content)
    except ValidationError as err:
        problem = err.errors()[0]
        if problem["type"] == "json_invalid":
            reason = "the response is not JSON"
        else:
            where = ".".join(str(part) for part in problem["loc"]) or "the body"
            reason = f"unexpected response shape: {where}: {problem['msg']}"
    except ValueError as err:  # a pagination link runform will not follow (`records._link`)
        reason = f"unexpected response shape: {err}"
    raise errors.UnexpectedResponse("GET", target, status=status, reason=reason) from None


def ident_page(body: Body) -> Page[Ident]:
    """A page with its resources' idents only, the body kept for `RowPages.rows`."""

    def decode(content: bytes) -> Page[Ident]:
        document = _IDENTS.validate_json(content)
        return page_of(document.data, document.links, document.meta)

    page = decoded(body.target, body.status, body.content, decode)
    page.body = body
    return page


class RowPages(Generic[R]):
    """The pages of one list as read (see the module); `digest` stands for all their bodies."""

    def __init__(self, row: type[R], pages: list[Page[Ident]]) -> None:
        self._row = row
        self._bodies: list[Body] = [page.body for page in pages if page.body is not None]
        digest = hashlib.sha256()
        for body in self._bodies:  # each body's own digest (about 0.1 ms for 100 tasks)
            digest.update(hashlib.sha256(body.content).digest())
        self.digest = digest.digest()
        self._rows: list[R] | None = None

    @property
    def decoded(self) -> bool:
        """Whether the rows have been decoded (a kept plan's runbook never needs them)."""
        return self._rows is not None

    def rows(self) -> list[R]:
        """Every row, decoded once: pages in the order read, each resource the first time."""
        if self._rows is None:
            decode = rows_decoder(self._row)
            pages = (decoded(b.target, b.status, b.content, decode) for b in self._bodies)
            self._rows = unique_resources(pages)
        return self._rows
