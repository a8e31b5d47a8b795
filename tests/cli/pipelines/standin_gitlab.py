"""A stand-in for the GitLab REST API calls runform's pipeline makes with curl: the notes of
merge requests and the merge requests of a commit, behind a PRIVATE-TOKEN, as GitLab answers.

Bodies come form-encoded (`curl --data-urlencode body@file`), as GitLab accepts them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


@dataclass
class GitLab:
    token: str
    project: str
    notes: dict[int, list[dict]] = field(default_factory=dict)  # merge request iid -> notes
    commit_merge_requests: dict[str, list[int]] = field(default_factory=dict)
    next_id: int = 500

    def app(self) -> Starlette:
        base = "/api/v4/projects/{project}"
        notes = f"{base}/merge_requests/{{iid:int}}/notes"
        return Starlette(
            routes=[
                Route(notes, self._notes, methods=["GET", "POST"]),
                Route(notes + "/{note:int}", self._note, methods=["PUT"]),
                Route(f"{base}/repository/commits/{{sha}}/merge_requests", self._commit),
            ]
        )

    def _refused(self, request: Request) -> JSONResponse | None:
        if request.headers.get("private-token") != self.token:
            return JSONResponse({"message": "401 Unauthorized"}, status_code=401)
        if request.path_params["project"] != self.project:
            return JSONResponse({"message": "404 Project Not Found"}, status_code=404)
        return None

    async def _body(self, request: Request) -> str | None:
        values = parse_qs((await request.body()).decode())
        return values["body"][0] if values.get("body") else None

    async def _notes(self, request: Request) -> JSONResponse:
        if (refused := self._refused(request)) is not None:
            return refused
        notes = self.notes.setdefault(request.path_params["iid"], [])
        if request.method == "GET":
            return JSONResponse(notes)
        body = await self._body(request)
        if body is None:
            return JSONResponse({"error": "body is missing"}, status_code=400)
        self.next_id += 1
        note = {"id": self.next_id, "body": body, "author": {"username": "project_bot"}}
        notes.append(note)
        return JSONResponse(note, status_code=201)

    async def _note(self, request: Request) -> JSONResponse:
        if (refused := self._refused(request)) is not None:
            return refused
        for note in self.notes.get(request.path_params["iid"], []):
            if note["id"] == request.path_params["note"]:
                body = await self._body(request)
                if body is None:
                    return JSONResponse({"error": "body is missing"}, status_code=400)
                note["body"] = body
                return JSONResponse(note)
        return JSONResponse({"message": "404 Not found"}, status_code=404)

    async def _commit(self, request: Request) -> JSONResponse:
        if (refused := self._refused(request)) is not None:
            return refused
        found = self.commit_merge_requests.get(request.path_params["sha"], [])
        return JSONResponse([{"iid": iid, "state": "merged"} for iid in found])
