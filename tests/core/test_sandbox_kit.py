"""The sandbox kit's SQLite documents: by kind, scope and key, in the order they were made."""

from __future__ import annotations

from pathlib import Path

from runform.core.sandbox_kit.documents import Documents


def test_documents_keep_their_order_when_replaced(tmp_path: Path) -> None:
    store = Documents(str(tmp_path / "docs.sqlite3"))
    assert store.is_empty()
    for key in ("b", "a", "c"):
        store.put("team", "acme", key, {"key": key, "v": 1})
    store.put("team", "acme", "b", {"key": "b", "v": 2})
    assert [(d["key"], d["v"]) for d in store.all("team", "acme")] == [("b", 2), ("a", 1), ("c", 1)]
    assert store.get("team", "other", "b") is None and store.all("role", "acme") == []


def test_a_scope_is_deleted_with_the_scopes_under_it(tmp_path: Path) -> None:
    store = Documents(str(tmp_path / "docs.sqlite3"))
    store.put("project", "acme", "p", {})
    store.put("environment", "acme/p", "e", {})
    store.put("environment", "acme/p2", "e", {})
    store.delete_scope("acme/p")
    assert store.all("environment", "acme/p") == []
    assert store.all("environment", "acme/p2") == [{}]
    assert store.delete("project", "acme", "p") and not store.delete("project", "acme", "p")


def test_two_stores_on_one_file_share_documents_and_ids(tmp_path: Path) -> None:
    one, two = Documents(str(tmp_path / "d.sqlite3")), Documents(str(tmp_path / "d.sqlite3"))
    one.put("team", "acme", "t", {"name": "T"})
    assert two.get("team", "acme", "t") == {"name": "T"}
    assert [one.next_id(), two.next_id(), one.next_id()] == [1, 2, 3]
