"""App-level messages: what workers report and what any pane may ask for.

Workers only ever ``post_message`` these (thread-safe); the main screen
handles them and sets attributes on its widgets. Widget-specific messages
live on the widgets as nested classes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from textual.message import Message
from textual.widget import Widget

from ..model import SearchResults, SyncReport

if TYPE_CHECKING:
    from textual.content import Content

    from ..bookmarks import Bookmark
    from ..saved_searches import SavedSearchStatus
    from .widgets.article_rows import Row


def deliver_now(widget: Widget, message: Message) -> None:
    """Give ``message`` to the screen at once if it takes it (``handle_now``), else post it.

    For keys that open a dialog (b, e, d), bound with ``priority=True`` so they
    act when the key arrives: the dialog is on screen before the next key is
    read, so what is typed right after lands in it. A posted message would
    be handled after those keys had already gone to the pane (``bq`` typed
    fast quit the app instead of starting a note with q).
    """
    handle_now = getattr(widget.screen, "handle_now", None)
    if handle_now is None or not handle_now(message):
        widget.post_message(message)


@dataclass
class OpenArticle(Message):
    """Show an article in the reading pane.

    ``query`` is the search whose hits to highlight (``terms`` its analysed
    terms, a fallback); ``offset`` is a body offset to show when the query
    has no hit in the body; without either the saved position is restored.
    """

    article_id: str
    query: str = ""
    terms: tuple[str, ...] = ()
    offset: int | None = None
    focus: bool = True


@dataclass
class SummariesLoaded(Message):
    """The article list's rows, freshly read from the library and cleaned (in a worker)."""

    summaries: list[Row]  # made in the worker (make_rows), the costly part at 100k
    error: str = ""


@dataclass
class NewestLoaded(Message):
    """The newest rows are in (``MainScreen.newest``): show them while the rest load."""


@dataclass
class SyncNeeded(Message):
    """The startup check found new, changed or missing articles."""

    pending: int


@dataclass
class SyncProgress(Message):
    """Indexing progress; frequent, so a newer one replaces a queued one."""

    done: int
    total: int

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, SyncProgress)


@dataclass
class EntitiesNeeded(Message):
    """Indexed articles whose entities are still to come (the second phase of indexing)."""

    pending: int


@dataclass
class EntitiesProgress(Message):
    """Entity extraction progress; a newer one replaces a queued one."""

    done: int
    total: int

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, EntitiesProgress)


@dataclass
class EntitiesFinished(Message):
    """The entity phase ended: how many articles got their entities, how many still wait, or why not."""

    extracted: int = 0
    pending: int = 0
    error: str = ""


@dataclass
class SyncFinished(Message):
    """The sync ended: its report, or why not (``notified``: the user was told already)."""

    report: SyncReport | None
    error: str = ""
    notified: bool = False


@dataclass
class SearchDone(Message):
    """Results for one as-you-type query (``sequence`` orders them).

    ``bookmarks`` is set instead of ``results`` for an ``in:bookmarks`` query.
    """

    sequence: int
    query: str
    results: SearchResults | None
    error: str = ""
    seconds: float = 0.0
    bookmarks: list[Bookmark] | None = None
    prefix_words: int | None = None  # what the search was asked for; the count asks the same
    offset: int = 0  # > 0: the next page of the results on screen, to add below them
    asked: Any = None  # what the library was asked (controllers.search.Asked): the next page asks the same
    key: Any = None  # what the library ran for it (Search._key); None when unknown
    kept: bool = False  # it runs the search whose results are on screen: they stay, no results sent


@dataclass
class SearchCounted(Message):
    """How many articles a query shown without its count matches."""

    sequence: int
    query: str
    total: int


@dataclass
class Explained(Message):
    """What a search ran, drawn for the explain screen (``content`` None: ``error`` says why not)."""

    content: Content | None
    error: str = ""


@dataclass
class SavedLoaded(Message):
    """The saved searches with their totals and new counts (``error``: why there are none)."""

    statuses: list[SavedSearchStatus]
    error: str = ""


@dataclass
class SavedLooked(Message):
    """A saved search was run: ``new`` are the matching articles it had not shown before."""

    query: str
    new: set[str]


@dataclass
class HistoryLoaded(Message):
    """The search box's stored history, newest first."""

    entries: list[str]


@dataclass
class SimilarFound(Message):
    """Which hits on screen are the same story as a better-ranked one (hit number -> its number)."""

    sequence: int
    query: str
    similar: dict[int, int]


@dataclass
class HitsFound(Message):
    """Where the search query matches in the open article (from a worker)."""

    article_id: str
    query: str
    spans: list[tuple[int, int]]
    offset: int | None = None


@dataclass
class EntityArticles(Message):
    """Ids of the articles mentioning an entity (looked up in a worker)."""

    name: str
    kind: str
    article_ids: list[str] = field(default_factory=list)


@dataclass
class EntityCorrected(Message):
    """An entity correction checked (``planned``, a hide to confirm), recorded or undone
    (``correction``) in a worker; ``error`` is one line when it could not be."""

    action: str
    planned: Any = None
    correction: Any = None
    error: str = ""


@dataclass
class ArticleBookmarks(Message):
    """The open article's bookmarks, re-anchored to its current text (from a worker).

    ``focus_id`` names a bookmark to put the passage cursor on (it was opened
    from the bookmarks pane or the search pane).
    """

    sequence: int
    article_id: str
    bookmarks: list[Bookmark] = field(default_factory=list)
    error: str = ""
    focus_id: str | None = None


@dataclass
class BookmarksLoaded(Message):
    """Bookmarks matching the pane's filter (from a worker); ``total`` counts all live ones."""

    sequence: int
    text: str
    bookmarks: list[Bookmark] = field(default_factory=list)
    total: int = 0
    error: str = ""
    keep: str | None = None


@dataclass
class BookmarkStored(Message):
    """A delete, undo or export finished (or failed) in a worker."""

    action: str  # "deleted", "restored", "exported"
    bookmark: Bookmark | None = None
    error: str = ""
    path: str = ""
    count: int = 0
