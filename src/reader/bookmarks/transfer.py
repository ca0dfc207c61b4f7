"""Export and import of the user's data: one JSON document with a section per kind.

The document::

    {"format": "reader-user-state", "version": 1, "exported": "2026-…Z",
     "bookmarks": [ {…}, … ]}

Each kind of user data is a :class:`Section` in :data:`SECTIONS`: how to
export its rows, how to read one item back (strictly: a bad item names
itself and its field), and how to merge the items into the database without
duplicates.  A new kind (feeds, entity corrections, saved searches) adds a
section here next to its table's migration.  Import also takes the older
format, a bare list of bookmarks.  Sections this version does not know are
reported, not silently dropped.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from . import corrections, feeds, history, saved
from .database import UserStateDatabase
from .markdown import ArticleDetails, to_markdown
from .reanchor import forget_versions
from .record import Bookmark, now
from .table import COLUMNS, BookmarkTable, from_row, insert

EXPORT_FORMAT = "reader-user-state"
EXPORT_VERSION = 1
_METADATA = frozenset({"format", "version", "exported"})

Item = TypeVar("Item")


@dataclass(frozen=True)
class Section(Generic[Item]):
    """One kind of user data in the export document."""

    name: str
    export: Callable[[UserStateDatabase], list[dict[str, Any]]]
    parse: Callable[[Any, int], Item]  # the item and its position; raises ValueError
    merge: Callable[[sqlite3.Connection, list[Item]], tuple[int, int]]  # -> (added, skipped)


@dataclass
class ImportReport:
    """What an import did: ``(added, skipped)`` per section, and sections it could not read."""

    counts: dict[str, tuple[int, int]] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the user."""
        parts = [f"imported {added} {name}, {skipped} already there" for name, (added, skipped) in self.counts.items()]
        parts += [f"ignored {name!r} (not known to this version of reader)" for name in self.ignored]
        return "; ".join(parts) or "nothing to import"


# -- the bookmarks section -------------------------------------------------------


def _export_bookmarks(db: UserStateDatabase) -> list[dict[str, Any]]:
    rows = db.read(f"SELECT {COLUMNS} FROM bookmarks WHERE deleted IS NULL ORDER BY created, seq")
    return [from_row(row).to_json() for row in rows]


def _merge_bookmarks(conn: sqlite3.Connection, incoming: list[Bookmark]) -> tuple[int, int]:
    """Skip an item whose id, or article, quote and start, is already there (deleted ones
    included) or came earlier in the batch; ids, timestamps, notes and tags are kept."""
    ids = {r[0] for r in conn.execute("SELECT id FROM bookmarks")}
    keys = set(conn.execute("SELECT article, quote, start FROM bookmarks").fetchall())
    added = skipped = 0
    for bookmark in incoming:
        key = (bookmark.article, bookmark.quote, bookmark.start)
        if bookmark.id in ids or key in keys:
            skipped += 1
            continue
        insert(conn, bookmark)
        ids.add(bookmark.id)
        keys.add(key)
        added += 1
    # Anchored against some version of their article: the next sync re-anchors them.
    forget_versions(conn, (bookmark.article for bookmark in incoming))
    return added, skipped


BOOKMARKS = Section("bookmarks", _export_bookmarks, Bookmark.from_json, _merge_bookmarks)

#: Every kind of user data the export carries, in document order.
FEEDS = Section("feeds", feeds.export_feeds, feeds.parse_feed_item, feeds.merge_feeds)
FEED_SEEN = Section("feed_seen", feeds.export_seen, feeds.parse_seen_item, feeds.merge_seen)
ENTITY_CORRECTIONS = Section(
    "entity_corrections", corrections.export_corrections, corrections.parse_correction_item, corrections.merge_corrections
)
SAVED_SEARCHES = Section(
    "saved_searches", saved.export_saved_searches, saved.parse_saved_search_item, saved.merge_saved_searches
)
SEARCH_HISTORY = Section("search_history", history.export_history, history.parse_history_item, history.merge_history)
SECTIONS: tuple[Section[Any], ...] = (BOOKMARKS, FEEDS, FEED_SEEN, ENTITY_CORRECTIONS, SAVED_SEARCHES, SEARCH_HISTORY)


