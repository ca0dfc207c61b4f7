"""Opening articles, and the reading state that goes with them (read marks, positions).

An article opens at a bookmark (the passage cursor on it), at the hits of the
search it was chosen from, on the first mention of the entity the list is
filtered by, or where it was left. Read marks and positions go to
``ReadMarks``, which writes them off the event loop.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...errors import ArticleNotFound
from .base import EXPECTED, Controller, describe

if TYPE_CHECKING:
    from ..screens.main import MainScreen


class Articles(Controller):
    """Which article is open, and opening another."""

    def __init__(self, screen: MainScreen) -> None:
        super().__init__(screen)
        self.open_id: str | None = None

    def save_position(self) -> None:
        """Remember where the open article was read to."""
        if self.open_id is not None:
            self.screen.marks.set_position(self.open_id, self.screen.reading.top_offset())

    def open(
        self,
        article_id: str,
        *,
        query: str = "",
        terms: tuple[str, ...] = (),
        offset: int | None = None,
        focus: bool = True,
        bookmark: Any = None,
        prefix_words: int | None = None,
        exact: bool = False,
    ) -> bool:
        """Show an article: at a bookmark, at the query's hits, on a followed entity, or where it was left."""
        screen = self.screen
        self.save_position()
        try:
            article = self.library.article(article_id)
        except ArticleNotFound:
            screen.notify("That article is no longer in the library.", severity="warning", markup=False)
            return False
        except EXPECTED as exc:
            screen.notify(describe(exc), title="Cannot open", severity="error", markup=False)
            return False
        except Exception as exc:  # noqa: BLE001 - logged and shown (raised in tests)
            self.unexpected("opening an article", exc)
            return False
        reading, article_list = screen.reading, screen.article_list
        reading.show(article)
        first = self.open_id is None
        self.open_id = article_id
        if first:
            screen.update_layout()  # the list had the reading pane's room while it was empty
        screen.sidebar.set_mentions(reading.mentions)
        screen.sidebar.set_filtering(article_list.entity_filter)
        screen.bookmarks.article_opened(article, focus_id=bookmark.id if bookmark else None)
        if bookmark is not None:
            # where the store last saw it; moved when the re-anchored offsets come in
            screen.bookmarks.show(bookmark)
        elif query or terms:
            screen.searcher.find_hits(article_id, query, terms, offset, prefix_words, exact)
        elif not screen.entities.land_on_followed():
            position = screen.marks.position(article_id)
            if position:
                reading.scroll_to_offset(position)
        screen.marks.mark_read(article_id)
        article_list.mark_read(article_id)
        article_list.set_open(article_id)
        article_list.select_id(article_id)
        if focus:
            screen.set_focus(reading)
        return True

    def open_bookmark(self, bookmark: Any) -> bool:
        """Open the bookmark's article with the passage cursor on it."""
        return self.open(bookmark.article, bookmark=bookmark)

    def step(self, direction: int) -> None:
        """Open the next (1) or previous (-1) article of the list."""
        ids = self.screen.article_list.row_ids
        if not ids:
            return
        try:
            index = ids.index(self.open_id) + direction if self.open_id else 0
        except ValueError:
            index = 0
        if 0 <= index < len(ids):
            self.open(ids[index])
        else:
            self.screen.app.bell()

    def mark_read(self, article_id: str, read: bool) -> None:
        self.screen.marks.mark_read(article_id, read)
