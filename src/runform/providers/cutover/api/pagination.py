"""Reading every page of a list: follow links.next, or fetch known pages concurrently."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable, Coroutine, Iterable
from typing import Any, Generic
from urllib.parse import parse_qs, urlsplit

import httpx

from runform.providers.cutover.api.records import Page, R

MAX_PAGE_SIZE = 100
PAGE_NUMBER = "page[number]"
PAGE_SIZE = "page[size]"

# A coroutine function, not any awaitable: concurrent pages are run as tasks.
FetchPage = Callable[[str, dict[str, Any] | None], Coroutine[Any, Any, Page[R]]]


class Listed(list[R]):
    """A whole list's resources, and the pages they came from in the order they were taken
    (`row_pages.RowPages` decodes rows from those pages' bodies)."""

    pages: list[Page[R]]


def _int(value: Any) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number >= 0 else None


def page_number_of(link: str | None) -> int | None:
    """The `page[number]` a link asks for, if it says."""
    if not link:
        return None
    # The standard library's parser: httpx.URL costs about 0.1 ms per (long) link.
    values = parse_qs(urlsplit(link).query, keep_blank_values=True).get(PAGE_NUMBER)
    return _int(values[0]) if values else None


def last_page_number(first: Page[Any], requested_size: int) -> int | None:
    """How many pages the list has, from `links.last` or `meta.page.total` (None if unsure)."""
    from_link = page_number_of(first.last_link)
    if from_link:
        return from_link
    meta = first.page_meta
    total = _int(meta.get("total"))
    size = _int(meta.get("limit")) or _int(meta.get("size")) or requested_size
    if total is None or not size:
        return None
    return max(1, math.ceil(total / size))


async def fetch_all(
    fetch_page: FetchPage[R],
    path: str,
    params: dict[str, Any] | None,
    page_size: int | None = None,
    *,
    concurrent: bool = True,
    follow: Callable[[str], str] | None = None,
) -> Listed[R]:
    """Every resource of a list, reading each page exactly once.

    The first page tells how many there are (links.last or meta.page.total); the rest are
    then fetched concurrently. Whatever the count did not foresee (a list that grew, a server
    that counts differently or not at all) is read by following links.next from the last
    page fetched until it is null. `follow` turns a link into the path that is requested, so
    two spellings of one page (another host, relative) count as one.

    Never a loop: a link to a page already read (by path or `page[number]`), or a page that
    brings nothing new (a repeat), ends the list; a resource listed twice is kept once.
    """
    target_of = follow or _same
    size = min(page_size or MAX_PAGE_SIZE, MAX_PAGE_SIZE)
    first_params = dict(params or {})
    first_params.setdefault(PAGE_SIZE, size)
    first_params.setdefault(PAGE_NUMBER, 1)
    page = await fetch_page(path, first_params)
    found: _Found[R] = _Found()
    found.add(page)
    fetched = {_int(page.page_meta.get("number")) or 1}
    seen_targets: set[str] = set()

    next_number = page_number_of(page.next_link)
    last = last_page_number(page, size)
    if concurrent and page.next_link and next_number and last and last >= next_number:
        template = httpx.URL(target_of(page.next_link))
        numbers = range(next_number, last + 1)
        targets = [str(template.copy_set_param(PAGE_NUMBER, n)) for n in numbers]
        pages = await _fetch_together(fetch_page, targets)
        for later in pages:
            found.add(later)
        seen_targets.update(targets)
        fetched.update(numbers)
        page = pages[-1]

    while page.next_link:
        target = target_of(page.next_link)
        number = page_number_of(target)
        if target in seen_targets or (number is not None and number in fetched):
            break  # a link back to a page already read: never read a page twice
        seen_targets.add(target)
        if number is not None:
            fetched.add(number)
        page = await fetch_page(target, None)
        if not found.add(page):
            break  # nothing new: the same page again under another link, not more of the list
    return found.listed()


def unique_resources(pages: Iterable[Page[R]]) -> list[R]:
    """The pages' resources in order, each (type, id) the first time, as `fetch_all` keeps
    them (`row_pages.RowPages` decodes kept pages again)."""
    found: _Found[R] = _Found()
    for page in pages:
        found.add(page)
    return found.resources


def _same(link: str) -> str:
    return link


class _Found(Generic[R]):
    """The resources read so far, in order, each (type, id) once."""

    def __init__(self) -> None:
        self.resources: list[R] = []
        self._keys: set[tuple[str, str]] = set()
        self._pages: list[Page[R]] = []

    def listed(self) -> Listed[R]:
        """The resources, with every page read (`Listed`)."""
        listed = Listed(self.resources)
        listed.pages = self._pages
        return listed

    def add(self, page: Page[R]) -> bool:
        """Keep the page's new resources; False when it brought none."""
        self._pages.append(page)
        new = False
        for resource in page.resources:
            key = (resource.type, resource.id)
            if key not in self._keys:
                self._keys.add(key)
                self.resources.append(resource)
                new = True
        return new


async def _fetch_together(fetch_page: FetchPage[R], links: list[str]) -> list[Page[R]]:
    """Fetch pages concurrently; on failure cancel the rest and raise the first error as is."""
    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(fetch_page(link, None)) for link in links]
    except BaseExceptionGroup as failed:
        first: BaseException = failed
        while isinstance(first, BaseExceptionGroup):
            first = first.exceptions[0]
        raise first from None
    return [task.result() for task in tasks]
