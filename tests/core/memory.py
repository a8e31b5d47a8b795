"""A provider that exists only in the tests: boards of cards, held in memory.

A board is a root with a title and a set of labels; a card lives on a board, names the cards
that block it (a reference, by title) and has an ordered checklist. The store can lose the
answer to a write after making it, as a dropped connection does.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from runform.core.address import Address, parse
from runform.core.compare import Compare
from runform.core.model import Action, Change
from runform.core.resources import Resource, RootState
from runform.core.schema import FieldSpec, ResourceType, Schema
from runform.errors import OutcomeUnknown
from runform.providers.base import BaseProvider, Written

BOARDS = Schema(
    (
        ResourceType(
            "board",
            key="title",
            fields=(FieldSpec("title", Compare.TEXT), FieldSpec("labels", Compare.SET)),
        ),
        ResourceType(
            "card",
            parent="board",
            key="title",
            fields=(
                FieldSpec("title", Compare.TEXT),
                FieldSpec("blocked_by", Compare.SET, references="card"),
                FieldSpec("checklist", Compare.SEQUENCE),
                FieldSpec("note", Compare.TEXT),
            ),
        ),
    )
)


class AnswerLost(OutcomeUnknown):
    def __init__(self, method: str, path: str) -> None:
        super().__init__(f"{method} {path}: the answer was lost")
        self.method, self.path, self.reason = method, path, "the answer was lost"


@dataclass
class Store:
    """The in-memory system: records by id, and the writes whose answers it will lose."""

    boards: dict[str, dict[str, Any]] = field(default_factory=dict)
    cards: dict[str, dict[str, Any]] = field(default_factory=dict)
    lose_answer: set[tuple[str, str]] = field(default_factory=set)  # (method, title)
    writes: list[tuple[str, str]] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def new_id(self) -> str:
        return str(next(self._ids))


def board(title: str, *cards: Resource, labels: tuple[str, ...] = ()) -> RootState:
    return RootState(
        Resource(Address.of("board", title), {"title": title, "labels": list(labels)}), cards
    )


def card(board_title: str, title: str, **values: Any) -> Resource:
    renamed_from = values.pop("renamed_from", None)
    return Resource(
        Address.of("board", board_title).child("card", title),
        {"title": title, **values},
        renamed_from=renamed_from,
    )


class MemoryProvider(BaseProvider):
    name = "memory"
    schema = BOARDS

    def __init__(self, store: Store) -> None:
        self.store = store

    def target(self) -> str:
        return "memory://boards"

    async def read(self, desired: RootState) -> RootState | None:
        found = [b for b in self.store.boards.values() if b["title"] == desired.root.key]
        if not found:
            return None
        record = found[0]
        address = Address.of("board", record["title"])
        cards = [c for c in self.store.cards.values() if c["board"] == record["id"]]
        titles = {c["id"]: c["title"] for c in cards}
        children = tuple(
            Resource(
                address.child("card", c["title"]),
                {
                    "title": c["title"],
                    "blocked_by": sorted(titles[i] for i in c["blocked_by"]),
                    "checklist": list(c["checklist"]),
                    "note": c["note"],
                },
                id=c["id"],
                version=str(c["version"]),
            )
            for c in cards
        )
        values = {"title": record["title"], "labels": list(record["labels"])}
        root = Resource(address, values, id=record["id"], version=str(record["version"]))
        return RootState(root, children)

    async def write(self, change: Change, ids: Mapping[str, str]) -> Written:
        after = change.after or {}
        address = parse(change.address)
        if change.kind == "board":
            table, path = self.store.boards, "/boards"
            values = {"title": after.get("title"), "labels": list(after.get("labels") or [])}
        else:
            table, path = self.store.cards, f"/boards/{ids[str(address.root)]}/cards"
            blockers = [
                ids[str(address.root.child("card", t))] for t in after.get("blocked_by") or []
            ]
            values = {
                "title": after.get("title"),
                "board": ids[str(address.root)],
                "blocked_by": blockers,
                "checklist": list(after.get("checklist") or []),
                "note": after.get("note"),
            }
        if change.action is Action.CREATE:
            object_id = self.store.new_id()
            table[object_id] = {"id": object_id, "version": 1, **values}
            method = "POST"
        else:
            object_id = change.id or ids[change.address]
            path = f"{path}/{object_id}"
            if change.action is Action.DELETE:
                del table[object_id]
                method = "DELETE"
            else:
                record = table[object_id]
                record.update({k: v for k, v in values.items() if k in after or k == "board"})
                record["version"] += 1
                method = "PATCH"
        self.store.writes.append((method, change.name))
        if (method, change.name) in self.store.lose_answer:
            self.store.lose_answer.discard((method, change.name))
            raise AnswerLost(method, path)
        return Written(method, path, object_id)
