"""The search box's history as user data: kept across runs, bounded, exported, never lost by a rebuild."""

from __future__ import annotations

import sqlite3

import pytest

from reader import Library
from reader.bookmarks import BookmarkStore
from reader.bookmarks.history import MAX_HISTORY
from reader.bookmarks.schema import MIGRATIONS


def test_newest_first_and_a_query_run_again_moves_to_the_front(tmp_path):
    with BookmarkStore(tmp_path / "state.sqlite") as store:
        for query in ("trade", "lighthizer", "cloud computing", "trade"):
            store.add_to_search_history(query)
        assert store.search_history() == ["trade", "cloud computing", "lighthizer"]
    with BookmarkStore(tmp_path / "state.sqlite") as store:  # the next run
        assert store.search_history() == ["trade", "cloud computing", "lighthizer"]


def test_the_history_is_bounded_the_oldest_go(tmp_path):
    with BookmarkStore(tmp_path / "state.sqlite") as store:
        for number in range(MAX_HISTORY + 15):
            store.add_to_search_history(f"query {number}")
        history = store.search_history(limit=10_000)
        assert len(history) == MAX_HISTORY
        assert history[0] == f"query {MAX_HISTORY + 14}" and history[-1] == "query 15"


def test_queries_are_stored_clean(tmp_path):
    with BookmarkStore(tmp_path / "state.sqlite") as store:
        assert store.add_to_search_history("  trade\x1b[31m\n talks ") == "trade talks"
        with pytest.raises(ValueError):
            store.add_to_search_history(" \x07 ")
        assert store.search_history() == ["trade talks"]


def test_export_and_import_carry_the_history(tmp_path):
    with BookmarkStore(tmp_path / "a.sqlite") as store:
        for query in ("first", "second", "third"):
            store.add_to_search_history(query)
        document = store.export_document()
    assert [item["query"] for item in document["search_history"]] == ["first", "second", "third"]
    with BookmarkStore(tmp_path / "b.sqlite") as other:
        other.add_to_search_history("second")
        report = other.import_document(document)
        assert report.counts["search_history"] == (2, 1)
        assert set(other.search_history()) == {"first", "second", "third"}
        assert other.search_history()[0] == "second"  # kept its own, later, time
    with BookmarkStore(tmp_path / "c.sqlite") as bad, pytest.raises(ValueError, match="search history item 0"):
        bad.import_document({"format": "reader-user-state", "search_history": [{"query": ""}]})


def test_a_version_6_store_gains_the_history_and_keeps_its_data(tmp_path):
    path = tmp_path / "bookmarks.sqlite"
    conn = sqlite3.connect(path)
    for migration in MIGRATIONS[:6]:
        for statement in migration:
            conn.execute(statement)
    conn.execute("INSERT INTO saved_searches (name, query, added) VALUES ('trade', 'trade', '2026-01-01T00:00:00Z')")
    conn.execute("PRAGMA user_version = 6")
    conn.commit()
    conn.close()
    with BookmarkStore(path) as store:
        assert [s.name for s in store.saved_searches()] == ["trade"]
        store.add_to_search_history("trade")
        assert store.search_history() == ["trade"]


def test_a_rebuild_never_touches_the_history(library):
    library.bookmarks.add_to_search_history("lighthizer")
    library.sync(rebuild=True, entities=False)
    library.close()
    with Library(library.articles_dir, library.index_dir) as again:
        assert again.bookmarks.search_history() == ["lighthizer"]
