"""The article catalog: a compact SQLite table of what the list and reader show.

Whoosh keeps only what ranking needs (its stored fields are just the id), so
results, the 100k-row article list and the reading pane are served from here
with one indexed lookup each. Like the Whoosh index it is rebuildable from
``articles/``: it never holds user data (bookmarks live elsewhere).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..model import Article, ArticleSummary, Mention

CATALOG_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    title TEXT NOT NULL,
    title_derived INTEGER NOT NULL DEFAULT 0,
    authors TEXT NOT NULL DEFAULT '',
    date TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    dateline TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '',
    word_count INTEGER NOT NULL DEFAULT 0,
    paragraphs TEXT NOT NULL,
    mentions TEXT NOT NULL DEFAULT '[]',
    extractor TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS articles_path ON articles(path);
CREATE TABLE IF NOT EXISTS skipped (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    reason TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS entity_counts (
    article_id TEXT NOT NULL,
    key TEXT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    mentions INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS entity_counts_key ON entity_counts(key);
CREATE INDEX IF NOT EXISTS entity_counts_article ON entity_counts(article_id);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

_SEP = "\x1f"


class Catalog:
    """Thread-safe access to ``catalog.sqlite`` (the app queries it from workers)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA busy_timeout=10000")
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version not in (0, CATALOG_VERSION):
            raise sqlite3.DatabaseError(f"catalog version {version} is not {CATALOG_VERSION}")
        self._db.executescript(_SCHEMA)
        self._db.execute(f"PRAGMA user_version={CATALOG_VERSION}")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- writing -------------------------------------------------------------

    def transaction(self):
        return _Transaction(self)

    def put(self, article: Article, size: int, mtime_ns: int, extractor: str, entity_rows: Iterable[tuple]) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                article.id,
                article.path,
                size,
                mtime_ns,
                article.content_hash,
                article.title,
                int(article.title_derived),
                _SEP.join(article.authors),
                article.date,
                article.source,
                article.dateline,
                article.url,
                _SEP.join(article.tags),
                article.word_count,
                json.dumps(article.paragraphs, ensure_ascii=False),
                json.dumps([[m.start, m.end, m.kind, m.canonical] for m in article.mentions], ensure_ascii=False),
                extractor,
            ),
        )
        self._db.execute("DELETE FROM entity_counts WHERE article_id=?", (article.id,))
        self._db.executemany("INSERT INTO entity_counts VALUES (?,?,?,?,?)", entity_rows)
        self._db.execute("DELETE FROM skipped WHERE path=?", (article.path,))

    def touch(self, article_id: str, size: int, mtime_ns: int) -> None:
        self._db.execute("UPDATE articles SET size=?, mtime_ns=? WHERE id=?", (size, mtime_ns, article_id))

    def remove(self, article_id: str) -> None:
        self._db.execute("DELETE FROM articles WHERE id=?", (article_id,))
        self._db.execute("DELETE FROM entity_counts WHERE article_id=?", (article_id,))

    def mark_skipped(self, path: str, size: int, mtime_ns: int, reason: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO skipped VALUES (?,?,?,?)", (path, size, mtime_ns, reason))

    def forget_skipped(self, path: str) -> None:
        self._db.execute("DELETE FROM skipped WHERE path=?", (path,))

    def clear(self) -> None:
        with self._lock:
            self._db.executescript("DELETE FROM articles; DELETE FROM skipped; DELETE FROM entity_counts; DELETE FROM meta;")

    def set_meta(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta VALUES (?,?)", (key, value))

    def meta(self, key: str, default: str = "") -> str:
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else default

    # -- reading -------------------------------------------------------------

    def file_states(self) -> dict[str, tuple[str, int, int, str]]:
        """path -> (id, size, mtime_ns, content_hash) for every indexed article."""
        with self._lock:
            rows = self._db.execute("SELECT path, id, size, mtime_ns, content_hash FROM articles").fetchall()
        return {path: (id_, size, mtime, digest) for path, id_, size, mtime, digest in rows}

    def skipped_states(self) -> dict[str, tuple[int, int, str]]:
        with self._lock:
            rows = self._db.execute("SELECT path, size, mtime_ns, reason FROM skipped").fetchall()
        return {path: (size, mtime, reason) for path, size, mtime, reason in rows}

    def count(self) -> int:
        with self._lock:
            return self._db.execute("SELECT count(*) FROM articles").fetchone()[0]

    def summaries(self) -> list[ArticleSummary]:
        with self._lock:
            rows = self._db.execute(
                "SELECT id, path, title, date, source, authors, word_count, title_derived FROM articles ORDER BY path"
            ).fetchall()
        return [
            ArticleSummary(id_, path, title, date, source, tuple(authors.split(_SEP)) if authors else (), words, bool(derived))
            for id_, path, title, date, source, authors, words, derived in rows
        ]

    def heads(self, ids: list[str]) -> dict[str, tuple[str, str, str, str]]:
        """id -> (path, title, date, source) for result lists."""
        if not ids:
            return {}
        with self._lock:
            rows = self._db.execute(
                f"SELECT id, path, title, date, source FROM articles WHERE id IN ({','.join('?' * len(ids))})", ids
            ).fetchall()
        return {row[0]: row[1:] for row in rows}

    def bodies(self, ids: list[str]) -> dict[str, str]:
        if not ids:
            return {}
        with self._lock:
            rows = self._db.execute(
                f"SELECT id, paragraphs FROM articles WHERE id IN ({','.join('?' * len(ids))})", ids
            ).fetchall()
        return {id_: "\n\n".join(json.loads(paragraphs)) for id_, paragraphs in rows}

    def article(self, article_id: str) -> Article | None:
        with self._lock:
            row = self._db.execute(
                "SELECT id, path, content_hash, title, title_derived, authors, date, source, dateline, url, tags,"
                " paragraphs, mentions FROM articles WHERE id=?",
                (article_id,),
            ).fetchone()
        if row is None:
            return None
        id_, path, digest, title, derived, authors, date, source, dateline, url, tags, paragraphs, mentions = row
        paragraphs = tuple(json.loads(paragraphs))
        body = "\n\n".join(paragraphs)
        return Article(
            id=id_,
            path=path,
            title=title,
            title_derived=bool(derived),
            paragraphs=paragraphs,
            content_hash=digest,
            authors=tuple(authors.split(_SEP)) if authors else (),
            date=date,
            source=source,
            dateline=dateline,
            url=url,
            tags=tuple(tags.split(_SEP)) if tags else (),
            mentions=tuple(Mention(s, e, body[s:e], kind, canonical) for s, e, kind, canonical in json.loads(mentions)),
        )

    def entity_rows(self, *, kind: str | None = None, article: str | None = None) -> Iterator[tuple]:
        """(key, kind, name, mentions, articles) per name spelling, for aggregation."""
        where, args = [], []
        if kind:
            where.append("kind=?")
            args.append(kind)
        if article:
            where.append("key IN (SELECT key FROM entity_counts WHERE article_id=?)")
            args.append(article)
        sql = "SELECT key, kind, name, sum(mentions), count(DISTINCT article_id) FROM entity_counts"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " GROUP BY key, name"
        with self._lock:
            rows = self._db.execute(sql, args).fetchall()
        return iter(rows)

    def entity_article_totals(self) -> dict[str, int]:
        with self._lock:
            rows = self._db.execute("SELECT key, count(DISTINCT article_id) FROM entity_counts GROUP BY key").fetchall()
        return dict(rows)

    def entity_keys_for_name(self, name: str) -> list[tuple[str, str]]:
        with self._lock:
            rows = self._db.execute(
                "SELECT DISTINCT key, kind FROM entity_counts WHERE name=? COLLATE NOCASE", (name,)
            ).fetchall()
        return rows

    def entity_article_counts(self, key: str) -> list[tuple[str, int]]:
        with self._lock:
            rows = self._db.execute(
                "SELECT article_id, sum(mentions) FROM entity_counts WHERE key=? GROUP BY article_id", (key,)
            ).fetchall()
        return rows


class _Transaction:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def __enter__(self) -> Catalog:
        self.catalog._lock.acquire()
        self.catalog._db.execute("BEGIN IMMEDIATE")
        return self.catalog

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            self.catalog._db.execute("ROLLBACK" if exc_type else "COMMIT")
        finally:
            self.catalog._lock.release()
