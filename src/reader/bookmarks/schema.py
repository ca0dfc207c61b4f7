"""The user-state database schema and its history: where a new table goes.

``MIGRATIONS[n]`` takes a store from ``user_version`` n to n + 1.  Released
migrations are frozen: never edit one, append a new one (tests keep a copy
of the version 1 schema and open it with the current code).

Each migration is a tuple of single SQL statements, run inside one
``BEGIN IMMEDIATE`` transaction together with the ``user_version`` bump, so
a crash mid-migration leaves the store at its old version.  (Not
``executescript``: it would commit the open transaction.)  Before running
them on an existing store, :mod:`.database` copies it to
``bookmarks.sqlite.v<N>-<time>.bak`` next to itself.

To add a kind of user data (feeds, entity corrections, saved searches …):

1. append a migration below that creates its table(s) and indexes; only
   ``CREATE`` and ``ALTER TABLE … ADD COLUMN`` — never drop or rewrite the
   user's rows (a new column needs a ``DEFAULT``);
2. write the code that reads and writes it in its own module, as a subclass
   of :class:`.database.UserStateDatabase` (see :mod:`.reading` for a small
   one) and add it to the bases of :class:`.store.BookmarkStore`;
3. add a :class:`.transfer.Section` so the JSON export/import carries it.
"""

from __future__ import annotations

#: PRAGMA application_id of a reader user-state database ("rdBk").
APPLICATION_ID = 0x7264426B

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 0 -> 1: bookmarks (W3C TextQuoteSelector + TextPositionSelector, with an
    # article snapshot so orphans can still be shown and exported).
    (
        f"PRAGMA application_id = {APPLICATION_ID}",
        """
        CREATE TABLE bookmarks (
            seq      INTEGER PRIMARY KEY,
            id       TEXT NOT NULL UNIQUE,
            article  TEXT NOT NULL,
            quote    TEXT NOT NULL,
            prefix   TEXT NOT NULL DEFAULT '',
            suffix   TEXT NOT NULL DEFAULT '',
            start    INTEGER NOT NULL,
            "end"    INTEGER NOT NULL,
            note     TEXT NOT NULL DEFAULT '',
            tags     TEXT NOT NULL DEFAULT '[]',
            title    TEXT NOT NULL DEFAULT '',
            date     TEXT NOT NULL DEFAULT '',
            source   TEXT NOT NULL DEFAULT '',
            created  TEXT NOT NULL,
            updated  TEXT NOT NULL,
            orphaned INTEGER NOT NULL DEFAULT 0,
            deleted  TEXT
        )
        """,
        "CREATE INDEX bookmarks_article ON bookmarks (article)",
    ),
    # 1 -> 2: per-article reading state for the app (read marks, scroll position).
    (
        """
        CREATE TABLE article_state (
            article  TEXT PRIMARY KEY,
            read     INTEGER NOT NULL DEFAULT 0,
            read_at  TEXT,
            position INTEGER NOT NULL DEFAULT 0,
            position_at TEXT
        ) WITHOUT ROWID
        """,
    ),
    # 2 -> 3: which version of each article its bookmarks were last re-anchored
    # against (the index's content hash): a sync re-anchors every bookmarked
    # article whose hash differs, so work skipped while the store was busy, or
    # cut short by a crash, is done by the next sync.
    (
        """
        CREATE TABLE anchored (
            article      TEXT PRIMARY KEY,
            content_hash TEXT NOT NULL,
            at           TEXT NOT NULL
        ) WITHOUT ROWID
        """,
    ),
    # 3 -> 4: the feeds the user follows, and every key (id:, link:, hash:) an
    # entry taken from one was known by, with the article file it became (see
    # bookmarks/feeds.py).
    (
        """
        CREATE TABLE feeds (
            name          TEXT PRIMARY KEY COLLATE NOCASE,
            url           TEXT NOT NULL UNIQUE,
            title         TEXT NOT NULL DEFAULT '',
            added         TEXT NOT NULL,
            etag          TEXT NOT NULL DEFAULT '',
            last_modified TEXT NOT NULL DEFAULT '',
            last_fetch    TEXT,
            last_status   TEXT NOT NULL DEFAULT '',
            articles      INTEGER NOT NULL DEFAULT 0
        )
        """,
        """
        CREATE TABLE feed_seen (
            key  TEXT PRIMARY KEY,
            feed TEXT NOT NULL,
            path TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            seen TEXT NOT NULL
        ) WITHOUT ROWID
        """,
    ),
    # 4 -> 5: the user's corrections to extracted entities (see
    # bookmarks/corrections.py): merge, rename, change kind, hide. Each row is
    # one correction; undoing it sets ``undone`` (the row stays, so the
    # history is kept and an undo can itself be undone by doing it again).
    (
        """
        CREATE TABLE entity_corrections (
            seq         INTEGER PRIMARY KEY,
            id          TEXT NOT NULL UNIQUE,
            action      TEXT NOT NULL,
            name        TEXT NOT NULL,
            kind        TEXT NOT NULL,
            value       TEXT NOT NULL DEFAULT '',
            value_kind  TEXT NOT NULL DEFAULT '',
            created     TEXT NOT NULL,
            undone      TEXT
        )
        """,
    ),
    # 5 -> 6: saved searches, and which of their matching articles the user has
    # already been shown (so "new since last looked" survives index rebuilds:
    # article ids come from paths, not from the index; see bookmarks/saved.py).
    (
        """
        CREATE TABLE saved_searches (
            name        TEXT PRIMARY KEY COLLATE NOCASE,
            query       TEXT NOT NULL,
            added       TEXT NOT NULL,
            last_looked TEXT
        )
        """,
        """
        CREATE TABLE saved_search_seen (
            search  TEXT NOT NULL COLLATE NOCASE,
            article TEXT NOT NULL,
            PRIMARY KEY (search, article)
        ) WITHOUT ROWID
        """,
    ),
    # 6 -> 7: the search box's history, newest by ``at`` (see bookmarks/history.py).
    (
        """
        CREATE TABLE search_history (
            seq   INTEGER PRIMARY KEY,
            query TEXT NOT NULL UNIQUE,
            at    TEXT NOT NULL
        )
        """,
    ),
)

SCHEMA_VERSION = len(MIGRATIONS)
