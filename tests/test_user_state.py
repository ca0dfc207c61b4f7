"""The user-state database as a home for more than bookmarks: migrations that add
tables, the sectioned JSON export, and purging old soft deletes."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from reader.bookmarks import BookmarkStore, schema, store_path
from reader.bookmarks.record import format_time
from reader.bookmarks.table import KEEP_DELETED
from reader.bookmarks.transfer import EXPORT_FORMAT

BODY = "Chinese officials denied that the government forces U.S. firms to transfer technology. " * 3
QUOTE = "the government forces U.S. firms"


def add(store: BookmarkStore, article: str = "a1", occurrence: int = 0, **kw):
    start = -1
    for _ in range(occurrence + 1):
        start = BODY.index(QUOTE, start + 1)
    return store.add(article, QUOTE, start, start + len(QUOTE), body=BODY, **kw)


def age_deletion(path, bookmark_id: str, days: float) -> None:
    """Pretend a soft delete happened ``days`` ago (another process's write, as a user's clock would)."""
    conn = sqlite3.connect(path)
    with conn:
        when = format_time(datetime.now(UTC) - timedelta(days=days))
        conn.execute("UPDATE bookmarks SET deleted = ? WHERE id = ?", (when, bookmark_id))
    conn.close()


# -- a new table is one appended migration ------------------------------------------


def test_a_new_table_is_one_appended_migration(tmp_path, monkeypatch):
    path = tmp_path / "bookmarks.sqlite"
    with BookmarkStore(path) as store:
        kept = add(store, note="mine", tags=["t"])
        store.mark_read("a1")
    extra = schema.MIGRATIONS + (("CREATE TABLE reading_lists (name TEXT PRIMARY KEY, query TEXT NOT NULL)",),)
    monkeypatch.setattr(schema, "MIGRATIONS", extra)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(extra))
    with BookmarkStore(path) as store:
        assert store.version == len(extra)
        assert store.backup_path is not None and store.backup_path.exists()
        assert store.get(kept.id).note == "mine" and store.read_ids() == {"a1"}
        with store.write() as conn:
            conn.execute("INSERT INTO reading_lists VALUES ('wire', 'source:reuters')")
        assert store.read("SELECT name FROM reading_lists") == [("wire",)]
    backup = sqlite3.connect(store.backup_path)
    assert backup.execute("SELECT count(*) FROM bookmarks").fetchone()[0] == 1
    assert backup.execute("PRAGMA user_version").fetchone()[0] == len(extra) - 1
    backup.close()


# -- export and import ---------------------------------------------------------------


def test_export_is_a_document_with_sections(tmp_path):
    with BookmarkStore(tmp_path / "b.sqlite") as store:
        first = add(store, note="one")
        add(store, occurrence=1, note="two")
        document = store.export_document()
    assert document["format"] == EXPORT_FORMAT and document["version"] == 1
    assert [item["note"] for item in document["bookmarks"]] == ["one", "two"]  # oldest first
    assert document["bookmarks"][0]["id"] == first.id
    with BookmarkStore(tmp_path / "other.sqlite") as other:
        report = other.import_document(json.loads(json.dumps(document)))
        assert report.counts["bookmarks"] == (2, 0) and report.ignored == []
        assert other.import_document(document).counts["bookmarks"] == (0, 2)


def test_old_list_format_still_imports(tmp_path):
    with BookmarkStore(tmp_path / "b.sqlite") as store:
        add(store, note="old style")
        old_format = store.export_json()  # the list the first versions wrote
    assert isinstance(old_format, list)
    with BookmarkStore(tmp_path / "other.sqlite") as other:
        assert other.import_document(old_format).counts == {"bookmarks": (1, 0)}
        assert other.list()[0].note == "old style"


def test_unknown_sections_are_reported_not_dropped_silently(tmp_path):
    document = {"format": EXPORT_FORMAT, "version": 2, "bookmarks": [], "reading_lists": [{"query": "x"}]}
    with BookmarkStore(tmp_path / "b.sqlite") as store:
        report = store.import_document(document)
    assert report.ignored == ["reading_lists"] and "ignored 'reading_lists'" in report.summary()


def test_foreign_json_is_refused(tmp_path):
    with BookmarkStore(tmp_path / "b.sqlite") as store:
        with pytest.raises(ValueError, match="not a reader export"):
            store.import_document({"format": "something-else", "bookmarks": []})
        with pytest.raises(ValueError, match="not an exported object or list"):
            store.import_document("bookmarks")
        with pytest.raises(ValueError, match="section of the import is not a list"):
            store.import_document({"bookmarks": {"id": "x"}})


def test_cli_export_json_round_trips_as_a_document(library, tmp_path, capsys):
    from reader.cli import main

    base = ["--articles", str(library.articles_dir), "--index", str(library.index_dir)]
    article = library.articles()[0]
    quote = library.article(article.id).body[:40]
    assert main([*base, "bookmarks", "add", article.id, "--quote", quote, "--note", "n"]) == 0
    capsys.readouterr()
    assert main([*base, "bookmarks", "export", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["format"] == EXPORT_FORMAT and len(document["bookmarks"]) == 1
    exported = tmp_path / "export.json"
    exported.write_text(json.dumps(document), encoding="utf-8")
    assert main([*base, "bookmarks", "import", str(exported)]) == 0
    assert "imported 0 bookmarks, 1 already there" in capsys.readouterr().err


# -- purging old soft deletes ----------------------------------------------------------


def test_deleting_purges_soft_deletes_older_than_the_keep_period(tmp_path):
    path = tmp_path / "b.sqlite"
    with BookmarkStore(path) as store:
        old, recent, live = add(store), add(store, occurrence=1), add(store, occurrence=2, note="live")
        store.delete(old.id)
        store.delete(recent.id)
    age_deletion(path, old.id, KEEP_DELETED.days + 1)
    age_deletion(path, recent.id, KEEP_DELETED.days - 1)
    with BookmarkStore(path) as store:
        another = store.add("a2", "Chinese", 0, 7, body=BODY)
        store.delete(another.id)
        remaining = {b.id for b in store.list(include_deleted=True)}
    assert remaining == {recent.id, live.id, another.id}


def test_a_sync_purges_old_soft_deletes_and_keeps_recent_ones(library):
    article = library.articles()[0]
    body = library.article(article.id).body
    store = library.bookmarks
    old = store.add(article.id, body[:20], 0, 20, body=body)
    recent = store.add(article.id, body[20:40], 20, 40, body=body)
    store.delete(old.id)
    store.delete(recent.id)
    age_deletion(store_path(library.index_dir), old.id, 31)
    library.sync(entities=False)  # nothing changed in the articles
    assert {b.id for b in store.list(include_deleted=True)} == {recent.id}


# -- re-anchoring that could not be done is done later --------------------------------------


def test_reanchoring_skipped_while_the_store_was_busy_is_done_by_the_next_sync(library):
    article = library.articles()[0]
    body = library.article(article.id).body
    quote = body[200:260]
    bookmark = library.bookmarks.add_for_article(library.article(article.id), quote)
    library.sync(entities=False)
    path = next(p for p in library.articles_dir.rglob("*") if p.is_file() and p.stem == article.id)
    text = path.read_text(encoding="utf-8")
    head, rest = text.split("\n\n", 1)
    path.write_text(head + "\n\nA paragraph an editor added above the passage.\n\n" + rest, encoding="utf-8")

    store = library.bookmarks
    store.conn.execute("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(store_path(library.index_dir), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        report = library.sync(entities=False)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert any("not re-anchored" in warning for warning in report.warnings)
    stale = store.get(bookmark.id)
    new_body = library.article(article.id).body
    assert new_body[stale.start : stale.end] != quote  # still the old offsets

    report = library.sync(entities=False)  # nothing changed in the files since
    assert not report.touched and not report.warnings
    fresh = store.get(bookmark.id)
    assert new_body[fresh.start : fresh.end] == quote and not fresh.orphaned
    assert store.stale_articles({article.id: library.article(article.id).content_hash}) == []


def test_imported_bookmarks_are_reanchored_at_the_next_sync(library, tmp_path):
    article = library.articles()[0]
    body = library.article(article.id).body
    library.bookmarks.add_for_article(library.article(article.id), body[10:50])
    library.sync(entities=False)  # records the version the bookmarks are anchored to
    quote = body[300:340]
    # Exported from another copy where the article had a different first paragraph.
    item = {"article": article.id, "quote": quote, "start": 300 + 45, "end": 340 + 45}
    assert library.bookmarks.import_json([item]) == (1, 0)
    library.sync(entities=False)
    [imported] = [b for b in library.bookmarks.list(article=article.id) if b.quote == quote]
    assert (imported.start, imported.end) == (300, 340)


# -- more of each class: failures that must surface as one line, costs that must stay bounded ----


def test_no_room_for_the_backup_means_no_upgrade_and_one_line(tmp_path, monkeypatch):
    import errno
    import os

    from reader.bookmarks import MigrationError, database
    from reader.bookmarks.schema import MIGRATIONS

    path = tmp_path / "bookmarks.sqlite"
    old = sqlite3.connect(path)
    with old:
        for statement in MIGRATIONS[0]:
            old.execute(statement)
        old.execute("PRAGMA user_version = 1")
    old.close()

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(database.os, "replace", full)
    with pytest.raises(MigrationError, match="could not back up .*No space left on device.*left at version 1"):
        BookmarkStore(path)
    monkeypatch.undo()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.close()
    assert not list(tmp_path.glob("*.partial")) and not list(tmp_path.glob("*.bak"))
    with BookmarkStore(path) as store:  # room again: it upgrades
        assert store.version == schema.SCHEMA_VERSION and store.backup_path is not None


def test_tags_damaged_in_the_file_do_not_break_listing(tmp_path):
    path = tmp_path / "bookmarks.sqlite"
    with BookmarkStore(path) as store:
        good = add(store, tags=["kept"])
        bad = add(store, occurrence=1, tags=["x"])
        with store.write() as conn:
            conn.execute("UPDATE bookmarks SET tags = '{not json' WHERE id = ?", (bad.id,))
        listed = {b.id: b.tags for b in store.list()}
    assert listed == {good.id: ("kept",), bad.id: ()}


def test_tags_lose_controls_and_escape_sequences():
    from reader.bookmarks.record import clean_tags

    assert clean_tags(["\x1b]0;title\x07trade", "#tech\u202e", "a\x1b[31mb"]) == ("trade", "tech", "ab")


def test_a_huge_quote_is_not_fuzzy_matched(monkeypatch):
    from reader.bookmarks import anchor

    calls = []
    monkeypatch.setattr("rapidfuzz.distance.Indel.opcodes", lambda *a: calls.append(a) or [])
    quote = ("Officials said the talks went well and would continue next week. " * 200)[: anchor.MAX_FUZZY_CHARS + 1]
    body = "Preface. " + quote.replace("talks", "tlaks")
    assert anchor.locate(body, quote, 9, 9 + len(quote)) is None
    assert calls == []
