"""Keeping bookmarks on their passages when articles change or vanish.

The matching itself is :func:`.anchor.locate` (pure functions over strings);
this module applies it to the stored bookmarks of an article and writes
back only what changed.

The ``anchored`` table remembers which version of each article (the index's
content hash) its bookmarks were last re-anchored against.  That is the
record of pending work: a sync asks :meth:`Reanchoring.stale_articles` and
re-anchors what is listed, so a re-anchor skipped because another program
held the store, or cut short by a crash, is done by the next sync, and an
unchanged article costs nothing when opened.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from .anchor import Body, context, locate
from .record import Bookmark, now
from .table import COLUMNS, Bookmarks, BookmarkTable, from_row

if TYPE_CHECKING:
    from ..model import Article

# (quote, start, end, prefix, suffix, orphaned) and (title, date, source)
_Anchor = tuple[str, int, int, str, str, bool]
_Snapshot = tuple[str, str, str]


def forget_versions(conn: sqlite3.Connection, article_ids: Iterable[str]) -> None:
    """The bookmarks of these articles need re-anchoring at the next sync (after
    an import, or when an article vanished and may come back)."""
    conn.executemany("DELETE FROM anchored WHERE article = ?", [(a,) for a in set(article_ids)])


class Reanchoring(BookmarkTable):
    def reanchor(
        self,
        article_id: str,
        body: str,
        *,
        title: str | None = None,
        date: str | None = None,
        source: str | None = None,
        version: str | None = None,
        recheck: bool = False,
    ) -> Bookmarks:
        """Re-find every bookmark of an article in its current ``body``.

        Moved passages get new offsets (and, after a fuzzy match, the new
        text as quote); passages not found are marked orphaned but kept with
        their last anchor, and un-orphaned when found again later.  Given
        ``title``/``date``/``source`` refresh the snapshot.  ``version`` (the
        body's content hash) is recorded with the changes, and when it is the
        one already recorded nothing is re-done unless ``recheck`` (the same
        file may read differently after a rebuild).  Writes only when
        something changed.  Returns the article's live bookmarks in reading order.
        """
        recorded = self.anchored_version(article_id)
        if version is not None and not recheck and recorded == version:
            return self.list(article=article_id)
        rows = self.read(f"SELECT {COLUMNS} FROM bookmarks WHERE article = ?", (article_id,))
        changes: list[tuple[Bookmark, _Anchor, _Snapshot]] = []
        prepared = Body(body)  # normalised once for all of the article's bookmarks
        for bookmark in map(from_row, rows):
            anchor = locate(prepared, bookmark.quote, bookmark.start, bookmark.end, bookmark.prefix, bookmark.suffix)
            new: _Anchor
            if anchor is None:
                new = (bookmark.quote, bookmark.start, bookmark.end, bookmark.prefix, bookmark.suffix, True)
            else:
                prefix, suffix = context(body, anchor.start, anchor.end)
                new = (body[anchor.start : anchor.end], anchor.start, anchor.end, prefix, suffix, False)
            snapshot = (
                bookmark.title if title is None else title,
                bookmark.date if date is None else date,
                bookmark.source if source is None else source,
            )
            old = (bookmark.quote, bookmark.start, bookmark.end, bookmark.prefix, bookmark.suffix, bookmark.orphaned)
            if new != old or snapshot != (bookmark.title, bookmark.date, bookmark.source):
                changes.append((bookmark, new, snapshot))
        new_version = version is not None and version != recorded
        if changes or new_version:
            with self.write(derived=True) as conn:
                for bookmark, (quote, start, end, prefix, suffix, orphaned), snapshot in changes:
                    # Only if the anchor is still the one we computed from (another
                    # instance may have re-anchored meanwhile); notes and tags untouched.
                    conn.execute(
                        'UPDATE bookmarks SET quote = ?, start = ?, "end" = ?, prefix = ?, suffix = ?, '
                        "orphaned = ?, title = ?, date = ?, source = ? "
                        'WHERE id = ? AND quote = ? AND start = ? AND "end" = ?',
                        (quote, start, end, prefix, suffix, int(orphaned), *snapshot,
                         bookmark.id, bookmark.quote, bookmark.start, bookmark.end),
                    )
                if version is not None and new_version:
                    self._anchored_to(conn, article_id, version)
        return self.list(article=article_id)

    def _anchored_to(self, conn: sqlite3.Connection, article_id: str, version: str) -> None:
        conn.execute(
            "INSERT INTO anchored (article, content_hash, at) VALUES (?, ?, ?) "
            "ON CONFLICT (article) DO UPDATE SET content_hash = excluded.content_hash, at = excluded.at",
            (article_id, version, now()),
        )

    def reanchor_article(self, article: Article, *, recheck: bool = False) -> Bookmarks:
        """:meth:`reanchor` with the body, snapshot and content hash of a :class:`reader.model.Article`."""
        return self.reanchor(
            article.id, article.body, title=article.title, date=article.date, source=article.source,
            version=article.content_hash or None, recheck=recheck,
        )

    def anchored_version(self, article_id: str) -> str | None:
        """The content hash the article's bookmarks were last re-anchored against."""
        value = self.read_one("SELECT content_hash FROM anchored WHERE article = ?", (article_id,))
        return None if value is None else str(value)

    def stale_articles(self, versions: Mapping[str, str]) -> list[str]:
        """Articles with live bookmarks whose current version (``versions``: id ->
        content hash, of the articles that exist) is not the one they were
        last re-anchored against: the re-anchoring still to do."""
        rows = self.read(
            "SELECT DISTINCT b.article, a.content_hash FROM bookmarks b "
            "LEFT JOIN anchored a ON a.article = b.article WHERE b.deleted IS NULL ORDER BY b.article"
        )
        return [article for article, anchored in rows if article in versions and versions[article] != anchored]

    def orphan_missing(self, existing_article_ids: Iterable[str]) -> int:
        """Mark bookmarks of articles not in ``existing_article_ids`` orphaned (never deletes).

        Returns how many were newly orphaned.  Bookmarks come back when
        :meth:`reanchor` finds their passage again.  Reads first: writes
        (and waits for the lock) only when there is something to mark.
        """
        existing = set(existing_article_ids)
        rows = self.read("SELECT id, article FROM bookmarks WHERE orphaned = 0")
        if not any(article not in existing for _, article in rows):
            return 0
        with self.write(derived=True) as conn:
            rows = conn.execute("SELECT id, article FROM bookmarks WHERE orphaned = 0").fetchall()
            gone = [(id_, article) for id_, article in rows if article not in existing]
            conn.executemany("UPDATE bookmarks SET orphaned = 1 WHERE id = ?", [(id_,) for id_, _ in gone])
            forget_versions(conn, (article for _, article in gone))
        return len(gone)
