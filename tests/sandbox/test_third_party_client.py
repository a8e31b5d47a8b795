"""The sandbox from the point of view of an independent JSON:API client.

The client here knows nothing of runform: it validates every response against pydantic
models of JSON:API documents, follows `links.next`, retries 429 and 5xx, and treats any
other 4xx as final. If Cutover's own clients work like this, they work against the sandbox.
"""

from __future__ import annotations

import asyncio
from typing import Any, Literal

import httpx
import pytest
from pydantic import BaseModel, ConfigDict, Field

pytestmark = pytest.mark.anyio


class Identifier(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^\d+$")
    type: str


class Relationship(BaseModel):
    model_config = ConfigDict(extra="forbid")
    data: Identifier | list[Identifier] | None


class ResourceObject(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^\d+$")
    type: str
    attributes: dict[str, Any]
    relationships: dict[str, Relationship]
    links: dict[Literal["self"], str]


class PageMeta(BaseModel):
    number: int = Field(ge=1)
    size: int = Field(ge=1, le=100)
    limit: int
    offset: int = Field(ge=0)
    total: int = Field(ge=0)


class ListMeta(BaseModel):
    page: PageMeta


class ListLinks(BaseModel):
    model_config = ConfigDict(extra="forbid")
    self: str
    first: str | None = None
    last: str | None = None
    prev: str | None = None
    next: str | None = None


class ListDocument(BaseModel):
    data: list[ResourceObject]
    links: ListLinks
    meta: ListMeta


class SingleDocument(BaseModel):
    data: ResourceObject


class ErrorSource(BaseModel):
    model_config = ConfigDict(extra="forbid")
    pointer: str | None = None
    parameter: str | None = None


class ErrorItem(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: str
    title: str
    detail: str
    code: str
    source: ErrorSource | None = None


class ErrorDocument(BaseModel):
    errors: list[ErrorItem] = Field(min_length=1)


class FinalError(Exception):
    """A 4xx other than 429: retrying would not help."""

    def __init__(self, status: int, document: ErrorDocument) -> None:
        super().__init__(f"{status}: {document.errors[0].code}")
        self.status = status
        self.document = document


class IndependentClient:
    """A minimal Cutover API client written only from the JSON:API contract."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http
        self.retries = 0
        self.seen: list[int] = []

    async def request(self, method: str, url: str, **kwargs: Any) -> dict | None:
        for _ in range(50):
            response = await self.http.request(method, url, **kwargs)
            self.seen.append(response.status_code)
            if response.status_code == 429 or response.status_code >= 500:
                ErrorDocument.model_validate(response.json())
                self.retries += 1
                await asyncio.sleep(0)
                continue
            if response.status_code >= 400:
                raise FinalError(
                    response.status_code, ErrorDocument.model_validate(response.json())
                )
            if response.status_code == 204:
                return None
            return response.json()
        raise AssertionError("gave up retrying")

    async def list(self, path: str, params: dict | None = None) -> list[ResourceObject]:
        items: list[ResourceObject] = []
        url: str | None = path
        while url is not None:
            document = ListDocument.model_validate(await self.request("GET", url, params=params))
            params = None
            items.extend(document.data)
            url = document.links.next
        return items

    async def get(self, path: str) -> ResourceObject:
        return SingleDocument.model_validate(await self.request("GET", path)).data

    async def create(self, path: str, body: dict) -> ResourceObject:
        return SingleDocument.model_validate(await self.request("POST", path, json=body)).data


@pytest.fixture
async def independent(any_sandbox):
    headers = {"Authorization": f"Bearer {any_sandbox.token}", "Api-Version": "2022-02-22"}
    async with httpx.AsyncClient(
        base_url=any_sandbox.base_url, headers=headers, transport=any_sandbox.transport
    ) as http:
        yield any_sandbox, IndependentClient(http)


async def test_every_list_validates_and_pages_through(independent):
    _, client = independent
    await client.create(
        "/core/runbooks/1/comments",
        {"data": {"type": "comment", "attributes": {"content": "Reviewed"}}},
    )
    paths = [
        "/core/workspaces",
        "/core/workspaces/default/folders",
        "/core/runbook_types",
        "/core/task_types",
        "/core/teams",
        "/core/users",
        "/core/custom_fields",
        "/core/runbooks",
        "/core/runbooks/1/streams",
        "/core/runbooks/1/runbook_teams",
        "/core/runbooks/1/comments",
    ]
    for path in paths:
        items = await client.list(path, {"page[size]": 2})
        assert items, path
        for item in items:
            assert (await client.get(item.links["self"])) == item
    tasks = await client.list("/core/runbooks/1/tasks", {"page[size]": 5})
    assert [t.attributes["internal_id"] for t in tasks] == list(range(1, 13))


async def test_copy_template_despite_throttling_and_errors(independent):
    handle, client = independent
    handle.faults.throttle_rate = 0.3
    handle.faults.error_rate = 0.2
    handle.faults.seed = 5
    copy = await client.create(
        "/core/runbooks",
        {
            "data": {"type": "runbook", "attributes": {"name": "Release 7"}},
            "meta": {"copy": {"source_runbook_id": "1", "tasks": True, "teams": True}},
        },
    )
    tasks = await client.list(f"/core/runbooks/{copy.id}/tasks", {"page[size]": 4})
    assert client.retries > 0
    assert {429} <= set(client.seen)
    assert len(tasks) == 12
    assert all(
        t.relationships["source_runbook"].data == Identifier(id="1", type="runbook") for t in tasks
    )


async def test_4xx_is_final_and_well_formed(independent):
    _, client = independent
    with pytest.raises(FinalError) as missing:
        await client.get("/core/runbooks/999")
    with pytest.raises(FinalError) as invalid:
        await client.create("/core/runbooks", {"data": {"type": "runbook", "attributes": {}}})
    assert missing.value.status == 404
    assert invalid.value.status == 422
    assert invalid.value.document.errors[0].source == ErrorSource(pointer="/data/attributes/name")
    assert client.seen == [404, 422]
