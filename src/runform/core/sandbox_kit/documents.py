"""SQLite storage of JSON documents by kind, scope and key: the store a small sandbox needs.

Each row is one object: its kind (`team`), the scope it lives in (an organization, or an
organization and a project), its key within that scope and its JSON document. Rows keep their
insertion order (SQLite's rowid), so lists page in a stable order. SQLite is the only copy:
two processes sharing a file see each other's commits.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from typing import Any

Document = dict[str, Any]


class Documents:
    """JSON documents in one SQLite file (or in memory); every call is one statement."""

    def __init__(self, path: str = ":memory:") -> None:
        self.path = path
        self.lock = threading.RLock()
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        if path != ":memory:":
            self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS document (kind TEXT NOT NULL, scope TEXT NOT NULL,"
            " key TEXT NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (kind, scope, key))"
        )
        self._conn.execute("CREATE TABLE IF NOT EXISTS counter (name TEXT PRIMARY KEY, n INT)")

    def is_empty(self) -> bool:
        return self._conn.execute("SELECT 1 FROM document LIMIT 1").fetchone() is None

    def get(self, kind: str, scope: str, key: str) -> Document | None:
        row = self._conn.execute(
            "SELECT doc FROM document WHERE kind = ? AND scope = ? AND key = ?", (kind, scope, key)
        ).fetchone()
        return json.loads(row[0]) if row else None

    def all(self, kind: str, scope: str) -> list[Document]:
        """Every document of `kind` in `scope`, in the order they were made."""
        rows = self._conn.execute(
            "SELECT doc FROM document WHERE kind = ? AND scope = ? ORDER BY rowid", (kind, scope)
        ).fetchall()
        return [json.loads(doc) for (doc,) in rows]

    def put(self, kind: str, scope: str, key: str, doc: Document) -> Document:
        """Insert or replace one document (a replacement keeps its place in the order)."""
        text = json.dumps(doc, sort_keys=True)
        updated = self._conn.execute(
            "UPDATE document SET doc = ? WHERE kind = ? AND scope = ? AND key = ?",
            (text, kind, scope, key),
        ).rowcount
        if not updated:
            self._conn.execute(
                "INSERT INTO document (kind, scope, key, doc) VALUES (?, ?, ?, ?)",
                (kind, scope, key, text),
            )
        return doc

    def delete(self, kind: str, scope: str, key: str) -> bool:
        return bool(
            self._conn.execute(
                "DELETE FROM document WHERE kind = ? AND scope = ? AND key = ?", (kind, scope, key)
            ).rowcount
        )

    def delete_scope(self, scope: str) -> None:
        """Everything inside `scope` and the scopes under it (`scope/...`)."""
        self._conn.execute(
            "DELETE FROM document WHERE scope = ? OR scope LIKE ?", (scope, scope + "/%")
        )

    def next_id(self, name: str = "id") -> int:
        """A number never handed out before from this store."""
        self._conn.execute(
            "INSERT INTO counter (name, n) VALUES (?, 1) ON CONFLICT(name) DO UPDATE SET n = n + 1",
            (name,),
        )
        return int(
            self._conn.execute("SELECT n FROM counter WHERE name = ?", (name,)).fetchone()[0]
        )
