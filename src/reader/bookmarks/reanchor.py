"""Keeping bookmarks on their passages when articles change or vanish.

The matching itself is :func:`.anchor.locate` (pure functions over strings);
this module applies it to the stored bookmarks of an article and writes
back only what changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from .anchor import Body, context, locate
from .record import Bookmark
from .table import COLUMNS, Bookmarks, BookmarkTable, from_row

if TYPE_CHECKING:
    from ..model import Article

# (quote, start, end, prefix, suffix, orphaned) and (title, date, source)
_Anchor = tuple[str, int, int, str, str, bool]
_Snapshot = tuple[str, str, str]


class Reanchoring(BookmarkTable):
    def reanchor(
        self,
        article_id: str,
        body: str,
        *,
        title: str | None = None,
        date: str | None = None,
        source: str | None = None,
    ) -> Bookmarks:
        """Re-find every bookmark of an article in its current ``body``.

        Moved passages get new offsets (and, after a fuzzy match, the new
        text as quote); passages not found are marked orphaned but kept with
        their last anchor, and un-orphaned when found again later.  Given
        ``title``/``date``/``source`` refresh the snapshot.  Writes only when
        something changed.  Returns the article's live bookmarks in reading order.
        """
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
        if changes:
            with self.write() as conn:
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
        return self.list(article=article_id)

    def reanchor_article(self, article: Article) -> Bookmarks:
        """:meth:`reanchor` with the body and snapshot of a :class:`reader.model.Article`."""
        return self.reanchor(article.id, article.body, title=article.title, date=article.date, source=article.source)

    def orphan_missing(self, existing_article_ids: Iterable[str]) -> int:
        """Mark bookmarks of articles not in ``existing_article_ids`` orphaned (never deletes).

        Returns how many were newly orphaned.  Bookmarks come back when
        :meth:`reanchor` finds their passage again.
        """
        existing = set(existing_article_ids)
        with self.write() as conn:
            rows = conn.execute("SELECT id, article FROM bookmarks WHERE orphaned = 0").fetchall()
            gone = [(id_,) for id_, article in rows if article not in existing]
            conn.executemany("UPDATE bookmarks SET orphaned = 1 WHERE id = ?", gone)
        return len(gone)
