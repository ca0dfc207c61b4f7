"""Feeds the user follows and the entries already taken from them: user data.

Two tables in the user-state database (never in the rebuildable index, so
``index --rebuild`` cannot touch them): ``feeds`` (name, URL, what the last
fetch said, the validators for the next conditional GET) and ``feed_seen``
(every key an entry was known by: ``id:…``, ``link:…``, ``hash:…``, with the
article file it became, or why it did not). Removing a feed keeps its seen
entries, so adding it again does not write its old entries a second time.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .database import UserStateDatabase
from .record import now

_FEED_COLUMNS = "name, url, title, etag, last_modified, COALESCE(last_fetch, ''), last_status, articles"
MAX_NAME = 80


@dataclass(frozen=True, slots=True)
class FeedRecord:
    name: str
    url: str
    title: str = ""
    etag: str = ""
    last_modified: str = ""
    last_fetch: str = ""
    last_status: str = ""
    articles: int = 0


class FeedExists(ValueError):
    pass


class FeedNotFound(KeyError):
    pass


class FeedTable(UserStateDatabase):
    """The ``feeds`` and ``feed_seen`` tables; each change one durable transaction."""

    def feeds(self) -> list[FeedRecord]:
        return [FeedRecord(*row) for row in self.read(f"SELECT {_FEED_COLUMNS} FROM feeds ORDER BY name COLLATE NOCASE")]

    def feed(self, name: str) -> FeedRecord | None:
        rows = self.read(f"SELECT {_FEED_COLUMNS} FROM feeds WHERE name = ? COLLATE NOCASE", (name,))
        return FeedRecord(*rows[0]) if rows else None

    def add_feed(self, name: str, url: str, title: str = "") -> FeedRecord:
        """Follow a feed; :class:`FeedExists` names the feed that has this name or URL."""
        with self.write() as conn:
            clash = conn.execute("SELECT name FROM feeds WHERE name = ? COLLATE NOCASE OR url = ?", (name, url)).fetchone()
            if clash:
                raise FeedExists(clash[0])
            conn.execute("INSERT INTO feeds (name, url, title, added) VALUES (?, ?, ?, ?)", (name, url, title, now()))
        return FeedRecord(name, url, title)

    def remove_feed(self, name: str) -> FeedRecord:
        """Stop following a feed (its articles and seen entries stay)."""
        record = self.feed(name)
        if record is None:
            raise FeedNotFound(name)
        with self.write() as conn:
            conn.execute("DELETE FROM feeds WHERE name = ? COLLATE NOCASE", (name,))
        return record

    def seen_any(self, keys: Iterable[str]) -> bool:
        keys = list(keys)
        if not keys:
            return False
        marks = ",".join("?" * len(keys))
        return self.read_one(f"SELECT 1 FROM feed_seen WHERE key IN ({marks}) LIMIT 1", keys) is not None

    def mark_seen(self, feed: str, keys: Iterable[str], path: str, note: str = "") -> None:
        at = now()
        with self.write() as conn:
            conn.executemany(
                "INSERT OR IGNORE INTO feed_seen (key, feed, path, note, seen) VALUES (?, ?, ?, ?, ?)",
                [(key, feed, path, note, at) for key in keys],
            )

    def record_fetch(self, name: str, status: str, *, etag: str = "", last_modified: str = "", added: int = 0) -> None:
        with self.write() as conn:
            conn.execute(
                "UPDATE feeds SET last_fetch = ?, last_status = ?, etag = ?, last_modified = ?, articles = articles + ?"
                " WHERE name = ? COLLATE NOCASE",
                (now(), status[:300], etag[:500], last_modified[:100], added, name),
            )


# -- the export sections -----------------------------------------------------------


def export_feeds(db: UserStateDatabase) -> list[dict[str, Any]]:
    rows = db.read("SELECT name, url, title, added FROM feeds ORDER BY name COLLATE NOCASE")
    return [{"name": name, "url": url, "title": title, "added": added} for name, url, title, added in rows]


def parse_feed_item(item: Any, index: int) -> tuple[str, str, str, str]:
    if not isinstance(item, dict):
        raise ValueError(f"feed {index} is not an object")
    name, url = item.get("name"), item.get("url")
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME:
        raise ValueError(f"feed {index} has no usable name")
    if not isinstance(url, str) or not url.lower().startswith(("http://", "https://")):
        raise ValueError(f"feed {index} ({name!r}) has no http(s) URL")
    title, added = item.get("title", ""), item.get("added", "")
    return name.strip(), url.strip(), title if isinstance(title, str) else "", added if isinstance(added, str) else ""


def merge_feeds(conn: sqlite3.Connection, incoming: list[tuple[str, str, str, str]]) -> tuple[int, int]:
    added = skipped = 0
    for name, url, title, when in incoming:
        clash = conn.execute("SELECT 1 FROM feeds WHERE name = ? COLLATE NOCASE OR url = ?", (name, url)).fetchone()
        if clash:
            skipped += 1
            continue
        conn.execute("INSERT INTO feeds (name, url, title, added) VALUES (?, ?, ?, ?)", (name, url, title, when or now()))
        added += 1
    return added, skipped


def export_seen(db: UserStateDatabase) -> list[dict[str, Any]]:
    rows = db.read("SELECT key, feed, path, note, seen FROM feed_seen ORDER BY seen, key")
    return [{"key": key, "feed": feed, "path": path, "note": note, "seen": seen} for key, feed, path, note, seen in rows]


def parse_seen_item(item: Any, index: int) -> tuple[str, str, str, str, str]:
    if not isinstance(item, dict) or not isinstance(item.get("key"), str) or not item["key"]:
        raise ValueError(f"seen entry {index} has no key")
    values = [item.get(field, "") for field in ("feed", "path", "note", "seen")]
    feed, path, note, seen = (value if isinstance(value, str) else "" for value in values)
    return item["key"][:1100], feed, path, note, seen or now()


def merge_seen(conn: sqlite3.Connection, incoming: list[tuple[str, str, str, str, str]]) -> tuple[int, int]:
    before = conn.total_changes
    conn.executemany("INSERT OR IGNORE INTO feed_seen (key, feed, path, note, seen) VALUES (?, ?, ?, ?, ?)", incoming)
    added = conn.total_changes - before
    return added, len(incoming) - added
