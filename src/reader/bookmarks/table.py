"""The bookmarks table: adding, editing, soft-deleting, purging and listing bookmarks."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from .anchor import CONTEXT_CHARS, context, find_quote, fold_text
from .database import Row, UserStateDatabase
from .errors import BookmarkNotFound, QuoteNotFound
from .record import Bookmark, clean_tags, is_int, now, parse_time, tag_key

if TYPE_CHECKING:
    from ..model import Article

#: How long a soft-deleted bookmark can be brought back before it is purged.
KEEP_DELETED = timedelta(days=30)

#: Inside :class:`BookmarkTable` the name ``list`` is its method, not the builtin.
Bookmarks = list[Bookmark]

COLUMNS = (
    'id, article, quote, start, "end", note, tags, created, updated, orphaned, '
    "prefix, suffix, title, date, source, deleted"
)


def _tags_from_db(text: str) -> tuple[str, ...]:
    """The stored tags; a value that is not a JSON list of text (edited by hand,
    damaged) reads as no tags instead of failing every listing.  Never rewritten."""
    if text == "[]":  # most bookmarks: no JSON parse for 200,000 of them
        return ()
    try:
        tags = json.loads(text)
    except (TypeError, ValueError, RecursionError):
        return ()
    return tuple(tag for tag in tags if isinstance(tag, str)) if isinstance(tags, list) else ()


def from_row(row: Row) -> Bookmark:
    (id_, article, quote, start, end, note, tags, created, updated, orphaned,
     prefix, suffix, title, date, source, deleted) = row
    return Bookmark(
        id=id_, article=article, quote=quote, start=start, end=end, note=note,
        tags=_tags_from_db(tags), created=created, updated=updated,
        orphaned=bool(orphaned), prefix=prefix, suffix=suffix, title=title,
        date=date, source=source, deleted=deleted or "",
    )


def insert(conn: sqlite3.Connection, b: Bookmark) -> None:
    conn.execute(
        f"INSERT INTO bookmarks ({COLUMNS}) VALUES ({', '.join('?' * 16)})",
        (
            b.id, b.article, b.quote, b.start, b.end, b.note, json.dumps(list(b.tags)),
            b.created, b.updated, int(b.orphaned), b.prefix, b.suffix, b.title, b.date,
            b.source, b.deleted or None,
        ),
    )


def resolve(conn: sqlite3.Connection, bookmark_id: str) -> Bookmark:
    """Exact id, or a unique prefix of at least four characters (like git)."""
    if not isinstance(bookmark_id, str) or not bookmark_id:
        raise BookmarkNotFound(f"no bookmark {bookmark_id!r}")
    row = conn.execute(f"SELECT {COLUMNS} FROM bookmarks WHERE id = ?", (bookmark_id,)).fetchone()
    if row:
        return from_row(row)
    if len(bookmark_id) >= 4:
        rows = conn.execute(
            f"SELECT {COLUMNS} FROM bookmarks WHERE substr(id, 1, ?) = ? LIMIT 2",
            (len(bookmark_id), bookmark_id),
        ).fetchall()
        if len(rows) == 1:
            return from_row(rows[0])
        if len(rows) > 1:
            raise BookmarkNotFound(f"bookmark id {bookmark_id!r} is ambiguous; give more of it")
    raise BookmarkNotFound(f"no bookmark {bookmark_id!r}")


def _expired(rows: Iterable[Row], older_than: timedelta) -> list[tuple[str]]:
    cutoff = datetime.now(UTC) - older_than
    return [(id_,) for id_, deleted in rows if parse_time(deleted) <= cutoff]


_DELETED = "SELECT id, deleted FROM bookmarks WHERE deleted IS NOT NULL"


def purge(conn: sqlite3.Connection, older_than: timedelta) -> int:
    """Remove bookmarks soft-deleted longer ago than ``older_than``; how many went."""
    doomed = _expired(conn.execute(_DELETED).fetchall(), older_than)
    conn.executemany("DELETE FROM bookmarks WHERE id = ?", doomed)
    return len(doomed)


def matching(bookmarks: Bookmarks, text: str) -> Bookmarks:
    """Those whose quote, note, tags or title contain every word of ``text`` (folded)."""
    words = fold_text(text).split()
    if not words:
        return bookmarks
    found = []
    for b in bookmarks:
        haystack = fold_text(" ".join((b.quote, b.note, " ".join(b.tags), b.title)))
        if all(word in haystack for word in words):
            found.append(b)
    return found


class BookmarkTable(UserStateDatabase):
    """Bookmarks: each change one durable transaction; deletes are soft until purged."""

    # -- writing ----------------------------------------------------------------

    def add(
        self,
        article_id: str,
        quote: str,
        start: int,
        end: int,
        *,
        body: str | None = None,
        prefix: str | None = None,
        suffix: str | None = None,
        note: str = "",
        tags: Iterable[str] | str = (),
        title: str = "",
        date: str = "",
        source: str = "",
        version: str | None = None,
    ) -> Bookmark:
        """Bookmark ``quote`` = ``body[start:end]`` of an article.

        With ``body`` the quote is checked against it and prefix/suffix are
        taken from it; otherwise pass ``prefix``/``suffix`` yourself.  Adding
        a passage that already has a live bookmark returns that bookmark,
        with the new tags and note merged in, instead of a duplicate.
        ``version`` is the content hash of the body the offsets refer to.
        """
        if not isinstance(article_id, str) or not article_id:
            raise ValueError("article id must be a non-empty string")
        if not isinstance(quote, str) or not quote.strip():
            raise ValueError("quote must be non-empty text")
        if not (is_int(start) and is_int(end)) or not 0 <= start < end:
            raise ValueError(f"bad offsets {start!r}..{end!r}")
        if end - start != len(quote):
            raise ValueError(f"offsets {start}..{end} span {end - start} characters, quote has {len(quote)}")
        if body is not None:
            if body[start:end] != quote:
                raise ValueError(f"the article text at {start}..{end} is not the quote")
            got_prefix, got_suffix = context(body, start, end, CONTEXT_CHARS)
            prefix = got_prefix if prefix is None else prefix
            suffix = got_suffix if suffix is None else suffix
        cleaned = clean_tags(tags)
        note = note or ""
        moment = now()
        with self.write() as conn:
            row = conn.execute(
                f"SELECT {COLUMNS} FROM bookmarks WHERE article = ? AND start = ? AND \"end\" = ? "
                "AND quote = ? AND deleted IS NULL ORDER BY seq LIMIT 1",
                (article_id, start, end, quote),
            ).fetchone()
            if row:
                existing = from_row(row)
                merged_tags = clean_tags(existing.tags + cleaned)
                merged_note = existing.note
                if note and note not in existing.note:
                    merged_note = f"{existing.note}\n\n{note}" if existing.note else note
                if (merged_tags, merged_note) == (existing.tags, existing.note):
                    return existing
                conn.execute(
                    "UPDATE bookmarks SET tags = ?, note = ?, updated = ? WHERE id = ?",
                    (json.dumps(list(merged_tags)), merged_note, moment, existing.id),
                )
                return resolve(conn, existing.id)
            bookmark = Bookmark(
                id=uuid.uuid4().hex, article=article_id, quote=quote, start=start, end=end,
                note=note, tags=cleaned, created=moment, updated=moment, orphaned=False,
                prefix=prefix or "", suffix=suffix or "", title=title or "",
                date=date or "", source=source or "",
            )
            first = conn.execute("SELECT 1 FROM bookmarks WHERE article = ? LIMIT 1", (article_id,)).fetchone() is None
            insert(conn, bookmark)
            if first and version:
                self._anchored_to(conn, article_id, version)
            return bookmark

    def _anchored_to(self, conn: sqlite3.Connection, article_id: str, version: str) -> None:
        """Hook: every bookmark of the article is anchored to this version of it
        (here: its first bookmark was just added); see :mod:`.reanchor`."""

    def add_for_article(
        self,
        article: Article,
        quote: str,
        *,
        start: int | None = None,
        end: int | None = None,
        note: str = "",
        tags: Iterable[str] | str = (),
    ) -> Bookmark:
        """Bookmark a passage of a :class:`reader.model.Article`.

        Without offsets the quote is looked up with :func:`find_quote`
        (whitespace, quote marks and case tolerated) and the article's own
        text is stored; raises :class:`QuoteNotFound` when it is not there.
        """
        body = article.body
        if start is None or end is None:
            found = find_quote(body, quote)
            if found is None:
                raise QuoteNotFound(f"the quote does not occur in article {article.id}")
            start, end = found
        return self.add(
            article.id, body[start:end], start, end, body=body, note=note, tags=tags,
            title=article.title, date=article.date, source=article.source, version=article.content_hash or None,
        )

    def update(
        self,
        bookmark_id: str,
        note: str | None = None,
        tags: Iterable[str] | str | None = None,
    ) -> Bookmark:
        """Replace the note and/or the tags (``None`` leaves a field alone)."""
        with self.write() as conn:
            bookmark = resolve(conn, bookmark_id)
            if bookmark.deleted:
                raise BookmarkNotFound(f"bookmark {bookmark.short_id} is deleted; undo the delete first")
            new_note = bookmark.note if note is None else note
            new_tags = bookmark.tags if tags is None else clean_tags(tags)
            if (new_note, new_tags) == (bookmark.note, bookmark.tags):
                return bookmark
            conn.execute(
                "UPDATE bookmarks SET note = ?, tags = ?, updated = ? WHERE id = ?",
                (new_note, json.dumps(list(new_tags)), now(), bookmark.id),
            )
            return resolve(conn, bookmark.id)

    def delete(self, bookmark_id: str) -> Bookmark:
        """Soft delete (hidden from lists, kept for :meth:`undo_delete` for
        :data:`KEEP_DELETED`: older soft deletes are purged here)."""
        with self.write() as conn:
            purge(conn, KEEP_DELETED)
            bookmark = resolve(conn, bookmark_id)
            if not bookmark.deleted:
                moment = now()
                conn.execute("UPDATE bookmarks SET deleted = ?, updated = ? WHERE id = ?", (moment, moment, bookmark.id))
                bookmark = resolve(conn, bookmark.id)
            return bookmark

    def undo_delete(self, bookmark_id: str) -> Bookmark:
        with self.write() as conn:
            bookmark = resolve(conn, bookmark_id)
            if bookmark.deleted:
                conn.execute("UPDATE bookmarks SET deleted = NULL, updated = ? WHERE id = ?", (now(), bookmark.id))
                bookmark = resolve(conn, bookmark.id)
            return bookmark

    def purge_deleted(self, older_than: timedelta | float = KEEP_DELETED) -> int:
        """Really remove bookmarks soft-deleted longer ago than ``older_than`` (seconds or timedelta).

        The only operation that removes bookmarks; returns how many went.
        Writes nothing (takes no lock) when there is nothing to purge, so it
        is cheap to call after every sync.
        """
        if not isinstance(older_than, timedelta):
            older_than = timedelta(seconds=float(older_than))
        if self.read_only or not _expired(self.read(_DELETED), older_than):
            return 0  # (a read-only store keeps them until it can be written)
        with self.write() as conn:
            return purge(conn, older_than)

    # -- reading ----------------------------------------------------------------

    def get(self, bookmark_id: str) -> Bookmark:
        """A bookmark by id (or unique id prefix), deleted ones included; raises :class:`BookmarkNotFound`."""
        with self.reading() as conn:
            return resolve(conn, bookmark_id)

    def list(
        self,
        tag: str | None = None,
        article: str | None = None,
        text: str | None = None,
        include_deleted: bool = False,
        orphaned: bool | None = None,
    ) -> Bookmarks:
        """Bookmarks, newest first; with ``article`` in reading order.

        ``tag`` matches ignoring case and a leading ``#``; ``text`` as in
        :meth:`search`; ``orphaned`` True/False keeps only (non-)orphans.
        """
        sql = f"SELECT {COLUMNS} FROM bookmarks WHERE 1"
        params: list[Any] = []
        if article is not None:
            sql += " AND article = ?"
            params.append(article)
        if not include_deleted:
            sql += " AND deleted IS NULL"
        if orphaned is not None:
            sql += " AND orphaned = ?"
            params.append(int(orphaned))
        sql += ' ORDER BY start, "end", seq' if article is not None else " ORDER BY created DESC, seq DESC"
        found = [from_row(r) for r in self.read(sql, params)]
        if tag is not None:
            wanted_key = tag_key(tag)
            found = [b for b in found if any(tag_key(t) == wanted_key for t in b.tags)]
        if text:
            found = matching(found, text)
        return found

    def search(self, text: str) -> Bookmarks:
        """Live bookmarks whose quote, note, tags or article title contain every word of ``text``."""
        return self.list(text=text)

    def __len__(self) -> int:
        return int(self.read_one("SELECT count(*) FROM bookmarks WHERE deleted IS NULL"))

    def articles(self) -> set[str]:
        """Ids of articles with at least one live bookmark."""
        return {r[0] for r in self.read("SELECT DISTINCT article FROM bookmarks WHERE deleted IS NULL")}
