"""The main screen: article list, reading pane, entity sidebar, search pane.

It coordinates: widgets post messages up, the screen calls the library (in
thread workers for anything that can take a while) and sets attributes on
the widgets. Workers never touch widgets; they post messages.
"""

from __future__ import annotations

import gc
import os
import threading
from datetime import datetime
from pathlib import Path
from time import monotonic, perf_counter

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.css.query import NoMatches
from textual.events import DescendantFocus, Resize
from textual.screen import Screen
from textual.style import Style
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Footer, Input
from textual.worker import get_current_worker

from ...library import ArticleNotFound, QueryError
from ...model import ENTITY_KIND_LABELS, ENTITY_KINDS
from ..marks import ReadMarks
from ..messages import (
    ArticleBookmarks,
    BookmarksLoaded,
    BookmarkStored,
    EntityArticles,
    HitsFound,
    NewestLoaded,
    OpenArticle,
    SearchCounted,
    SearchDone,
    SummariesLoaded,
    SyncFinished,
    SyncNeeded,
    SyncProgress,
)
from ..newest import NewestRows
from ..safe import safe_inline
from ..widgets.article_list import ArticleList, make_rows
from ..widgets.bookmarks_pane import BookmarkList, BookmarksPane, quoted
from ..widgets.entity_sidebar import EntityList, EntitySidebar
from ..widgets.reading import DEFAULT_KINDS, ReadingPane, term_spans
from ..widgets.search_pane import SearchPane
from ..widgets.sync_bar import SyncBar
from .bookmark_dialog import BookmarkDialog, BookmarkDraft, ConfirmDialog

#: Results fetched per as-you-type query.
SEARCH_LIMIT = 30
#: While typing, the unfinished word stands for its most frequent completion
#: (``pre`` -> ``president``): 1/6 of the time of its 64 most frequent words
#: at 100k articles. A ``*`` typed by the user searches them all.
TYPING_PREFIX_WORDS = 1
#: Seconds the results of a query must stay current before their count starts:
#: longer than the usual gap between two keys, so that counts run once typing
#: pauses instead of competing with the next key's search.
COUNT_DELAY = 0.3
#: Widths at which side panes collapse: below NARROW only two panes show,
#: below TINY only the focused one.
NARROW = 100
TINY = 60
#: Narrowest reading pane shown next to both side panes; below it one side pane hides.
MIN_READING = 44
#: The entity sidebar opens by itself when the terminal is at least this wide.
SIDEBAR_AUTO = 150
#: Lists this long are filtered when typing pauses, not on every key.
BIG_LIST = 20_000
FILTER_DEBOUNCE = 0.12
#: Refresh the list this often while indexing (seconds).
REFRESH_DURING_SYNC = 1.0
#: The longest the full load waits for the newest rows (``NewestRows``) to be drawn (seconds).
FIRST_DRAW_WAIT = 1.0


def _kind_binding(number: int, kind: str) -> Binding:
    label = ENTITY_KIND_LABELS.get(kind, kind)
    return Binding(
        str(number),
        f"toggle_kind('{kind}')",
        f"Toggle {label.lower()}",
        show=False,
        id=f"main.toggle_{kind}",
    )


