"""SQLite storage for the sandbox: one table per resource type, a JSON document per row.

SQLite is the truth; an in-memory copy of every row makes reads cheap. The copy is
dropped when another connection commits to the same file (`PRAGMA data_version`) or when
a transaction fails, so two processes sharing one database stay correct.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

TABLES = (
    "workspace",
    "folder",
    "runbook_type",
    "task_type",
    "team",
    "user",
    "custom_field",
    "runbook",
    "runbook_team",
    "stream",
    "task",
    "comment",
    "action_log",
)

# Rows that belong to one runbook are read the first time that runbook is touched, so
# opening a large database stays fast.
PER_RUNBOOK = ("stream", "task", "runbook_team", "comment")
# Rows only ever appended and read back in bulk (the audit trail): never held in memory, and
# writing one changes no runbook's revision, so cached schedules and counts stay valid.
APPEND_ONLY = ("action_log",)

Record = dict[str, Any]


class Store:
    """Rows by table and id, with a per-runbook index; callers treat records as read-only."""

    def __init__(self, path: str = ":memory:") -> None:
        self.path = path
        self.lock = threading.RLock()
        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        if path != ":memory:":
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
        for table in TABLES:
            self._conn.execute(
                f'CREATE TABLE IF NOT EXISTS "{table}" (id INTEGER PRIMARY KEY AUTOINCREMENT,'
                " runbook_id INTEGER, doc TEXT NOT NULL)"
            )
            self._conn.execute(
                f'CREATE INDEX IF NOT EXISTS "{table}_runbook" ON "{table}" (runbook_id)'
            )
        self._rows: dict[str, dict[int, Record]] = {}
        self._by_runbook: dict[str, dict[int, dict[int, Record]]] = {}
        self._data_version = -1
        self._last_time = datetime.now(UTC)
        self.revisions: dict[int, int] = {}
        self.memo: dict[object, Any] = {}
        # Counts writes to the tables outside runbooks (workspaces, teams, custom fields...):
        # with a runbook's revision it dates what reads both (a task's custom field names).
        self.directory_revision = 0
        self._load()

    def _load(self) -> None:
        """Read the directory and runbooks into memory; runbook contents come on demand."""
        self._rows = {table: {} for table in TABLES}
        self._by_runbook = {table: {} for table in TABLES}
        self._loaded: set[int] = set()
        for table in TABLES:
            if table not in PER_RUNBOOK and table not in APPEND_ONLY:
                self._read(table, f'SELECT id, doc FROM "{table}"', ())
        self._data_version = self._current_data_version()
        self.revisions = {}
        self.memo = {}

    def _read(self, table: str, sql: str, args: tuple[object, ...]) -> None:
        rows = self._conn.execute(sql, args).fetchall()
        if not rows:
            return
        # One decode for all rows: per call, json.loads costs about a third as much again as
        # the parsing itself for documents this small.
        records = json.loads("[" + ",".join(doc for _, doc in rows) + "]")
        for (row_id, _doc), record in zip(rows, records, strict=True):
            record["id"] = row_id
            self._remember(table, record)

    def _ensure(self, runbook_id: int) -> None:
        """Read a runbook's streams, tasks, teams and comments if not yet in memory."""
        if runbook_id in self._loaded:
            return
        self._loaded.add(runbook_id)
        for table in PER_RUNBOOK:
            self._read(table, f'SELECT id, doc FROM "{table}" WHERE runbook_id = ?', (runbook_id,))

    def _current_data_version(self) -> int:
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def refresh(self) -> None:
        """Reload when another connection has committed since our last look."""
        if self.path != ":memory:" and self._current_data_version() != self._data_version:
            self._load()

    def _remember(self, table: str, record: Record) -> None:
        self._rows[table][record["id"]] = record
        runbook_id = record.get("runbook_id")
        if runbook_id is not None:
            self._by_runbook[table].setdefault(runbook_id, {})[record["id"]] = record

    def _forget(self, table: str, record: Record) -> None:
        self._rows[table].pop(record["id"], None)
        runbook_id = record.get("runbook_id")
        if runbook_id is not None:
            self._by_runbook[table].get(runbook_id, {}).pop(record["id"], None)

    def _touch(self, table: str, record: Record) -> None:
        runbook_id = record["id"] if table == "runbook" else record.get("runbook_id")
        if isinstance(runbook_id, int):
            self.revisions[runbook_id] = self.revisions.get(runbook_id, 0) + 1
        else:
            self.directory_revision += 1

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Commit all writes made inside, or none of them (and forget the cached copy)."""
        self._conn.execute("BEGIN")
        try:
            yield
        except BaseException:
            self._conn.execute("ROLLBACK")
            self._load()
            raise
        self._conn.execute("COMMIT")
        # No need to re-read data_version: a connection's own commits do not change it, and
        # re-reading it here would hide a commit another process made meanwhile.

    def now(self) -> str:
        """A UTC timestamp, strictly later than the previous one handed out."""
        moment = max(datetime.now(UTC), self._last_time + timedelta(microseconds=1))
        self._last_time = moment
        return moment.isoformat(timespec="microseconds").replace("+00:00", "Z")

    def get(self, table: str, record_id: int) -> Record | None:
        record = self._rows[table].get(record_id)
        if record is None and table in PER_RUNBOOK:
            row = self._conn.execute(
                f'SELECT runbook_id FROM "{table}" WHERE id = ?', (record_id,)
            ).fetchone()
            if row is not None and row[0] is not None:
                self._ensure(row[0])
                record = self._rows[table].get(record_id)
        return record

    def all(self, table: str) -> list[Record]:
        """Every row of a directory table (runbook contents are reached by runbook)."""
        assert table not in PER_RUNBOOK, table
        return list(self._rows[table].values())

    def of_runbook(self, table: str, runbook_id: int) -> list[Record]:
        self._ensure(runbook_id)
        return list(self._by_runbook[table].get(runbook_id, {}).values())

    def insert(self, table: str, record: Record) -> Record:
        """Store a new record (without id) and return it with its id."""
        record = {key: value for key, value in record.items() if key != "id"}
        if table in PER_RUNBOOK:
            self._ensure(record["runbook_id"])
        cursor = self._conn.execute(
            f'INSERT INTO "{table}" (runbook_id, doc) VALUES (?, ?)',
            (record.get("runbook_id"), json.dumps(record)),
        )
        record["id"] = cursor.lastrowid
        if table in APPEND_ONLY:
            return record
        if table == "runbook":
            self._loaded.add(record["id"])
        self._remember(table, record)
        self._touch(table, record)
        return record

    def update(self, table: str, record_id: int, changes: Record) -> Record:
        """Replace some fields of a record and return the new record."""
        old = self.get(table, record_id)
        if old is None:
            raise KeyError(f"{table} {record_id}")
        record = {**old, **changes, "id": record_id}
        doc = {key: value for key, value in record.items() if key != "id"}
        self._conn.execute(
            f'UPDATE "{table}" SET runbook_id = ?, doc = ? WHERE id = ?',
            (record.get("runbook_id"), json.dumps(doc), record_id),
        )
        self._forget(table, old)
        self._remember(table, record)
        self._touch(table, record)
        return record

    def delete(self, table: str, record_id: int) -> None:
        record = self.get(table, record_id)
        if record is None:
            return
        self._conn.execute(f'DELETE FROM "{table}" WHERE id = ?', (record_id,))
        self._forget(table, record)
        self._touch(table, record)

    def appended(self, table: str, runbook_id: int | None = None) -> list[Record]:
        """The rows of an append-only table in insertion order (of one runbook if given)."""
        assert table in APPEND_ONLY, table
        sql = f'SELECT id, doc FROM "{table}"'
        args: tuple[object, ...] = ()
        if runbook_id is not None:
            sql, args = f"{sql} WHERE runbook_id = ?", (runbook_id,)
        rows = self._conn.execute(f"{sql} ORDER BY id", args).fetchall()
        return [{**json.loads(doc), "id": row_id} for row_id, doc in rows]

    def is_empty(self) -> bool:
        return not self._rows["workspace"]

    def close(self) -> None:
        self._conn.close()
