"""Saved searches and the articles each has already shown the user: user data.

Two tables in the user-state database (never in the rebuildable index, so
``index --rebuild`` cannot touch them): ``saved_searches`` (name, query
text, when added, when last looked at) and ``saved_search_seen`` (the ids of
the matching articles the user has been shown). "New" is every current match
not in the seen set: article ids come from file paths, so a rebuilt index
gives the same ids and the counts stay right. The query is kept as typed; it
is parsed only when run, so a query a later version no longer parses is kept
(and reported) rather than lost.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..text.controls import clean_inline, strip_controls
from .database import UserStateDatabase
from .record import now

MAX_NAME = 80
MAX_QUERY = 2000
_COLUMNS = "name, query, added, COALESCE(last_looked, '')"


@dataclass(frozen=True, slots=True)
class SavedSearch:
    name: str
    query: str
    added: str = ""
    last_looked: str = ""  # "" until ``saved show`` first ran it


class SavedSearchExists(ValueError):
    """A saved search already has this name (names ignore case); the message is its name."""


class SavedSearchNotFound(KeyError):
    pass


def clean_name(name: str) -> str:
    """The name as stored: one line, controls removed; ValueError (one line) when unusable."""
    cleaned = clean_inline(name)
    if not cleaned:
        raise ValueError("a saved search needs a name")
    if len(cleaned) > MAX_NAME:
        raise ValueError(f"a saved search name is at most {MAX_NAME} characters")
    return cleaned


def clean_query(query: str) -> str:
    cleaned = " ".join(strip_controls(query).split())
    if not cleaned:
        raise ValueError("a saved search needs a query")
    if len(cleaned) > MAX_QUERY:
        raise ValueError(f"a saved search query is at most {MAX_QUERY} characters")
    return cleaned


class SavedSearchTable(UserStateDatabase):
    """The ``saved_searches`` and ``saved_search_seen`` tables; each change one durable transaction."""

    def saved_searches(self) -> list[SavedSearch]:
        rows = self.read(f"SELECT {_COLUMNS} FROM saved_searches ORDER BY name COLLATE NOCASE")
        return [SavedSearch(*row) for row in rows]

    def saved_search(self, name: str) -> SavedSearch | None:
        rows = self.read(f"SELECT {_COLUMNS} FROM saved_searches WHERE name = ? COLLATE NOCASE", (name,))
        return SavedSearch(*rows[0]) if rows else None

    def add_saved_search(self, name: str, query: str, seen: Iterable[str] = ()) -> SavedSearch:
        """Save a search; ``seen`` are the articles it matches now (not "new").

        Raises :class:`SavedSearchExists` (with the existing name) when the
        name is taken, ValueError for an unusable name or query.
        """
        name, query = clean_name(name), clean_query(query)
        at = now()
        with self.write() as conn:
            clash = conn.execute("SELECT name FROM saved_searches WHERE name = ? COLLATE NOCASE", (name,)).fetchone()
            if clash:
                raise SavedSearchExists(clash[0])
            conn.execute("INSERT INTO saved_searches (name, query, added) VALUES (?, ?, ?)", (name, query, at))
            conn.execute("DELETE FROM saved_search_seen WHERE search = ?", (name,))  # leftovers of an old one
            _insert_seen(conn, name, seen)
        return SavedSearch(name, query, at)

    def remove_saved_search(self, name: str) -> SavedSearch:
        """Forget a saved search and what it has shown."""
        record = self.saved_search(name)
        if record is None:
            raise SavedSearchNotFound(name)
        with self.write() as conn:
            conn.execute("DELETE FROM saved_searches WHERE name = ?", (record.name,))
            conn.execute("DELETE FROM saved_search_seen WHERE search = ?", (record.name,))
        return record

    def seen_by_search(self, name: str) -> set[str]:
        return {row[0] for row in self.read("SELECT article FROM saved_search_seen WHERE search = ?", (name,))}

    def mark_search_seen(self, name: str, articles: Iterable[str]) -> None:
        """The user has looked at these matches of ``name`` (they stop counting as new)."""
        with self.write() as conn:
            _insert_seen(conn, name, articles)
            conn.execute("UPDATE saved_searches SET last_looked = ? WHERE name = ?", (now(), name))


def _insert_seen(conn: sqlite3.Connection, name: str, articles: Iterable[str]) -> None:
    conn.executemany(
        "INSERT OR IGNORE INTO saved_search_seen (search, article) VALUES (?, ?)",
        ((name, article) for article in articles),
    )


# -- the export section ------------------------------------------------------------

ParsedSearch = tuple[str, str, str, str, list[str]]


def export_saved_searches(db: UserStateDatabase) -> list[dict[str, Any]]:
    rows = db.read(f"SELECT {_COLUMNS} FROM saved_searches ORDER BY name COLLATE NOCASE")
    seen: dict[str, list[str]] = {}
    for search, article in db.read("SELECT search, article FROM saved_search_seen ORDER BY search, article"):
        seen.setdefault(search.casefold(), []).append(article)
    return [
        {"name": name, "query": query, "added": added, "last_looked": looked, "seen": seen.get(name.casefold(), [])}
        for name, query, added, looked in rows
    ]


def parse_saved_search_item(item: Any, index: int) -> ParsedSearch:
    if not isinstance(item, dict):
        raise ValueError(f"saved search {index} is not an object")
    name, query = item.get("name"), item.get("query")
    try:
        name = clean_name(name if isinstance(name, str) else "")
    except ValueError:
        raise ValueError(f"saved search {index} has no usable name") from None
    try:
        query = clean_query(query if isinstance(query, str) else "")
    except ValueError:
        raise ValueError(f"saved search {index} ({name!r}) has no usable query") from None
    seen = item.get("seen", [])
    if not isinstance(seen, list) or not all(isinstance(article, str) for article in seen):
        raise ValueError(f"saved search {index} ({name!r}): 'seen' is not a list of article ids")
    added, looked = (item.get(key, "") for key in ("added", "last_looked"))
    return name, query, added if isinstance(added, str) else "", looked if isinstance(looked, str) else "", seen


def merge_saved_searches(conn: sqlite3.Connection, incoming: list[ParsedSearch]) -> tuple[int, int]:
    """A name already saved keeps its own query: the incoming one is skipped."""
    added = skipped = 0
    for name, query, when, looked, seen in incoming:
        if conn.execute("SELECT 1 FROM saved_searches WHERE name = ? COLLATE NOCASE", (name,)).fetchone():
            skipped += 1
            continue
        conn.execute(
            "INSERT INTO saved_searches (name, query, added, last_looked) VALUES (?, ?, ?, ?)",
            (name, query, when or now(), looked or None),
        )
        _insert_seen(conn, name, seen)
        added += 1
    return added, skipped
