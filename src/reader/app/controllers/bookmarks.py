"""Bookmarks: the dialog that adds or edits one, and every store operation.

The store is the user's data (``index/bookmarks.sqlite``), written durably,
so every call to it runs in a worker: loading the open article's bookmarks
(re-anchored first, so highlights land on the right characters), listing
and filtering them for the pane, deleting, restoring and exporting. A
failure is shown where it happened and never loses what was typed.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.content import Content
from textual.style import Style
from textual.worker import get_current_worker

from ...bookmarks import BookmarkNotFound
from ..messages import ArticleBookmarks, BookmarksLoaded, BookmarkStored
from ..safe import safe_inline
from ..screens.bookmark_dialog import BookmarkDialog, BookmarkDraft, ConfirmDialog
from ..widgets.bookmarks_pane import BookmarksPane, quoted
from ..widgets.reading import ReadingPane

if TYPE_CHECKING:
    from ..screens.main import MainScreen

from ..exports import export_folder, write_whole
from .base import EXPECTED, Controller, describe

#: What a delete or restore can meet besides a broken store: the bookmark is gone already.
_WRITE_ERRORS: tuple[type[Exception], ...] = (*EXPECTED, BookmarkNotFound)


class Bookmarks(Controller):
    """The open article's bookmarks, the bookmarks pane's list, and the writes."""

    def __init__(self, screen: MainScreen) -> None:
        super().__init__(screen)
        self.article_bookmarks: dict[str, Any] = {}  # the open article's, by id
        self.known_tags: set[str] = set()
        self.deleted: list[Any] = []  # bookmarks deleted this session, newest last (u undoes)
        self._marks_sequence = 0  # orders ArticleBookmarks
        self._list_sequence = 0  # orders BookmarksLoaded
        self._problem_shown = False

    @property
    def pane(self) -> BookmarksPane:
        return self.screen.bookmarks_pane

    # -- the open article's bookmarks ---------------------------------------------------

    def article_opened(self, article: Any, focus_id: str | None = None) -> None:
        """Load (and first re-anchor) a newly opened article's bookmarks; ``focus_id`` gets the passage cursor."""
        self.article_bookmarks = {}
        self._load_article(article, reanchor=True, focus_id=focus_id)

    def _load_article(self, article: Any, *, reanchor: bool, focus_id: str | None = None) -> None:
        self._marks_sequence += 1
        self.run(
            self._load_for_article, article, self._marks_sequence, reanchor, focus_id, group="article-bookmarks"
        )

    def _load_for_article(self, article: Any, sequence: int, reanchor: bool, focus_id: str | None) -> None:
        worker = get_current_worker()
        bookmarks, error = [], ""
        try:
            store = self.library.bookmarks
            bookmarks = store.reanchor_article(article) if reanchor else store.list(article=article.id)
        except EXPECTED as exc:  # too new, damaged, busy…
            error = describe(exc)
        except Exception as exc:  # noqa: BLE001 - logged and shown (raised in tests)
            error = self.unexpected("loading the article's bookmarks", exc)
        if worker.is_cancelled:
            return
        self.post(ArticleBookmarks(sequence, article.id, list(bookmarks), error, focus_id))

    def article_loaded(self, message: ArticleBookmarks) -> None:
        if message.sequence != self._marks_sequence or message.article_id != self.screen.open_id:
            return
        if message.error:
            self._problem(message.error)
            return
        self.article_bookmarks = {bookmark.id: bookmark for bookmark in message.bookmarks}
        reading = self.screen.reading
        reading.set_bookmarks(message.bookmarks)
        for bookmark in message.bookmarks:
            self.known_tags.update(bookmark.tags)
        focused = self.article_bookmarks.get(message.focus_id) if message.focus_id else None
        if focused is not None and not focused.orphaned:
            start, end = reading.remap_offset(focused.start), reading.remap_offset(focused.end)
            if reading.passage != (start, end):
                reading.set_passage(start, end, "bookmark", scroll=False)
                reading.show_passage(context=True)

    def _problem(self, error: str) -> None:
        """The bookmark store cannot be used: say so once (the pane shows it too)."""
        if self._problem_shown:
            return
        self._problem_shown = True
        self.screen.notify(error, title="Bookmarks unavailable", severity="error", timeout=10, markup=False)

    def refresh_article(self) -> None:
        """Reload the open article's bookmarks (after a change made here)."""
        article = self.screen.reading.article
        if article is not None:
            self._load_article(article, reanchor=False)

    def show(self, bookmark: Any) -> None:
        """Put the passage cursor on ``bookmark`` in the open article (where the store last saw it)."""
        reading = self.screen.reading
        if reading.article is None:
            return
        if bookmark.orphaned or not (0 <= bookmark.start < bookmark.end <= len(reading.article.body)):
            self.screen.notify(
                "This bookmark's passage is no longer in the article (it is kept, with its quote and note).",
                title="Orphaned bookmark",
                severity="warning",
                markup=False,
            )
            return
        start, end = reading.remap_offset(bookmark.start), reading.remap_offset(bookmark.end)
        reading.set_passage(start, end, "bookmark", scroll=False)
        reading.show_passage(context=True)

    # -- the dialog ------------------------------------------------------------------

    def requested(self, message: ReadingPane.BookmarkRequested) -> None:
        """``b`` in the reading pane: a new bookmark on the passage, or edit the one there."""
        article = self.screen.reading.article
        if article is None:
            return
        existing = self.article_bookmarks.get(message.bookmark_id) if message.bookmark_id else None
        if existing is not None:
            self.edit(existing)
            return
        start, end = message.start, message.end
        quote = article.body[start:end]
        library = self.library

        def save(note: str, tags: tuple[str, ...]) -> Any:
            return library.bookmarks.add_for_article(article, quote, start=start, end=end, note=note, tags=tags)

        draft = BookmarkDraft(quote=quote, title=article.title, date=article.date)
        self.screen.app.push_screen(BookmarkDialog(draft, save, known_tags=self.known_tags), callback=self._saved)

    def edit(self, bookmark: Any) -> None:
        library = self.library

        def save(note: str, tags: tuple[str, ...]) -> Any:
            return library.bookmarks.update(bookmark.id, note=note, tags=tags)

        draft = BookmarkDraft(
            quote=bookmark.quote,
            title=bookmark.title or bookmark.article,
            date=bookmark.date,
            note=bookmark.note,
            tags=tuple(bookmark.tags),
            editing=True,
        )
        self.screen.app.push_screen(BookmarkDialog(draft, save, known_tags=self.known_tags), callback=self._saved)

    def _saved(self, bookmark: Any) -> None:
        """The dialog closed: with the stored bookmark (the store call returned), or None."""
        if bookmark is None:
            return
        self.known_tags.update(bookmark.tags)
        self.screen.notify("Bookmark saved", timeout=3, markup=False)
        self._changed(bookmark, keep=bookmark.id)

    def _changed(self, bookmark: Any, keep: str | None = None) -> None:
        """Show a change to ``bookmark`` in the reading pane and the bookmarks pane."""
        if bookmark is not None and bookmark.article == self.screen.open_id:
            self.refresh_article()
        if self.screen.bookmarks_open:
            self.reload(keep=keep)

    # -- the bookmarks pane ----------------------------------------------------------

    def reload(self, keep: str | None = None) -> None:
        """List the bookmarks matching the pane's filter again (``keep``: highlight that id)."""
        self.load(self.pane.filter_sent, keep)

    def load(self, text: str, keep: str | None = None) -> None:
        self._list_sequence += 1
        self.run(self._load, self._list_sequence, text, keep, group="bookmarks")

    def _load(self, sequence: int, text: str, keep: str | None) -> None:
        worker = get_current_worker()
        bookmarks, total, error = [], 0, ""
        try:
            store = self.library.bookmarks
            bookmarks = store.search(text) if text else store.list()
            total = len(store) if text else len(bookmarks)
        except EXPECTED as exc:
            error = f"Bookmarks unavailable: {exc}" if str(exc) else f"Bookmarks unavailable ({type(exc).__name__})"
        except Exception as exc:  # noqa: BLE001 - logged and shown (raised in tests)
            error = self.unexpected("listing the bookmarks", exc)
        if worker.is_cancelled:
            return
        self.post(BookmarksLoaded(sequence, text, bookmarks, total, error, keep))

    def loaded(self, message: BookmarksLoaded) -> None:
        if message.sequence != self._list_sequence:
            return
        if message.error:
            self.pane.show_error(message.error)
            return
        for bookmark in message.bookmarks:
            self.known_tags.update(bookmark.tags)
        self.pane.undoable = len(self.deleted)  # "none left" reads differently from "none yet"
        self.pane.show_bookmarks(message.text, message.bookmarks, message.total, keep=message.keep)

    # -- delete, undo, export ----------------------------------------------------------

    def delete_requested(self, message: BookmarksPane.DeleteRequested) -> None:
        bookmark = message.bookmark
        question = Content.assemble(
            "Delete this bookmark?\n",
            (quoted(safe_inline(bookmark.quote, 160)), Style(italic=True)),
            "\n",
            ("in " + (safe_inline(bookmark.title, 100) or safe_inline(bookmark.article, 80)), Style(dim=True)),
            "\n(u in the bookmarks list brings it back)",
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.run(self._write, "delete", bookmark, group="bookmark-write", exclusive=False)

        self.screen.app.push_screen(ConfirmDialog("Delete bookmark", question), callback=answered)

    def undo(self) -> None:
        if not self.deleted:
            self.screen.notify("Nothing to undo: no bookmark was deleted in this session.", timeout=3, markup=False)
            return
        self.run(self._write, "undo", self.deleted[-1], group="bookmark-write", exclusive=False)

    def _write(self, action: str, bookmark: Any) -> None:
        """Delete or restore one bookmark (a durable store write, off the event loop)."""
        verb = "delete" if action == "delete" else "restore"
        try:
            store = self.library.bookmarks
            if action == "delete":
                self.post(BookmarkStored("deleted", store.delete(bookmark.id)))
            else:
                self.post(BookmarkStored("restored", store.undo_delete(bookmark.id)))
        except _WRITE_ERRORS as exc:
            self.post(BookmarkStored(action, bookmark, f"Could not {verb} the bookmark: {exc}"))
        except Exception as exc:  # noqa: BLE001 - logged and shown (raised in tests)
            self.post(BookmarkStored(action, bookmark, self.unexpected(f"trying to {verb} a bookmark", exc)))

    def export(self, message: BookmarksPane.ExportRequested) -> None:
        """Ask where (starting in the documents folder, else downloads, else home; never
        silently the current folder), then write it there in a worker."""
        from ..screens.export_dialog import ExportDialog

        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        default = export_folder() / f"bookmarks-{stamp}.md"
        bookmarks = message.bookmarks

        def chosen(path: Path | None) -> None:
            if path is not None:
                self.run(self._export, bookmarks, path, group="bookmark-write", exclusive=False)

        self.screen.app.push_screen(ExportDialog(default, len(bookmarks)), callback=chosen)

    def _export(self, bookmarks: list[Any], path: Path) -> None:
        try:
            from ...citation import add_citations, details_from

            oldest_first = list(reversed(bookmarks))
            details = details_from(self.library)
            if path.suffix.lower() == ".json":  # the same document as `reader bookmarks export --format json`
                document = self.library.bookmarks.export_document(oldest_first)
                add_citations(document["bookmarks"], details)
                text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
            else:
                text = self.library.bookmarks.export_markdown(oldest_first, details)
            write_whole(path, text)
        except EXPECTED as exc:
            self.post(BookmarkStored("exported", None, f"Could not export the bookmarks: {exc}"))
        except Exception as exc:  # noqa: BLE001 - logged and shown (raised in tests)
            self.post(BookmarkStored("exported", None, self.unexpected("exporting the bookmarks", exc)))
        else:
            self.post(BookmarkStored("exported", None, "", str(path), len(bookmarks)))

    def stored(self, message: BookmarkStored) -> None:
        screen = self.screen
        if message.error:
            screen.notify(message.error, title="Bookmarks", severity="error", timeout=8, markup=False)
            if screen.bookmarks_open:
                self.pane.show_error(message.error)
            return
        bookmark: Any = message.bookmark
        if message.action == "deleted":
            self.deleted.append(bookmark)
            screen.notify("Bookmark deleted. Press u in the bookmarks list to undo.", timeout=6, markup=False)
        elif message.action == "restored":
            self.deleted = [b for b in self.deleted if b.id != bookmark.id]
            screen.notify("Bookmark restored.", timeout=3, markup=False)
        elif message.action == "exported":
            count = message.count
            screen.notify(
                f"Exported {count} bookmark{'s' if count != 1 else ''} to {message.path}",
                title="Bookmarks",
                timeout=8,
                markup=False,
            )
            return
        self._changed(bookmark, keep=bookmark.id if message.action == "restored" else None)