class MainScreen(Screen, inherit_bindings=False):
    """Everything on one screen; panes collapse on small terminals."""

    BINDINGS = [
        # Keys that move focus are priority bindings: they act when the key
        # arrives, so what is typed right after ("/lighth") reaches the new pane.
        Binding("slash", "search", "Search", priority=True, id="main.search"),
        Binding("e", "entities", "Entities", priority=True, id="main.entities"),
        Binding("f", "filter", "Filter", priority=True, id="main.filter"),
        Binding("B", "bookmarks", "Bookmarks", priority=True, id="main.bookmarks"),
        Binding("tab", "focus_pane(1)", "Next pane", show=False, priority=True, id="main.next_pane"),
        Binding(
            "shift+tab", "focus_pane(-1)", "Previous pane", show=False, priority=True, id="main.previous_pane"
        ),
        Binding("escape", "back", "Back", show=False, id="main.back"),
        Binding("z", "zen", "Zoom pane", show=False, id="main.zoom"),
        Binding("ctrl+c", "screen.copy_text", "Copy selection", show=False, id="main.copy"),
        *(_kind_binding(number, kind) for number, kind in enumerate(ENTITY_KINDS, 1)),
    ]

    def __init__(self, library, marks: ReadMarks, *, sync: bool = True, newest: NewestRows | None = None) -> None:
        super().__init__()
        self.library = library
        self.newest = newest if newest is not None else NewestRows(library)
        self.marks = marks
        self.sync_on_start = sync
        self.kinds: set[str] = set(DEFAULT_KINDS)
        self.left_view = "list"  # what the left column shows: "list", "search" or "bookmarks"
        self.entities_open: bool | None = None  # decided from the width on first layout
        self.syncing = False
        self.open_id: str | None = None
        self._side = "left"  # the side pane shown next to the reading pane when narrow
        self._active = "left"  # the pane with focus (the only one shown when tiny)
        self._search_sequence = 0
        self._entity_ids: dict[tuple[str, str], list[str]] = {}
        self._pending_filter: tuple[str, str] | None = None
        self._followed_entity: tuple[str, str] | None = None
        self._last_list_refresh = 0.0
        self.last_search_seconds = 0.0
        self._filter_timer: Timer | None = None
        self._marks_sequence = 0  # orders ArticleBookmarks
        self._bookmarks_sequence = 0  # orders BookmarksLoaded
        self.article_bookmarks: dict[str, object] = {}  # the open article's, by id
        self.known_tags: set[str] = set()
        self.deleted: list = []  # bookmarks deleted this session, newest last (u undoes)
        self._bookmark_problem_shown = False
        self._newest_drawn = threading.Event()

    @property
    def active_bindings(self):
        """The footer's keys with "? Help" first, so it shows however narrow the terminal."""
        bindings = super().active_bindings
        first = {key: active for key, active in bindings.items() if active.binding.id == "app.help"}
        return {**first, **{key: active for key, active in bindings.items() if key not in first}}

    @property
    def searching(self) -> bool:
        return self.left_view == "search"

    @searching.setter
    def searching(self, value: bool) -> None:
        if value:
            self.left_view = "search"
        elif self.left_view == "search":
            self.left_view = "list"

    @property
    def bookmarks_open(self) -> bool:
        return self.left_view == "bookmarks"

    # -- composition -----------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            with Vertical(id="left", classes="pane"):
                yield Input(
                    placeholder="Filter titles, sources, authors",
                    id="list-filter",
                    compact=True,
                    select_on_focus=False,
                )
                yield ArticleList(id="article-list")
            yield SearchPane(id="search", classes="pane")
            yield BookmarksPane(id="bookmarks", classes="pane")
            yield ReadingPane(id="reading", classes="pane")
            yield EntitySidebar(id="entities", classes="pane")
        yield SyncBar(id="sync")
        yield Footer()

    @property
    def article_list(self) -> ArticleList:
        return self.query_one(ArticleList)

    @property
    def reading(self) -> ReadingPane:
        return self.query_one(ReadingPane)

    @property
    def sidebar(self) -> EntitySidebar:
        return self.query_one(EntitySidebar)

    @property
    def search(self) -> SearchPane:
        return self.query_one(SearchPane)

    @property
    def bookmarks_pane(self) -> BookmarksPane:
        return self.query_one(BookmarksPane)

    def on_mount(self) -> None:
        self.reading.border_title = "Article"
        self.bookmarks_pane.display = False
        try:
            self.article_list.set_read(self.marks.read_ids())
        except Exception:
            pass
        self.reading.set_kinds(self.kinds)
        self.sidebar.set_kinds(self.kinds)
        self.query_one("#list-filter").display = False
        self.query_one(SyncBar).display = False
        self.set_focus(self.article_list)
        self._update_layout()
        if self.newest.wait(0):  # usually: then the newest rows are in the first paint
            self._show_newest()
        self.load_summaries(check_pending=self.sync_on_start, startup=True)

    def on_unmount(self) -> None:
        if self.syncing and hasattr(self.app, "interrupted_sync"):
            self.app.interrupted_sync = True

    # -- loading and syncing (workers) ------------------------------------------

    @work(thread=True, exclusive=True, group="summaries")
    def load_summaries(self, check_pending: bool = False, startup: bool = False) -> None:
        worker = get_current_worker()
        if startup:
            self.newest.wait()  # one reader of the library at a time
            if self.newest.summaries:
                self.post_message(NewestLoaded())  # ignored when on_mount showed them
                # let them be drawn first: building every row competes for the interpreter
                self._newest_drawn.wait(FIRST_DRAW_WAIT)
        error = ""
        try:
            rows = make_rows(self.library.articles())
        except Exception as exc:  # no index yet, unreadable index…
            rows, error = [], f"{type(exc).__name__}: {exc}"
        if worker.is_cancelled:
            return
        self.post_message(SummariesLoaded(rows, error))
        if check_pending:
            try:
                pending = self.library.pending()
            except Exception:
                pending = 0 if rows else 1
            if pending > 0 or not rows:
                self.post_message(SyncNeeded(pending))
            elif not worker.is_cancelled:
                # open the searcher now, so the first keystroke in / is not the slow one
                try:
                    self.library.search("warmup", limit=1, snippets=False)
                except Exception:
                    pass

    @on(SummariesLoaded)
    def _summaries_loaded(self, message: SummariesLoaded) -> None:
        article_list = self.article_list
        article_list.empty_message = (
            "Indexing… articles appear as they are added."
            if self.syncing
            else "No articles. Put .txt/.md/.html files in the articles folder."
        )
        article_list.set_rows(message.summaries)
        # The list holds an object or more per article; left to the collector,
        # each full collection walks them all (90-130 ms at 100k articles, a
        # visible stall while typing a search). They live until the next load.
        gc.freeze()

    @on(NewestLoaded)
    def _show_newest(self) -> None:
        """Show the newest rows while the rest load."""
        newest, article_list = self.newest, self.article_list
        if article_list.total:  # shown already (by on_mount), or every row is in
            return
        if not newest.summaries:
            self._newest_drawn.set()
            return
        article_list.set_first_rows(make_rows(newest.summaries), newest.total)
        self.call_after_refresh(self._newest_drawn.set)

    @on(SyncNeeded)
    def _sync_needed(self, message: SyncNeeded) -> None:
        self.start_sync(message.pending)

    def start_sync(self, pending: int = 0) -> None:
        if self.syncing:
            return
        self.syncing = True
        bar = self.query_one(SyncBar)
        bar.display = True
        bar.update_label(f"Indexing {pending:,} new or changed articles…" if pending > 0 else "Indexing…")
        self.article_list.empty_message = "Indexing… articles appear as they are added."
        self.article_list.refresh()
        self.run_sync()

    @work(thread=True, exclusive=True, group="sync")
    def run_sync(self) -> None:
        worker = get_current_worker()
        last = 0.0

        def progress(done: int, total: int, path: str) -> None:
            nonlocal last
            now = monotonic()
            if now - last >= 0.05 or done >= total:
                last = now
                self.post_message(SyncProgress(done, total))

        try:
            report = self.library.sync(progress=progress, cancelled=lambda: worker.is_cancelled)
        except Exception as exc:
            self.post_message(SyncFinished(None, f"{type(exc).__name__}: {exc}"))
        else:
            self.post_message(SyncFinished(report))

    @on(SyncProgress)
    def _sync_progress(self, message: SyncProgress) -> None:
        self.query_one(SyncBar).update_progress(message.done, message.total)
        now = monotonic()
        if now - self._last_list_refresh >= REFRESH_DURING_SYNC:
            self._last_list_refresh = now
            self.load_summaries()

    @on(SyncFinished)
    def _sync_finished(self, message: SyncFinished) -> None:
        self.syncing = False
        self.query_one(SyncBar).display = False
        if message.error:
            self.notify(message.error, title="Indexing failed", severity="error", markup=False)
        elif message.report is not None:
            report = message.report
            changes = len(report.added) + len(report.changed) + len(report.removed)
            if changes or report.skipped:
                parts = [f"{len(report.added)} added"]
                if report.changed:
                    parts.append(f"{len(report.changed)} changed")
                if report.removed:
                    parts.append(f"{len(report.removed)} removed")
                if report.skipped:
                    parts.append(f"{len(report.skipped)} skipped")
                self.notify(", ".join(parts), title="Index updated", markup=False)
        self.load_summaries()
        if self.bookmarks_open:  # the sync re-anchored bookmarks, maybe orphaned some
            self.reload_bookmarks()

    # -- opening articles ------------------------------------------------------

    @on(OpenArticle)
    def _open_message(self, message: OpenArticle) -> None:
        self.open_article(
            message.article_id,
            query=message.query,
            terms=message.terms,
            offset=message.offset,
            focus=message.focus,
        )

    @on(ArticleList.Selected)
    def _list_selected(self, message: ArticleList.Selected) -> None:
        self.open_article(message.article_id)

    def save_position(self) -> None:
        if self.open_id is None:
            return
        try:
            self.marks.set_position(self.open_id, self.reading.top_offset())
        except Exception:
            pass

    def open_article(
        self,
        article_id: str,
        *,
        query: str = "",
        terms: tuple[str, ...] = (),
        offset: int | None = None,
        focus: bool = True,
        bookmark=None,
        prefix_words: int | None = None,
    ) -> bool:
        self.save_position()
        try:
            article = self.library.article(article_id)
        except ArticleNotFound:
            self.notify("That article is no longer in the library.", severity="warning", markup=False)
            return False
        except Exception as exc:
            self.notify(f"{type(exc).__name__}: {exc}", title="Cannot open", severity="error", markup=False)
            return False
        reading = self.reading
        reading.show(article)
        self.open_id = article_id
        self.article_bookmarks = {}
        self.sidebar.set_mentions(reading.mentions)
        self.sidebar.set_filtering(self.article_list.entity_filter)
        self._marks_sequence += 1
        self.load_article_bookmarks(article, self._marks_sequence, focus_id=bookmark.id if bookmark else None)
        followed = self._followed_entity
        if bookmark is not None:
            # where the store last saw it; moved when the re-anchored offsets come in
            self._show_bookmark(bookmark)
        elif query or terms:
            self.find_hits(article_id, query, terms, offset, prefix_words)
        elif followed is not None and self.article_list.entity_filter == followed[0] and reading.mentions_of(*followed):
            # following someone through the filtered list: land on their first mention
            self.sidebar.select(*followed)
            reading.target_entity(*followed)
            reading.go_to_target(0)
        else:
            try:
                position = self.marks.position(article_id)
            except Exception:
                position = None
            if position:
                reading.scroll_to_offset(position)
        try:
            self.marks.mark_read(article_id)
        except Exception:
            pass
        self.article_list.mark_read(article_id)
        self.article_list.set_open(article_id)
        self.article_list.select_id(article_id)
        if focus:
            self.set_focus(reading)
        return True

    def _show_bookmark(self, bookmark) -> None:
        reading = self.reading
        if bookmark.orphaned or not (0 <= bookmark.start < bookmark.end <= len(reading.article.body)):
            self.notify(
                "This bookmark's passage is no longer in the article (it is kept, with its quote and note).",
                title="Orphaned bookmark",
                severity="warning",
                markup=False,
            )
            return
        start, end = reading.remap_offset(bookmark.start), reading.remap_offset(bookmark.end)
        reading.set_passage(start, end, "bookmark", scroll=False)
        reading.show_passage(context=True)

    @work(thread=True, exclusive=True, group="article-bookmarks")
    def load_article_bookmarks(self, article, sequence: int, *, reanchor: bool = True, focus_id: str | None = None) -> None:
        """The article's bookmarks, re-anchored first so highlights land on the right characters."""
        worker = get_current_worker()
        bookmarks, error = [], ""
        try:
            store = self.library.bookmarks
            bookmarks = store.reanchor_article(article) if reanchor else store.list(article=article.id)
        except Exception as exc:  # no store (a library without one), too new, damaged, busy…
            error = str(exc) or type(exc).__name__
        if worker.is_cancelled:
            return
        self.post_message(ArticleBookmarks(sequence, article.id, list(bookmarks), error, focus_id))

    @on(ArticleBookmarks)
    def _article_bookmarks(self, message: ArticleBookmarks) -> None:
        if message.sequence != self._marks_sequence or message.article_id != self.open_id:
            return
        if message.error:
            self._bookmark_problem(message.error)
            return
        self.article_bookmarks = {bookmark.id: bookmark for bookmark in message.bookmarks}
        reading = self.reading
        reading.set_bookmarks(message.bookmarks)
        for bookmark in message.bookmarks:
            self.known_tags.update(bookmark.tags)
        focused = self.article_bookmarks.get(message.focus_id) if message.focus_id else None
        if focused is not None and not focused.orphaned:
            start, end = reading.remap_offset(focused.start), reading.remap_offset(focused.end)
            if reading.passage != (start, end):
                reading.set_passage(start, end, "bookmark", scroll=False)
                reading.show_passage(context=True)

    def _bookmark_problem(self, error: str) -> None:
        """The bookmark store cannot be used: say so once (the pane shows it too)."""
        if self._bookmark_problem_shown:
            return
        self._bookmark_problem_shown = True
        self.notify(error, title="Bookmarks unavailable", severity="error", timeout=10, markup=False)

    def refresh_article_bookmarks(self) -> None:
        """Reload the open article's bookmarks (after a change made here)."""
        article = self.reading.article
        if article is None:
            return
        self._marks_sequence += 1
        self.load_article_bookmarks(article, self._marks_sequence, reanchor=False)

    @work(thread=True, exclusive=True, group="hits")
    def find_hits(
        self, article_id: str, query: str, terms: tuple[str, ...], offset: int | None, prefix_words: int | None = None
    ) -> None:
        spans: list[tuple[int, int]] = []
        try:
            if query and hasattr(self.library, "hit_spans"):
                options = {"prefix_words": prefix_words} if prefix_words else {}
                spans = list(self.library.hit_spans(query, article_id, **options))
            elif terms:
                spans = term_spans(self.library.article(article_id).body, terms)
        except Exception:
            spans = []
        self.post_message(HitsFound(article_id, query, spans, offset))

    @on(HitsFound)
    def _hits_found(self, message: HitsFound) -> None:
        if message.article_id != self.open_id:
            return
        reading = self.reading
        reading.set_hits(message.spans)
        if reading.targets and reading.target_label == "match":
            reading.go_to_target(0)
        elif message.offset is not None:
            reading.scroll_to_offset(reading.remap_offset(message.offset), context=True)

    @on(ArticleList.ReadToggled)
    def _read_toggled(self, message: ArticleList.ReadToggled) -> None:
        try:
            self.marks.mark_read(message.article_id, message.read)
        except Exception:
            pass

    @on(ReadingPane.StepArticle)
    def _step_article(self, message: ReadingPane.StepArticle) -> None:
        ids = self.article_list.row_ids
        if not ids:
            return
        try:
            index = ids.index(self.open_id) + message.direction
        except ValueError:
            index = 0
        if 0 <= index < len(ids):
            self.open_article(ids[index])
        else:
            self.app.bell()

    # -- bookmarks ------------------------------------------------------------------

    def handle_now(self, message) -> bool:
        """Requests that open a dialog, handled when their key arrives (messages.deliver_now)."""
        if isinstance(message, ReadingPane.BookmarkRequested):
            self._bookmark_requested(message)
        elif isinstance(message, BookmarksPane.EditRequested):
            self.edit_bookmark(message.bookmark)
        elif isinstance(message, BookmarksPane.DeleteRequested):
            self._delete_requested(message)
        else:
            return False
        return True

    @on(ReadingPane.BookmarkRequested)
    def _bookmark_requested(self, message: ReadingPane.BookmarkRequested) -> None:
        article = self.reading.article
        if article is None:
            return
        existing = self.article_bookmarks.get(message.bookmark_id) if message.bookmark_id else None
        if existing is not None:
            self.edit_bookmark(existing)
            return
        start, end = message.start, message.end
        quote = article.body[start:end]
        library = self.library

        def save(note: str, tags: tuple[str, ...]):
            return library.bookmarks.add_for_article(article, quote, start=start, end=end, note=note, tags=tags)

        draft = BookmarkDraft(quote=quote, title=article.title, date=article.date)
        self.app.push_screen(
            BookmarkDialog(draft, save, known_tags=self.known_tags), callback=self._bookmark_saved
        )

    def edit_bookmark(self, bookmark) -> None:
        library = self.library

        def save(note: str, tags: tuple[str, ...]):
            return library.bookmarks.update(bookmark.id, note=note, tags=tags)

        draft = BookmarkDraft(
            quote=bookmark.quote,
            title=bookmark.title or bookmark.article,
            date=bookmark.date,
            note=bookmark.note,
            tags=tuple(bookmark.tags),
            editing=True,
        )
        self.app.push_screen(
            BookmarkDialog(draft, save, known_tags=self.known_tags), callback=self._bookmark_saved
        )

    def _bookmark_saved(self, bookmark) -> None:
        """The dialog closed: with the stored bookmark (the store call returned), or None."""
        if bookmark is None:
            return
        self.known_tags.update(bookmark.tags)
        self.notify("Bookmark saved", timeout=3, markup=False)
        if bookmark.article == self.open_id:
            self.refresh_article_bookmarks()
        if self.bookmarks_open:
            self.reload_bookmarks(keep=bookmark.id)

    @on(BookmarksPane.EditRequested)
    def _edit_requested(self, message: BookmarksPane.EditRequested) -> None:
        self.edit_bookmark(message.bookmark)

    @on(BookmarksPane.Chosen)
    def _bookmark_chosen(self, message: BookmarksPane.Chosen) -> None:
        self.open_bookmark(message.bookmark)

    @on(SearchPane.BookmarkChosen)
    def _bookmark_found(self, message: SearchPane.BookmarkChosen) -> None:
        self.open_bookmark(message.bookmark)

    def open_bookmark(self, bookmark) -> bool:
        """Open the bookmark's article with the passage cursor on it."""
        return self.open_article(bookmark.article, bookmark=bookmark)

    def reload_bookmarks(self, keep: str | None = None) -> None:
        pane = self.bookmarks_pane
        self._bookmarks_sequence += 1
        self.load_bookmarks(self._bookmarks_sequence, pane.filter_sent, keep)

    @on(BookmarksPane.FilterChanged)
    def _bookmarks_filter(self, message: BookmarksPane.FilterChanged) -> None:
        self._bookmarks_sequence += 1
        self.load_bookmarks(self._bookmarks_sequence, message.text)

    @work(thread=True, exclusive=True, group="bookmarks")
    def load_bookmarks(self, sequence: int, text: str, keep: str | None = None) -> None:
        worker = get_current_worker()
        bookmarks, total, error = [], 0, ""
        try:
            store = self.library.bookmarks
            bookmarks = store.search(text) if text else store.list()
            total = len(store) if text else len(bookmarks)
        except Exception as exc:
            error = f"Bookmarks unavailable: {exc}" if str(exc) else f"Bookmarks unavailable ({type(exc).__name__})"
        if worker.is_cancelled:
            return
        self.post_message(BookmarksLoaded(sequence, text, bookmarks, total, error, keep))

    @on(BookmarksLoaded)
    def _bookmarks_loaded(self, message: BookmarksLoaded) -> None:
        if message.sequence != self._bookmarks_sequence:
            return
        pane = self.bookmarks_pane
        if message.error:
            pane.show_error(message.error)
            return
        for bookmark in message.bookmarks:
            self.known_tags.update(bookmark.tags)
        pane.show_bookmarks(message.text, message.bookmarks, message.total, keep=message.keep)

    @on(BookmarksPane.DeleteRequested)
    def _delete_requested(self, message: BookmarksPane.DeleteRequested) -> None:
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
                self.write_bookmark("delete", bookmark)

        self.app.push_screen(ConfirmDialog("Delete bookmark", question), callback=answered)

    @on(BookmarksPane.UndoRequested)
    def _undo_requested(self) -> None:
        if not self.deleted:
            self.notify("Nothing to undo: no bookmark was deleted in this session.", timeout=3, markup=False)
            return
        self.write_bookmark("undo", self.deleted[-1])

    @on(BookmarksPane.ExportRequested)
    def _export_requested(self, message: BookmarksPane.ExportRequested) -> None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        self.export_bookmarks(message.bookmarks, Path.cwd() / f"bookmarks-{stamp}.md")

    @work(thread=True, exclusive=False, group="bookmark-write")
    def write_bookmark(self, action: str, bookmark) -> None:
        """Delete or restore one bookmark (a durable store write, off the event loop)."""
        try:
            store = self.library.bookmarks
            if action == "delete":
                stored = store.delete(bookmark.id)
                self.post_message(BookmarkStored("deleted", stored))
            else:
                stored = store.undo_delete(bookmark.id)
                self.post_message(BookmarkStored("restored", stored))
        except Exception as exc:
            verb = "delete" if action == "delete" else "restore"
            self.post_message(BookmarkStored(action, bookmark, f"Could not {verb} the bookmark: {exc}"))

    @work(thread=True, exclusive=False, group="bookmark-write")
    def export_bookmarks(self, bookmarks: list, path: Path) -> None:
        try:
            text = self.library.bookmarks.export_markdown(list(reversed(bookmarks)))
            partial = path.with_name(path.name + ".partial")
            with open(partial, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(partial, path)
        except Exception as exc:
            self.post_message(BookmarkStored("exported", None, f"Could not export the bookmarks: {exc}"))
        else:
            self.post_message(BookmarkStored("exported", None, "", str(path), len(bookmarks)))

    @on(BookmarkStored)
    def _bookmark_stored(self, message: BookmarkStored) -> None:
        if message.error:
            self.notify(message.error, title="Bookmarks", severity="error", timeout=8, markup=False)
            if self.bookmarks_open:
                self.bookmarks_pane.show_error(message.error)
            return
        bookmark = message.bookmark
        if message.action == "deleted":
            self.deleted.append(bookmark)
            self.notify("Bookmark deleted. Press u in the bookmarks list to undo.", timeout=6, markup=False)
        elif message.action == "restored":
            self.deleted = [b for b in self.deleted if b.id != bookmark.id]
            self.notify("Bookmark restored.", timeout=3, markup=False)
        elif message.action == "exported":
            count = message.count
            self.notify(
                f"Exported {count} bookmark{'s' if count != 1 else ''} to {message.path}",
                title="Bookmarks",
                timeout=8,
                markup=False,
            )
            return
        if bookmark is not None and bookmark.article == self.open_id:
            self.refresh_article_bookmarks()
        if self.bookmarks_open:
            self.reload_bookmarks(keep=bookmark.id if message.action == "restored" else None)

    @on(BookmarksPane.Closed)
    def _bookmarks_closed(self) -> None:
        self.close_bookmarks()

    def open_bookmarks(self) -> None:
        if not self.bookmarks_open:
            self.left_view = "bookmarks"
            self._update_layout()
            self.reload_bookmarks()
        self.bookmarks_pane.focus_list()

    def close_bookmarks(self) -> None:
        if not self.bookmarks_open:
            return
        self.left_view = "list"
        self._update_layout()
        self.set_focus(self.article_list)

    def action_bookmarks(self) -> None:
        focused = self.focused
        if self.bookmarks_open and focused is not None and self._pane_of(focused) is self.bookmarks_pane:
            self.close_bookmarks()
        else:
            self.open_bookmarks()

    # -- search -----------------------------------------------------------------

    @on(SearchPane.QueryChanged)
    def _query_changed(self, message: SearchPane.QueryChanged) -> None:
        self._search_sequence += 1
        if message.scope == "bookmarks":
            self.search_bookmarks(self._search_sequence, message.query, message.text)
        else:
            self.run_search(self._search_sequence, message.query, message.text.strip(), message.completion)

    @work(thread=True, exclusive=True, group="search")
    def search_bookmarks(self, sequence: int, query: str, text: str) -> None:
        """``in:bookmarks text``: the bookmarks whose quote, note, tags or title have every word."""
        worker = get_current_worker()
        started = perf_counter()
        bookmarks, error = None, ""
        try:
            store = self.library.bookmarks
            bookmarks = store.search(text) if text else store.list()
        except Exception as exc:
            error = f"Bookmarks unavailable: {exc}"
        if worker.is_cancelled:
            return
        self.post_message(SearchDone(sequence, query, None, error, perf_counter() - started, bookmarks=bookmarks))

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, sequence: int, query: str, raw: str, completion: bool = False) -> None:
        """The top hits only: counting every match can take longer than finding them (see count_results)."""
        worker = get_current_worker()
        started = perf_counter()
        results, error = None, ""
        prefix_words = TYPING_PREFIX_WORDS if completion else None  # the "*" is ours, not the user's
        try:
            results = self.library.search(query, limit=SEARCH_LIMIT, count=False, prefix_words=prefix_words)
        except QueryError as exc:
            error = str(exc) or "Invalid query"
            if raw and raw != query:
                try:
                    results, error = self.library.search(raw, limit=SEARCH_LIMIT, count=False), ""
                    prefix_words = None
                except QueryError:
                    pass
                except Exception as other:
                    error = f"Search failed: {other}"
        except Exception as exc:
            error = f"Search failed: {type(exc).__name__}: {exc}"
        if worker.is_cancelled:
            return
        self.post_message(SearchDone(sequence, query, results, error, perf_counter() - started, prefix_words=prefix_words))

    @work(thread=True, exclusive=True, group="search-count")
    def count_results(self, sequence: int, query: str, prefix_words: int | None) -> None:
        worker = get_current_worker()

        def stale() -> bool:  # typing went on, or the app is closing
            return worker.is_cancelled or sequence != self._search_sequence

        try:
            total = self.library.count(query, prefix_words=prefix_words, cancelled=stale)
        except Exception:  # noqa: BLE001 - the hits are shown; the count stays "N+"
            return
        if total is not None and not stale():
            self.post_message(SearchCounted(sequence, query, total))

    @on(SearchCounted)
    def _search_counted(self, message: SearchCounted) -> None:
        if message.sequence == self._search_sequence:
            self.search.show_count(message.total)

    @on(SearchDone)
    def _search_done(self, message: SearchDone) -> None:
        if message.sequence != self._search_sequence:
            return
        self.last_search_seconds = message.seconds
        if message.bookmarks is not None:
            self.search.show_bookmarks(message.query, message.bookmarks)
        elif message.results is None:
            self.search.show_error(message.query, message.error)
        else:
            self.search.show_results(message.query, message.results)
            if not message.results.counted:
                # Counted once typing pauses: a count started on every key would
                # compete with the next key's search for the interpreter.
                query, prefix_words = message.results.query, message.prefix_words
                self.set_timer(COUNT_DELAY, lambda: self._count_if_current(message.sequence, query, prefix_words))

    def _count_if_current(self, sequence: int, query: str, prefix_words: int | None) -> None:
        if sequence == self._search_sequence:
            self.count_results(sequence, query, prefix_words)

    @on(SearchPane.ResultChosen)
    def _result_chosen(self, message: SearchPane.ResultChosen) -> None:
        prefix_words = TYPING_PREFIX_WORDS if message.completion else None  # highlight what was searched
        self.open_article(
            message.hit.id, query=message.query, terms=message.terms, offset=message.offset, prefix_words=prefix_words
        )

    @on(SearchPane.Closed)
    def _search_closed(self) -> None:
        self.close_search()

    def close_search(self) -> None:
        if not self.searching:
            return
        self.searching = False
        self._update_layout()
        self.set_focus(self.article_list)

    # -- entities ----------------------------------------------------------------

    @on(EntitySidebar.Chosen)
    def _entity_chosen(self, message: EntitySidebar.Chosen) -> None:
        reading = self.reading
        if reading.target_label != safe_inline(message.name, 40) or not reading.targets:
            reading.target_entity(message.name, message.kind)
        if reading.targets:
            reading.go_to_target(reading.target_index + 1)
        self._lookup_entity(message.name, message.kind)

    @on(EntitySidebar.Highlighted)
    def _entity_highlighted(self, message: EntitySidebar.Highlighted) -> None:
        self._lookup_entity(message.name, message.kind)

    @on(ReadingPane.MentionClicked)
    def _mention_clicked(self, message: ReadingPane.MentionClicked) -> None:
        mention = message.mention
        if not self.entities_open:
            self.entities_open = True
            self._update_layout()
        self.sidebar.select(mention.canonical, mention.kind)
        reading = self.reading
        reading.target_entity(mention.canonical, mention.kind)
        for index, target in enumerate(reading.targets):
            if target.start == mention.start:
                reading.go_to_target(index)
                break
        self._lookup_entity(mention.canonical, mention.kind)

    @on(ReadingPane.TargetChanged)
    def _target_changed(self, message: ReadingPane.TargetChanged) -> None:
        current = self.sidebar.current
        if current is not None and message.label == safe_inline(current.name, 40):
            self.sidebar.set_position(message.index, message.total)

    def _lookup_entity(self, name: str, kind: str) -> None:
        cached = self._entity_ids.get((name, kind))
        if cached is not None:
            self.sidebar.set_article_count(name, len(cached))
        else:
            self.fetch_entity_articles(name, kind)

    @work(thread=True, exclusive=True, group="entity")
    def fetch_entity_articles(self, name: str, kind: str) -> None:
        try:
            ids = list(self.library.entity_articles(name, kind))
        except TypeError:  # a library without the kind argument
            ids = list(self.library.entity_articles(name))
        except Exception:
            ids = []
        self.post_message(EntityArticles(name, kind, ids))

    @on(EntityArticles)
    def _entity_articles(self, message: EntityArticles) -> None:
        self._entity_ids[(message.name, message.kind)] = message.article_ids
        self.sidebar.set_article_count(message.name, len(message.article_ids))
        if self._pending_filter == (message.name, message.kind):
            self._pending_filter = None
            self._apply_entity_filter(message.name, message.kind, message.article_ids)

    @on(EntitySidebar.FilterRequested)
    def _filter_requested(self, message: EntitySidebar.FilterRequested) -> None:
        if self.article_list.entity_filter == message.name:
            self.article_list.set_entity_filter(None)
            self.sidebar.set_filtering(None)
            return
        ids = self._entity_ids.get((message.name, message.kind))
        if ids is None:
            self._pending_filter = (message.name, message.kind)
            self.fetch_entity_articles(message.name, message.kind)
        else:
            self._apply_entity_filter(message.name, message.kind, ids)

    def _apply_entity_filter(self, name: str, kind: str, ids: list[str]) -> None:
        self._followed_entity = (name, kind)
        self.article_list.set_entity_filter(name, ids)
        self.sidebar.set_filtering(name)
        if self.left_view != "list":
            self.left_view = "list"
            self._update_layout()
        self.set_focus(self.article_list)

    @on(ArticleList.TitleChanged)
    def _list_title(self, message: ArticleList.TitleChanged) -> None:
        left = self.query_one("#left")
        left.border_title = message.title
        left.border_subtitle = message.subtitle

    @on(ArticleList.FiltersCleared)
    def _filters_cleared(self) -> None:
        self.sidebar.set_filtering(None)
        filter_input = self.query_one("#list-filter", Input)
        with filter_input.prevent(Input.Changed):
            filter_input.value = ""
        filter_input.display = False

    # -- list filter -------------------------------------------------------------

    @on(Input.Changed, "#list-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        if self._filter_timer is not None:
            self._filter_timer.stop()
            self._filter_timer = None
        if self.article_list.total < BIG_LIST:
            self.article_list.filter_text = event.value
        else:  # let a fast typist finish the word before filtering 100k rows
            self._filter_timer = self.set_timer(FILTER_DEBOUNCE, self._apply_filter)

    def _apply_filter(self) -> None:
        self._filter_timer = None
        self.article_list.filter_text = self.query_one("#list-filter", Input).value

    @on(Input.Submitted, "#list-filter")
    def _filter_submitted(self) -> None:
        self.set_focus(self.article_list)

    # -- actions -------------------------------------------------------------------

    def action_search(self) -> None:
        if not self.searching:
            self.searching = True
            self._update_layout()
        self.search.focus_input()

    def action_filter(self) -> None:
        if self.bookmarks_open:
            self.bookmarks_pane.focus_filter()  # the left column's list is the bookmarks
            return
        if self.searching:
            self.close_search()
        filter_input = self.query_one("#list-filter", Input)
        filter_input.display = True
        self.set_focus(filter_input)

    def action_entities(self) -> None:
        entity_list = self.query_one(EntityList)
        if not self.entities_open:
            self.entities_open = True
            self._side = "entities"
            self._update_layout()
            self.set_focus(entity_list)
        elif entity_list.has_focus:
            self.entities_open = False
            self._update_layout()
            self.set_focus(self.reading)
        else:
            self._side = "entities"
            self.set_focus(entity_list)

    def action_toggle_kind(self, kind: str) -> None:
        if kind in self.kinds:
            self.kinds.discard(kind)
        else:
            self.kinds.add(kind)
        self.reading.set_kinds(self.kinds)
        self.sidebar.set_kinds(self.kinds)
        if not self.entities_open:
            label = ENTITY_KIND_LABELS.get(kind, kind)
            state = "on" if kind in self.kinds else "off"
            self.notify(f"{label} highlighting {state}", timeout=2, markup=False)

    def action_zen(self) -> None:
        if self.maximized is not None:
            self.minimize()
        else:
            focused = self.focused
            pane = self._pane_of(focused) if focused is not None else None
            self.maximize(pane or self.reading, container=False)

    def action_back(self) -> None:
        focused = self.focused
        filter_input = self.query_one("#list-filter", Input)
        if focused is filter_input:
            if filter_input.value:
                filter_input.value = ""
            filter_input.display = False
            self.set_focus(self.article_list)
        elif self.maximized is not None:
            self.minimize()
        elif focused is not None and self._pane_name(focused) in ("reading", "entities"):
            self._focus_left()

    def _focus_left(self) -> None:
        if self.searching:
            self.search.focus_input()
        elif self.bookmarks_open:
            self.bookmarks_pane.focus_list()
        else:
            self.set_focus(self.article_list)

    def _left_target(self) -> Widget:
        if self.searching:
            return self.search.input
        if self.bookmarks_open:
            return self.bookmarks_pane.bookmark_list
        return self.article_list

    def _pane_targets(self) -> list[Widget]:
        panes: list[Widget] = [self._left_target(), self.reading]
        if self.entities_open:
            panes.append(self.query_one(EntityList))
        return panes

    def action_focus_pane(self, direction: int) -> None:
        panes = self._pane_targets()
        focused = self.focused
        name = self._pane_name(focused) if focused is not None else "left"
        names = [self._pane_name(pane) for pane in panes]
        index = names.index(name) if name in names else 0
        self.set_focus(panes[(index + direction) % len(panes)])

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        focused = self.focused
        if action in ("search", "entities", "filter", "bookmarks") and isinstance(focused, Input):
            return False  # the key is typed into the box instead
        if action == "entities" and isinstance(focused, BookmarkList):
            return False  # e edits the bookmark there
        if action == "filter" and focused is not None and self._pane_name(focused) == "entities":
            return False  # the sidebar's own f: filter the list by the entity
        return True

    # -- layout --------------------------------------------------------------------

    def _pane_name(self, widget: Widget) -> str:
        for node in widget.ancestors_with_self:
            if node.id in ("left", "search", "bookmarks"):
                return "left"
            if node.id == "reading":
                return "reading"
            if node.id == "entities":
                return "entities"
        return ""

    def _pane_of(self, widget: Widget) -> Widget | None:
        for node in widget.ancestors_with_self:
            if node.id in ("left", "search", "bookmarks", "reading", "entities"):
                return node  # type: ignore[return-value]
        return None

    @on(DescendantFocus)
    def _focus_moved(self, event: DescendantFocus) -> None:
        name = self._pane_name(event.widget)
        if not name:
            return
        self._active = name
        if name != "reading":
            self._side = name
        self._update_layout()

    def on_resize(self, event: Resize) -> None:
        self._update_layout()

    def _side_widths(self, width: int) -> tuple[int, int]:
        """Widths of the left column (list or search) and of the entity sidebar."""
        if width < TINY:
            return width, width
        narrow = width < NARROW
        if self.left_view != "list":
            left = int(width * (0.44 if narrow else 0.46))
        else:
            left = 30 if narrow else 40
        return left, 28 if narrow else 30

    def _update_layout(self) -> None:
        width = self.size.width
        if not width:
            return
        if self.entities_open is None:
            self.entities_open = width >= SIDEBAR_AUTO
        tiny = width < TINY
        self.set_class(TINY <= width < NARROW, "-narrow")
        self.set_class(tiny, "-tiny")
        left_width, entities_width = self._side_widths(width)
        show = {"left": True, "reading": True, "entities": bool(self.entities_open)}
        if tiny:
            show = {name: name == self._active for name in show}
        elif show["entities"] and width - left_width - entities_width < MIN_READING:
            # no room for both side panes: keep the one used last
            if self._side == "entities":
                show["left"] = False
            else:
                show["entities"] = False
        try:
            left, search, sidebar = self.query_one("#left"), self.search, self.sidebar
            bookmarks = self.bookmarks_pane
        except NoMatches:
            return
        left.display = show["left"] and self.left_view == "list"
        search.display = show["left"] and self.left_view == "search"
        bookmarks.display = show["left"] and self.left_view == "bookmarks"
        self.reading.display = show["reading"]
        sidebar.display = show["entities"]
        if tiny:
            for pane in (left, search, bookmarks, self.reading, sidebar):
                pane.styles.width = "1fr"
        else:
            left.styles.width = left_width
            search.styles.width = left_width
            bookmarks.styles.width = left_width
            sidebar.styles.width = entities_width
            self.reading.styles.width = "1fr"
        focused = self.focused
        if focused is not None and not all(
            node.display for node in focused.ancestors_with_self if isinstance(node, Widget)
        ):
            self.call_later(self._focus_visible)

    def _focus_visible(self) -> None:
        focused = self.focused
        if focused is not None and all(
            node.display for node in focused.ancestors_with_self if isinstance(node, Widget) and node is not self
        ):
            return  # focus moved somewhere visible meanwhile (B focuses the bookmark list)
        for pane in self._pane_targets():
            if all(node.display for node in pane.ancestors_with_self if isinstance(node, Widget) and node is not self):
                self.set_focus(pane)
                return
