"""The search box's history: the queries the user ran, newest first, across runs.

User data in the user-state database (``search_history``), so ``index
--rebuild`` never touches it; in the JSON export as its own section. A query
run again moves to the front instead of appearing twice; the oldest are
dropped past :data:`MAX_HISTORY`.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from .database import UserStateDatabase
from .record import now
from .saved import clean_query

#: Queries kept; the oldest go first.
MAX_HISTORY = 200


class SearchHistoryTable(UserStateDatabase):
    """The ``search_history`` table; each change one durable transaction."""

    def search_history(self, limit: int = MAX_HISTORY) -> list[str]:
        """The queries run, the most recent first."""
        rows = self.read("SELECT query FROM search_history ORDER BY at DESC, seq DESC LIMIT ?", (max(0, limit),))
        return [row[0] for row in rows]

    def add_to_search_history(self, query: str) -> str:
        """Put ``query`` (one line, controls removed) first; returns it as stored.
        Raises ValueError for an empty or overlong query."""
        query = clean_query(query)
        with self.write() as conn:
            conn.execute("DELETE FROM search_history WHERE query = ?", (query,))
            conn.execute("INSERT INTO search_history (query, at) VALUES (?, ?)", (query, now()))
            _trim(conn)
        return query


def _trim(conn: sqlite3.Connection) -> None:
    conn.execute(
        "DELETE FROM search_history WHERE seq NOT IN "
        "(SELECT seq FROM search_history ORDER BY at DESC, seq DESC LIMIT ?)",
        (MAX_HISTORY,),
    )


# -- the export section ------------------------------------------------------------


def export_history(db: UserStateDatabase) -> list[dict[str, Any]]:
    """Oldest first, as they were run."""
    rows = db.read("SELECT query, at FROM search_history ORDER BY at, seq")
    return [{"query": query, "at": at} for query, at in rows]


def parse_history_item(item: Any, index: int) -> tuple[str, str]:
    if not isinstance(item, dict):
        raise ValueError(f"search history item {index} is not an object")
    query, at = item.get("query"), item.get("at", "")
    try:
        query = clean_query(query if isinstance(query, str) else "")
    except ValueError:
        raise ValueError(f"search history item {index} has no usable query") from None
    if not isinstance(at, str):
        raise ValueError(f"search history item {index}: 'at' is not a string")
    return query, at


def merge_history(conn: sqlite3.Connection, incoming: list[tuple[str, str]]) -> tuple[int, int]:
    """A query already there keeps its own time; the rest take theirs (the history stays in time order)."""
    added = skipped = 0
    for query, at in incoming:
        if conn.execute("SELECT 1 FROM search_history WHERE query = ?", (query,)).fetchone():
            skipped += 1
            continue
        conn.execute("INSERT INTO search_history (query, at) VALUES (?, ?)", (query, at or now()))
        added += 1
    _trim(conn)
    return added, skipped