def load_document(path: str | os.PathLike[str]) -> Any:
    """The JSON in an export file; one-line ValueError naming the file when it cannot be one
    (unreadable, not UTF-8, not JSON, nested deeper than Python's parser goes)."""
    from ..ingest import UnreadableArticle, read_bytes
    from ..text.controls import printable

    name = printable(os.fsdecode(path))
    try:
        data = read_bytes(path, limit=None)  # a named pipe must not block
    except UnreadableArticle as error:
        raise ValueError(f"cannot read {name}: {error}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError(f"{name} is not UTF-8 text (byte {error.start})") from None
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError(f"{name} is nested too deeply to be a reader export") from None
    except ValueError as error:  # JSONDecodeError, or a number with too many digits
        raise ValueError(f"{name} is not valid JSON ({error})") from None


def sections_of(document: Any) -> dict[str, Any]:
    """The sections of an export document (a bare list is the old bookmarks-only format)."""
    if isinstance(document, list):
        return {BOOKMARKS.name: document}
    if not isinstance(document, Mapping):
        raise ValueError(f"the import is a JSON {type(document).__name__}, not an exported object or list")
    kind = document.get("format", EXPORT_FORMAT)
    if kind != EXPORT_FORMAT:
        raise ValueError(f"the import is not a reader export (format {kind!r})")
    return {str(key): value for key, value in document.items() if key not in _METADATA}


class Transfer(BookmarkTable):
    def export_document(self, bookmarks: Iterable[Bookmark] | None = None) -> dict[str, Any]:
        """Everything the user owns as one JSON-ready object; with ``bookmarks``,
        only those in the bookmarks section (oldest first otherwise)."""
        document: dict[str, Any] = {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "exported": now()}
        for section in SECTIONS:
            if section is BOOKMARKS and bookmarks is not None:
                document[section.name] = [b.to_json() for b in bookmarks]
            else:
                document[section.name] = section.export(self)
        return document

    def export_json(self, bookmarks: Iterable[Bookmark] | None = None) -> list[dict[str, Any]]:
        """Live bookmarks (or the given ones) as JSON-ready dicts, oldest first."""
        if bookmarks is None:
            return BOOKMARKS.export(self)
        return [b.to_json() for b in bookmarks]

    def export_markdown(
        self, bookmarks: Iterable[Bookmark] | None = None, details: ArticleDetails | None = None
    ) -> str:
        """Live bookmarks (or the given ones) as Markdown to paste into notes, grouped by article
        (``details`` adds each article's authors and URL or path)."""
        if bookmarks is None:
            bookmarks = reversed(self.list())
        return to_markdown(bookmarks, details)

    def import_document(self, document: Any) -> ImportReport:
        """Merge an export in, every section in one transaction.

        All items are checked first: one malformed item raises
        :class:`ValueError` naming it, and nothing is imported.
        """
        found = sections_of(document)
        known = {section.name: section for section in SECTIONS}
        report = ImportReport(ignored=[name for name in found if name not in known])
        parsed: list[tuple[Section[Any], list[Any]]] = []
        for name, items in found.items():
            section = known.get(name)
            if section is None:
                continue
            if not isinstance(items, list):
                raise ValueError(f"the {name!r} section of the import is not a list")
            parsed.append((section, [section.parse(item, index) for index, item in enumerate(items)]))
        with self.write() as conn:
            for section, values in parsed:
                report.counts[section.name] = section.merge(conn, values)
        return report

    def import_json(self, items: Iterable[Mapping[str, Any]] | Mapping[str, Any]) -> tuple[int, int]:
        """Merge exported bookmarks in (a list, or a whole export); returns ``(added, skipped)``
        for the bookmarks.  See :meth:`import_document`."""
        document = items if isinstance(items, Mapping) else list(items)
        return self.import_document(document).counts.get(BOOKMARKS.name, (0, 0))
