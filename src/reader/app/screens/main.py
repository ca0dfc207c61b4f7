"""The main screen: article list, reading pane, entity sidebar, search and bookmarks panes.

It composes the panes and routes: widgets post messages up, the screen hands
each to the controller that owns the data (``controllers/``: start-up and
indexing, opening articles, search, bookmarks, entities), which calls the
library in thread workers and sets attributes on the widgets. What is left
here is focus and which panes show (the rules are in ``layout``).

Why this file is longer than ~500 lines: about 130 of them are the routing
table, one short handler per message, so where a message goes is one grep
away; splitting the focus and layout code off the screen would leave it
reaching back into the screen for everything.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.css.query import NoMatches
from textual.events import DescendantFocus, Resize
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input

from ...model import ENTITY_KIND_LABELS, ENTITY_KINDS
from ..controllers.articles import Articles
from ..controllers.bookmarks import Bookmarks
from ..controllers.entities import Entities
from ..controllers.saved import Saved
from ..controllers.search import TYPING_PREFIX_WORDS, Search
from ..controllers.startup import Startup
from ..controllers.web import Web
from ..marks import ReadMarks
from ..messages import (
    ArticleBookmarks,
    BookmarksLoaded,
    BookmarkStored,
    EntitiesFinished,
    EntitiesNeeded,
    EntitiesProgress,
    EntityArticles,
    EntityCorrected,
    Explained,
    HistoryLoaded,
    HitsFound,
    NewestLoaded,
    OpenArticle,
    SavedLoaded,
    SavedLooked,
    SearchCounted,
    SearchDone,
    SimilarFound,
    SummariesLoaded,
    SyncFinished,
    SyncNeeded,
    SyncProgress,
)
from ..newest import NewestRows
from ..widgets.article_column import ArticleColumn
from ..widgets.article_list import ArticleList
from ..widgets.bookmarks_pane import BookmarkList, BookmarksPane
from ..widgets.entity_sidebar import EntityList, EntitySidebar
from ..widgets.find_bar import FindBar
from ..widgets.footer import FittingFooter
from ..widgets.reading import DEFAULT_KINDS, ReadingPane
from ..widgets.saved_pane import SavedPane
from ..widgets.search_pane import SearchPane
from ..widgets.sync_bar import SyncBar
from .layout import SIDEBAR_AUTO, plan


def _kind_binding(number: int, kind: str) -> Binding:
    label = ENTITY_KIND_LABELS.get(kind, kind)
    return Binding(
        str(number),
        f"toggle_kind('{kind}')",
        f"Toggle {label.lower()}",
        show=False,
        id=f"main.toggle_{kind}",
    )


class MainScreen(Screen[None], inherit_bindings=False):
    """Everything on one screen; panes collapse on small terminals."""

    BINDINGS = [
        # Keys that move focus are priority bindings: they act when the key
        # arrives, so what is typed right after ("/lighth") reaches the new pane.
        Binding("slash", "search", "Search", priority=True, id="main.search"),
        Binding("e", "entities", "Entities", priority=True, id="main.entities"),
        Binding("f", "filter", "Filter", priority=True, id="main.filter"),
        Binding("B", "bookmarks", "Bookmarks", priority=True, id="main.bookmarks"),
        Binding("w", "saved", "Saved searches", priority=True, id="main.saved"),
        Binding("tab", "focus_pane(1)", "Next pane", show=False, priority=True, id="main.next_pane"),
        Binding(
            "shift+tab", "focus_pane(-1)", "Previous pane", show=False, priority=True, id="main.previous_pane"
        ),
        Binding("escape", "back", "Back", show=False, id="main.back"),
        Binding("z", "zen", "Zoom pane", show=False, id="main.zoom"),
        Binding("r", "fetch_feeds", "Fetch feeds", show=False, id="main.fetch_feeds"),
        Binding("o", "open_original", "Open original", show=False, id="main.open_original"),
        Binding("c", "folders", "Folders", show=False, id="main.folders"),
        Binding("ctrl+c", "screen.copy_text", "Copy selection", show=False, id="main.copy"),
        *(_kind_binding(number, kind) for number, kind in enumerate(ENTITY_KINDS, 1)),
    ]

    def __init__(
        self,
        library: Any,
        marks: ReadMarks,
        *,
        sync: bool = True,
        newest: NewestRows | None = None,
        kinds: Iterable[str] = DEFAULT_KINDS,
    ) -> None:
        super().__init__()
        self.library = library
        self.newest = newest if newest is not None else NewestRows(library)
        self.marks = marks
        self.kinds: set[str] = set(kinds)  # highlighted entity kinds (the config file's highlight)
        self.left_view = "list"  # what the left column shows: "list", "search", "bookmarks" or "saved"
        self.entities_open: bool | None = None  # decided from the width on first layout
        self._side = "left"  # the side pane shown next to the reading pane when narrow
        self._active = "left"  # the pane with focus (the only one shown when tiny)
        self.articles = Articles(self)
        self.startup = Startup(self, sync=sync)
        self.searcher = Search(self)
        self.bookmarks = Bookmarks(self)
        self.entities = Entities(self)
        self.web = Web(self)
        self.saved = Saved(self)

    @property
    def active_bindings(self):  # type: ignore[no-untyped-def]
        """The footer's keys with "? Help" first, so it shows however narrow the terminal."""
        bindings = super().active_bindings
        first = {key: active for key, active in bindings.items() if active.binding.id == "app.help"}
        return {**first, **{key: active for key, active in bindings.items() if key not in first}}

    @property
    def searching(self) -> bool:
        return self.left_view == "search"

    @property
    def bookmarks_open(self) -> bool:
        return self.left_view == "bookmarks"

    @property
    def saved_open(self) -> bool:
        return self.left_view == "saved"

    @property
    def open_id(self) -> str | None:
        """The article in the reading pane."""
        return self.articles.open_id

    @property
    def syncing(self) -> bool:
        return self.startup.syncing

    @property
    def last_search_seconds(self) -> float:
        return self.searcher.last_search_seconds

    # -- composition -----------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            yield ArticleColumn(id="left", classes="pane")
            yield SearchPane(id="search", classes="pane")
            yield BookmarksPane(id="bookmarks", classes="pane")
            yield SavedPane(id="saved", classes="pane")
            yield ReadingPane(id="reading", classes="pane")
            yield EntitySidebar(id="entities", classes="pane")
        yield SyncBar(id="sync")
        yield FindBar(id="find")
        yield FittingFooter()

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

    @property
    def saved_pane(self) -> SavedPane:
        return self.query_one(SavedPane)

    @property
    def article_column(self) -> ArticleColumn:
        return self.query_one(ArticleColumn)

    def on_mount(self) -> None:
        self.reading.border_title = "Article"
        self.bookmarks_pane.display = False
        self.saved_pane.display = False
        self.article_list.set_read(self.marks.read_ids())
        self.reading.set_kinds(self.kinds)
        self.sidebar.set_kinds(self.kinds)
        self.query_one(SyncBar).display = False
        self.query_one(FindBar).display = False
        self.set_focus(self.article_list)
        self._update_layout()
        self.startup.start()
        if self.startup.sync_on_start:
            self.web.start_watching()

    def on_unmount(self) -> None:
        self.web.stop_watching()
        self.startup.stop_merge()
        if self.syncing and hasattr(self.app, "interrupted_sync"):
            self.app.interrupted_sync = True

    # -- routing: what workers and panes report, to the controller that owns it ------------

    @on(SummariesLoaded)
    def _summaries_loaded(self, message: SummariesLoaded) -> None:
        self.startup.summaries_loaded(message)

    @on(NewestLoaded)
    def _newest_loaded(self) -> None:
        self.startup.show_newest()

    @on(SyncNeeded)
    def _sync_needed(self, message: SyncNeeded) -> None:
        self.startup.start_sync(message.pending)

    @on(SyncProgress)
    def _sync_progress(self, message: SyncProgress) -> None:
        self.startup.progress(message)

    @on(SyncFinished)
    def _sync_finished(self, message: SyncFinished) -> None:
        self.startup.finished(message)
        self.web.sync_finished()
        self.searcher.sync_finished()
        self.saved.sync_finished()
        if self.bookmarks_open:  # the sync re-anchored bookmarks, maybe orphaned some
            self.bookmarks.reload()

    @on(EntitiesNeeded)
    def _entities_needed(self, message: EntitiesNeeded) -> None:
        self.startup.start_entities(message.pending)

    @on(EntitiesProgress)
    def _entities_progress(self, message: EntitiesProgress) -> None:
        self.startup.entities_progress(message)

    @on(EntitiesFinished)
    def _entities_finished(self, message: EntitiesFinished) -> None:
        self.startup.entities_finished(message)

    @on(SearchPane.QueryChanged)
    def _query_changed(self, message: SearchPane.QueryChanged) -> None:
        self.startup.user_typing()  # never a segment merge while the user types
        self.searcher.query_changed(message)

    @on(SearchDone)
    def _search_done(self, message: SearchDone) -> None:
        self.searcher.done(message)

    @on(SearchCounted)
    def _search_counted(self, message: SearchCounted) -> None:
        self.searcher.counted(message)

    @on(SearchPane.MoreWanted)
    def _more_wanted(self, message: SearchPane.MoreWanted) -> None:
        self.searcher.more(message)

    @on(SimilarFound)
    def _similar_found(self, message: SimilarFound) -> None:
        self.searcher.similar_found(message)

    @on(SearchPane.ExplainRequested)
    def _explain_requested(self, message: SearchPane.ExplainRequested) -> None:
        self.searcher.explain(message)

    @on(Explained)
    def _explained(self, message: Explained) -> None:
        self.searcher.explained(message)

    @on(SearchPane.SaveRequested)
    def _save_requested(self, message: SearchPane.SaveRequested) -> None:
        self.saved.save_requested(message)

    @on(SavedLoaded)
    def _saved_loaded(self, message: SavedLoaded) -> None:
        self.saved.loaded(message)

    @on(SavedLooked)
    def _saved_looked(self, message: SavedLooked) -> None:
        self.saved.looked(message)

    @on(SavedPane.Chosen)
    def _saved_chosen(self, message: SavedPane.Chosen) -> None:
        self.saved.chosen(message)

    @on(SearchPane.HistoryWanted)
    def _history_wanted(self) -> None:
        self.searcher.load_history()

    @on(HistoryLoaded)
    def _history_loaded(self, message: HistoryLoaded) -> None:
        self.searcher.history_loaded(message)

    @on(SearchPane.Committed)
    def _search_committed(self, message: SearchPane.Committed) -> None:
        self.searcher.remember(message)

    @on(HitsFound)
    def _hits_found(self, message: HitsFound) -> None:
        self.searcher.hits_found(message)

    @on(ArticleBookmarks)
    def _article_bookmarks(self, message: ArticleBookmarks) -> None:
        self.bookmarks.article_loaded(message)

    @on(BookmarksLoaded)
    def _bookmarks_loaded(self, message: BookmarksLoaded) -> None:
        self.bookmarks.loaded(message)

    @on(BookmarkStored)
    def _bookmark_stored(self, message: BookmarkStored) -> None:
        self.bookmarks.stored(message)

    @on(BookmarksPane.FilterChanged)
    def _bookmarks_filter(self, message: BookmarksPane.FilterChanged) -> None:
        self.bookmarks.load(message.text)

    @on(BookmarksPane.UndoRequested)
    def _undo_requested(self) -> None:
        self.bookmarks.undo()

    @on(BookmarksPane.ExportRequested)
    def _export_requested(self, message: BookmarksPane.ExportRequested) -> None:
        self.bookmarks.export(message)

    def handle_now(self, message: Message) -> bool:
        """Requests that open a dialog, handled when their key arrives (messages.deliver_now)."""
        if isinstance(message, ReadingPane.BookmarkRequested):
            self.bookmarks.requested(message)
        elif isinstance(message, BookmarksPane.EditRequested):
            self.bookmarks.edit(message.bookmark)
        elif isinstance(message, BookmarksPane.DeleteRequested):
            self.bookmarks.delete_requested(message)
        else:
            return False
        return True

    @on(ReadingPane.BookmarkRequested)
    @on(BookmarksPane.EditRequested)
    @on(BookmarksPane.DeleteRequested)
    def _dialog_requested(self, message: Message) -> None:
        self.handle_now(message)

    @on(EntityArticles)
    def _entity_articles(self, message: EntityArticles) -> None:
        self.entities.found(message)

    @on(EntitySidebar.Chosen)
    def _entity_chosen(self, message: EntitySidebar.Chosen) -> None:
        self.entities.chosen(message)

    @on(EntitySidebar.Highlighted)
    def _entity_highlighted(self, message: EntitySidebar.Highlighted) -> None:
        self.entities.lookup(message.name, message.kind)

    @on(EntitySidebar.PageRequested)
    def _page_requested(self, message: EntitySidebar.PageRequested) -> None:
        self.entities.page_requested(message)

    @on(EntitySidebar.CurationRequested)
    def _curation_requested(self, message: EntitySidebar.CurationRequested) -> None:
        self.entities.curation_requested(message)

    @on(EntityCorrected)
    def _entity_corrected(self, message: EntityCorrected) -> None:
        self.entities.corrected(message)

    @on(EntitySidebar.FilterRequested)
    def _filter_requested(self, message: EntitySidebar.FilterRequested) -> None:
        self.entities.filter_requested(message)

    @on(ReadingPane.MentionClicked)
    def _mention_clicked(self, message: ReadingPane.MentionClicked) -> None:
        self.entities.mention_clicked(message)

    @on(ReadingPane.TargetChanged)
    def _target_changed(self, message: ReadingPane.TargetChanged) -> None:
        self.entities.target_changed(message)

    # -- find in the article: the bar asks, the reading pane finds and draws ---------------

    @on(ReadingPane.FindRequested)
    def _find_requested(self, message: ReadingPane.FindRequested) -> None:
        self.query_one(FindBar).open(message.text)

    @on(FindBar.Changed)
    @on(FindBar.Step)
    def _find_changed(self, message: FindBar.Changed | FindBar.Step) -> None:
        reading, bar = self.reading, self.query_one(FindBar)
        if isinstance(message, FindBar.Changed):
            reading.find(message.text)
        elif reading.finding and reading.targets:
            (reading.action_next_match if message.direction > 0 else reading.action_previous_match)()
        found = len(reading.targets) if reading.finding else None
        bar.show_count(found, reading.target_index + 1)

    @on(FindBar.Closed)
    def _find_closed(self, message: FindBar.Closed) -> None:
        if not message.keep:
            self.reading.end_find()
        self.set_focus(self.reading)

    # -- opening articles ------------------------------------------------------

    @on(OpenArticle)
    def _open_message(self, message: OpenArticle) -> None:
        self.open_article(
            message.article_id, query=message.query, terms=message.terms, offset=message.offset, focus=message.focus
        )

    @on(ArticleList.Selected)
    def _list_selected(self, message: ArticleList.Selected) -> None:
        self.open_article(message.article_id)

    @on(SearchPane.ResultChosen)
    def _result_chosen(self, message: SearchPane.ResultChosen) -> None:
        prefix_words = TYPING_PREFIX_WORDS if message.completion else None  # highlight what was searched
        self.open_article(
            message.hit.id, query=message.query, terms=message.terms, offset=message.offset,
            prefix_words=prefix_words, exact=message.exact,
        )

    @on(BookmarksPane.Chosen)
    @on(SearchPane.BookmarkChosen)
    def _bookmark_chosen(self, message: BookmarksPane.Chosen | SearchPane.BookmarkChosen) -> None:
        self.articles.open_bookmark(message.bookmark)

    @on(ArticleList.ReadToggled)
    def _read_toggled(self, message: ArticleList.ReadToggled) -> None:
        self.articles.mark_read(message.article_id, message.read)

    @on(ReadingPane.StepArticle)
    def _step_article(self, message: ReadingPane.StepArticle) -> None:
        self.articles.step(message.direction)

    def open_article(self, article_id: str, **options: Any) -> bool:
        """Show an article (see Articles.open)."""
        return self.articles.open(article_id, **options)

    def save_position(self) -> None:
        self.articles.save_position()

    # -- the left column: list, search, bookmarks ------------------------------------------

    def show_article_list(self) -> None:
        """The article list in the left column, with focus."""
        if self.left_view != "list":
            self.left_view = "list"
            self._update_layout()
        self.set_focus(self.article_list)

    @on(SearchPane.Closed)
    def close_search(self) -> None:
        if self.searching:
            self.show_article_list()

    @on(BookmarksPane.Closed)
    def close_bookmarks(self) -> None:
        if self.bookmarks_open:
            self.show_article_list()

    @on(SavedPane.Closed)
    def close_saved(self) -> None:
        if self.saved_open:
            self.show_article_list()

    def action_saved(self) -> None:
        """w: the saved searches with what arrived for each (again: back to the list)."""
        focused = self.focused
        if self.saved_open and focused is not None and _pane_of(focused) is self.saved_pane:
            self.close_saved()
            return
        if not self.saved_open:
            self.left_view = "saved"
            self._update_layout()
        self.saved.reload()
        self.saved_pane.focus_list()

    def open_bookmarks(self) -> None:
        if not self.bookmarks_open:
            self.left_view = "bookmarks"
            self._update_layout()
            self.bookmarks.reload()
        self.bookmarks_pane.focus_list()

    def open_entities(self) -> None:
        """The entity sidebar shown (a click on a mention opens it)."""
        if not self.entities_open:
            self.entities_open = True
            self._update_layout()

    @on(ArticleList.FiltersCleared)
    def _filters_cleared(self) -> None:
        self.sidebar.set_filtering(None)

    # -- actions -------------------------------------------------------------------

    def action_fetch_feeds(self) -> None:
        self.web.fetch()

    def action_open_original(self) -> None:
        self.web.open_original()

    def action_folders(self) -> None:
        self.web.choose_folder()

    def search_for(self, query: str) -> None:
        """Open the search pane with ``query`` in it (a folder chosen with ``c``)."""
        self.action_search()
        self.search.input.value = query

    def action_search(self) -> None:
        if not self.searching:
            self.left_view = "search"
            self._update_layout()
        self.search.focus_input()

    def action_bookmarks(self) -> None:
        focused = self.focused
        if self.bookmarks_open and focused is not None and _pane_of(focused) is self.bookmarks_pane:
            self.close_bookmarks()
        else:
            self.open_bookmarks()

    def action_filter(self) -> None:
        if self.bookmarks_open:
            self.bookmarks_pane.focus_filter()  # the left column's list is the bookmarks
            return
        if self.searching or self.saved_open:
            self.show_article_list()
        self.article_column.open_filter()

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
            pane = _pane_of(focused) if focused is not None else None
            self.maximize(pane or self.reading, container=False)

    def action_back(self) -> None:
        focused = self.focused
        if focused is self.article_column.filter_input:
            self.article_column.close_filter()
        elif self.maximized is not None:
            self.minimize()
        elif focused is not None and _pane_name(focused) in ("reading", "entities"):
            self._focus_left()

    def _focus_left(self) -> None:
        if self.searching:
            self.search.focus_input()
        elif self.bookmarks_open:
            self.bookmarks_pane.focus_list()
        elif self.saved_open:
            self.saved_pane.focus_list()
        else:
            self.set_focus(self.article_list)

    def _left_target(self) -> Widget:
        if self.searching:
            return self.search.input
        if self.bookmarks_open:
            return self.bookmarks_pane.bookmark_list
        if self.saved_open:
            return self.saved_pane.saved_list
        return self.article_list

    def _pane_targets(self) -> list[Widget]:
        panes: list[Widget] = [self._left_target(), self.reading]
        if self.entities_open:
            panes.append(self.query_one(EntityList))
        return panes

    def action_focus_pane(self, direction: int) -> None:
        panes = self._pane_targets()
        focused = self.focused
        name = _pane_name(focused) if focused is not None else "left"
        names = [_pane_name(pane) for pane in panes]
        index = names.index(name) if name in names else 0
        self.set_focus(panes[(index + direction) % len(panes)])

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        focused = self.focused
        if action in ("search", "entities", "filter", "bookmarks", "saved") and isinstance(focused, Input):
            return False  # the key is typed into the box instead
        if action == "entities" and isinstance(focused, BookmarkList):
            return False  # e edits the bookmark there
        if action == "filter" and focused is not None and _pane_name(focused) == "entities":
            return False  # the sidebar's own f: filter the list by the entity
        return True

    # -- layout --------------------------------------------------------------------

    @on(DescendantFocus)
    def _focus_moved(self, event: DescendantFocus) -> None:
        name = _pane_name(event.widget)
        if not name:
            return
        self._active = name
        if name != "reading":
            self._side = name
        self._update_layout()

    def on_resize(self, event: Resize) -> None:
        self._update_layout()

    def update_layout(self) -> None:
        """Share the width again (the first article opened gives the list's extra room back)."""
        self._update_layout()

    def _update_layout(self) -> None:
        width = self.size.width
        if not width:
            return
        if self.entities_open is None:
            self.entities_open = width >= SIDEBAR_AUTO
        layout = plan(
            width,
            left_view=self.left_view,
            entities_open=self.entities_open,
            side=self._side,
            active=self._active,
            reading_empty=self.open_id is None,
        )
        self.set_class(layout.narrow, "-narrow")
        self.set_class(layout.tiny, "-tiny")
        try:
            left, search, bookmarks, saved = self.article_column, self.search, self.bookmarks_pane, self.saved_pane
            reading, sidebar = self.reading, self.sidebar
        except NoMatches:
            return
        show = layout.show
        left.display = show["left"] and self.left_view == "list"
        search.display = show["left"] and self.left_view == "search"
        bookmarks.display = show["left"] and self.left_view == "bookmarks"
        saved.display = show["left"] and self.left_view == "saved"
        reading.display = show["reading"]
        sidebar.display = show["entities"]
        for pane in (left, search, bookmarks, saved):
            pane.styles.width = "1fr" if layout.left_width is None else layout.left_width
        sidebar.styles.width = "1fr" if layout.entities_width is None else layout.entities_width
        reading.styles.width = "1fr"
        focused = self.focused
        if focused is not None and not _shown(focused, self):
            self.call_later(self._focus_visible)

    def _focus_visible(self) -> None:
        focused = self.focused
        if focused is not None and _shown(focused, self):
            return  # focus moved somewhere visible meanwhile (B focuses the bookmark list)
        for pane in self._pane_targets():
            if _shown(pane, self):
                self.set_focus(pane)
                return


def _shown(widget: Widget, screen: Screen[None]) -> bool:
    """``widget`` and every container up to the screen are displayed."""
    return all(node.display for node in widget.ancestors_with_self if isinstance(node, Widget) and node is not screen)


def _pane_name(widget: Widget) -> str:
    """Which pane (see layout.PANES) ``widget`` is in; "" if none."""
    for node in widget.ancestors_with_self:
        if node.id in ("left", "search", "bookmarks", "saved"):
            return "left"
        if node.id in ("reading", "entities"):
            return node.id
    return ""


def _pane_of(widget: Widget) -> Widget | None:
    for node in widget.ancestors_with_self:
        if isinstance(node, Widget) and node.id in ("left", "search", "bookmarks", "saved", "reading", "entities"):
            return node
    return None
