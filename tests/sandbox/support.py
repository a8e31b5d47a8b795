"""Request bodies and small helpers for the sandbox tests."""

from __future__ import annotations

import httpx

TO_ONE_TYPES = {
    "parent": "stream",
    "source_runbook": "runbook",
    "rto_start_task": "task",
    "rto_end_task": "task",
}
# What every runbook start must say (the reference's start body: comms and run_type required).
REHEARSAL = {"run_type": "rehearsal", "comms": "off"}


def document(kind: str, attributes: dict | None = None, **relationships: object) -> dict:
    """A JSON:API body; relationship values are ids, lists of (type, id) or None."""
    rels: dict[str, object] = {}
    for name, value in relationships.items():
        if value is None:
            rels[name] = {"data": None}
        elif isinstance(value, list):
            rels[name] = {"data": [{"type": t, "id": str(i)} for t, i in value]}
        else:
            rels[name] = {"data": {"type": TO_ONE_TYPES.get(name, name), "id": str(value)}}
    return {"data": {"type": kind, "attributes": attributes or {}, "relationships": rels}}


def errors_of(response: httpx.Response) -> list[tuple[str, str | None]]:
    """(code, pointer or parameter) for each error in an error document."""
    return [
        (
            error.get("code"),
            (error.get("source") or {}).get("pointer")
            or (error.get("source") or {}).get("parameter"),
        )
        for error in response.json()["errors"]
    ]


async def create_runbook(client: httpx.AsyncClient, name: str = "Release", **attributes) -> dict:
    relationships = {"workspace": attributes.pop("workspace", "default")}
    for name_ in ("folder", "runbook_type"):
        if name_ in attributes:
            relationships[name_] = attributes.pop(name_)
    response = await client.post(
        "/core/runbooks", json=document("runbook", {"name": name, **attributes}, **relationships)
    )
    assert response.status_code == 201, response.text
    return response.json()["data"]


async def create_stream(
    client: httpx.AsyncClient, runbook_id: str, name: str = "Main", parent: str | None = None
) -> dict:
    body = document("stream", {"name": name}, **({"parent": parent} if parent else {}))
    response = await client.post(f"/core/runbooks/{runbook_id}/streams", json=body)
    assert response.status_code == 201, response.text
    return response.json()["data"]


async def create_task(
    client: httpx.AsyncClient,
    runbook_id: str,
    stream_id: str,
    name: str,
    after: list[str] = (),  # type: ignore[assignment]
    **attributes: object,
) -> dict:
    extra = {}
    if "assignees" in attributes:
        extra["assignees"] = attributes.pop("assignees")
    body = document(
        "task",
        {"name": name, **attributes},
        stream=stream_id,
        predecessors=[("task", i) for i in after],
        **extra,
    )
    response = await client.post(f"/core/runbooks/{runbook_id}/tasks", json=body)
    assert response.status_code == 201, response.text
    return response.json()["data"]


async def all_pages(client: httpx.AsyncClient, path: str, params: dict | None = None) -> list[dict]:
    """Every item of a list, following links.next."""
    items: list[dict] = []
    response = await client.get(path, params=params)
    while True:
        assert response.status_code == 200, response.text
        body = response.json()
        items.extend(body["data"])
        next_link = body["links"].get("next")
        if not next_link:
            return items
        response = await client.get(next_link)


def add_participants(store, runbook_id: str, user_ids: list[int]) -> None:
    """Make users participants of a runbook as a template copy would: through a runbook team
    that brings them (the API has no call that adds a user to a runbook)."""
    team = store.all("team")[0]
    with store.lock, store.transaction():
        store.insert(
            "runbook_team",
            {
                "runbook_id": int(runbook_id),
                "team_id": team["id"],
                "name": team["name"],
                "user_ids": user_ids,
                "created_at": store.now(),
            },
        )
