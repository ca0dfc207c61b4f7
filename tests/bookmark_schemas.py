"""Bookmark-store schemas as released, for migration tests: frozen here, never edited."""

from reader.bookmarks.schema import APPLICATION_ID

# Version 1, exactly as released.
V1_SCHEMA = [
    f"PRAGMA application_id = {APPLICATION_ID}",
    """CREATE TABLE bookmarks (
        seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, article TEXT NOT NULL,
        quote TEXT NOT NULL, prefix TEXT NOT NULL DEFAULT '', suffix TEXT NOT NULL DEFAULT '',
        start INTEGER NOT NULL, "end" INTEGER NOT NULL, note TEXT NOT NULL DEFAULT '',
        tags TEXT NOT NULL DEFAULT '[]', title TEXT NOT NULL DEFAULT '',
        date TEXT NOT NULL DEFAULT '', source TEXT NOT NULL DEFAULT '',
        created TEXT NOT NULL, updated TEXT NOT NULL, orphaned INTEGER NOT NULL DEFAULT 0,
        deleted TEXT)""",
    "CREATE INDEX bookmarks_article ON bookmarks (article)",
    "PRAGMA user_version = 1",
]
