"""The search pane: a query box, a status line and ranked results with snippets."""

from __future__ import annotations

from dataclasses import replace
from time import monotonic
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.style import Style
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ...model import Hit, SearchResults
from ..query import SCOPE_BOOKMARKS, as_you_type, split_scope, typing_scope, waits_for_more
from ..safe import safe_inline
from .bookmarks_pane import bookmark_content
from .result_rows import ResultList, ResultRows, status_line

if TYPE_CHECKING:
    from ...bookmarks import Bookmark

#: The least time between two queries sent while typing (seconds): a key
#: after a pause searches at once, keys in quick succession wait for a pause.
DEBOUNCE = 0.06
#: Seconds without a key before a word of one or two letters is searched (see ``waits_for_more``):
#: longer than the gap between two keys of a typist (0.2 s at 60 words a minute).
SHORT_WORD_PAUSE = 0.45
#: Lines a hit takes at the least (title, date and source, a line of snippet, the rule under it).
HIT_LINES = 4
#: Hits fetched first when the list has no size yet, and never fewer than this.
FIRST_HITS_FALLBACK, FIRST_HITS_MIN = 10, 5
HINT = 'Type to search: words, "a phrase", AND / OR / NOT, title:word, prefix*; in:bookmarks words'
SCOPE_HINT = "in:bookmarks searches your bookmarks' quotes, notes, tags and titles"


class SearchPane(Vertical):
    """``/`` opens it; results update as you type; Enter opens the article at the hit."""

    BINDINGS = [
        Binding("escape", "close", "Close search", id="search.close"),
        Binding("down", "results", "Results", show=False, id="search.results"),
        Binding("up", "history_older", "Earlier search", show=False, id="search.history"),
        Binding("ctrl+y", "accept_suggestion", "Use suggestion", id="search.accept_suggestion"),
        Binding("ctrl+l", "toggle_exact", "Exact words", id="search.exact"),
        Binding("ctrl+o", "explain", "Explain", id="search.explain"),
        Binding("ctrl+s", "save", "Save search", id="search.save"),
    ]

    COMPONENT_CLASSES = {
        "search-pane--title",
        "search-pane--meta",
        "search-pane--hit",
        "search-pane--error",
        "search-pane--note",
        "search-pane--tag",
    }

    DEFAULT_CSS = """
    SearchPane {
        & > #search-input { padding: 0 1; }
        & > #search-status { height: auto; max-height: 4; padding: 0 1; color: $text-muted; }
        & > ResultList { height: 1fr; padding: 0 1; background: transparent; }
        & > .search-pane--title { text-style: bold; }
        /* not $text-muted: an "auto" colour comes out white in a partial style */
        & > .search-pane--meta { text-style: dim; }
        & > .search-pane--hit { text-style: bold reverse; }
        & > .search-pane--error { color: $text-error; }
        & > .search-pane--note { color: $text-warning; }
        & > .search-pane--tag { color: $text-accent; }
    }
    """

    class QueryChanged(Message):
        """The debounced query to run (``query`` has the prefix ``*`` added).

        With ``scope == "bookmarks"`` (the query starts with ``in:bookmarks``),
        ``text`` is what to look for in the bookmarks. ``sort`` and ``exact``
        are the pane's toggles (``s``, ctrl+l).
        """

        def __init__(
            self,
            text: str,
            query: str,
            scope: str = "articles",
            completion: bool = False,
            *,
            sort: str = "relevance",
            exact: bool = False,
        ) -> None:
            super().__init__()
            self.text = text
            self.query = query
            self.scope = scope
            self.completion = completion  # the "*" was added to the word being typed
            self.sort = sort
            self.exact = exact

    class MoreWanted(Message):
        """The list reached the last hits on screen: fetch those from ``offset`` on."""

        def __init__(self, query: str, offset: int) -> None:
            super().__init__()
            self.query = query
            self.offset = offset

    class BookmarkChosen(Message):
        """A bookmark found with ``in:bookmarks``: open its article at the passage."""

        def __init__(self, bookmark: Bookmark) -> None:
            super().__init__()
            self.bookmark = bookmark

    class ResultChosen(Message):
        def __init__(
            self,
            hit: Hit,
            query: str,
            terms: tuple[str, ...],
            offset: int | None,
            completion: bool = False,
            exact: bool = False,
        ) -> None:
            super().__init__()
            self.hit = hit
            self.query = query
            self.terms = terms
            self.offset = offset
            self.completion = completion  # the query's "*" was added to the word being typed
            self.exact = exact  # searched with exact words: highlight the same way

    class Closed(Message):
        pass

    class Committed(Message):
        """The user ran ``text`` (Enter, or opened a result): it goes into the search history."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class ExplainRequested(Message):
        """Show how ``query`` was understood and why hit ``hit_id`` (number ``rank``) ranks there."""

        def __init__(
            self, query: str, completion: bool, exact: bool, sort: str, hit_id: str | None, rank: int | None
        ) -> None:
            super().__init__()
            self.query = query
            self.completion = completion
            self.exact = exact
            self.sort = sort
            self.hit_id = hit_id
            self.rank = rank

    class SaveRequested(Message):
        """Save the search in the box (as typed; ``exact``: with the exact toggle on)."""

        def __init__(self, text: str, exact: bool) -> None:
            super().__init__()
            self.text = text
            self.exact = exact

    class HistoryWanted(Message):
        """The box got focus for the first time: load the search history."""

    class ResultsShown(Message):
        """Results for ``query`` are on screen (used to measure latency)."""

        def __init__(self, query: str, count: int) -> None:
            super().__init__()
            self.query = query
            self.count = count

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._timer: Timer | None = None
        self._last_key = 0.0
        self.rows: ResultRows | None = None
        self.bookmark_results: list[Bookmark] | None = None
        self.query_sent = ""
        self._completion_sent = False
        self.suggestion = ""
        self.sort = "relevance"
        self.exact = False
        self._open_when_shown = False
        self._shown_query = ""
        self._page_asked: int | None = None  # the offset of the page on its way
        self.history: list[str] = []  # the queries run, newest first (up/down in the box)
        self._history_at = -1  # which is in the box; -1: what was typed (the draft)
        self._draft = ""
        self._recalled: str | None = None
        self._history_asked = False
        self._new_for: tuple[str, frozenset[str]] = ("", frozenset())  # a saved search's query and its new ids

    @property
    def results(self) -> SearchResults | None:
        """The results on screen, every page fetched so far."""
        return self.rows.results if self.rows is not None else None

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Search…", id="search-input", compact=True, select_on_focus=False)
        yield Static(Content(HINT), id="search-status", markup=False)
        yield ResultList(id="search-results")

    def on_mount(self) -> None:
        self.border_title = "Search"
        self.watch(self.app, "theme", self._theme_changed, init=False)

    def _theme_changed(self) -> None:
        self.call_after_refresh(self._restyle)

    def _restyle(self) -> None:
        """Draw the results again in the new theme's colours."""
        if self.rows is not None and self._shown_query == self.query_sent:
            self._draw_rows()
            self._set_status(self._status_for(self.rows.results))

    @property
    def input(self) -> Input:
        return self.query_one("#search-input", Input)

    @property
    def result_list(self) -> ResultList:
        return self.query_one(ResultList)

    @property
    def status(self) -> str:
        return str(self.query_one("#search-status", Static).visual)

    def focus_input(self) -> None:
        self.screen.set_focus(self.input)
        if not self._history_asked:
            self._history_asked = True
            self.post_message(self.HistoryWanted())

    # -- history: up / down in the box ------------------------------------------

    def set_history(self, entries: list[str]) -> None:
        """The stored history; what was run meanwhile stays in front."""
        self.history = list(dict.fromkeys([*self.history, *entries]))

    def remember(self, text: str) -> None:
        text = " ".join(text.split())
        if not text:
            return
        self.history = [text, *(entry for entry in self.history if entry != text)]
        self._history_at = -1
        self.post_message(self.Committed(text))

    def action_history_older(self) -> None:
        if self._history_at + 1 >= len(self.history):
            self.app.bell()
            return
        if self._history_at == -1:
            self._draft = self.input.value
        self._history_at += 1
        self._recall(self.history[self._history_at])

    def _history_newer(self) -> None:
        self._history_at -= 1
        self._recall(self._draft if self._history_at == -1 else self.history[self._history_at])

    def _recall(self, text: str) -> None:
        self._recalled = text
        self.input.value = text
        self.input.cursor_position = len(text)

    # -- typing ----------------------------------------------------------------

    @on(Input.Changed, "#search-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.value != self._recalled:  # typed: up starts from the newest again
            self._history_at, self._recalled = -1, None
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        now = monotonic()
        typing_fast = now - self._last_key < DEBOUNCE
        self._last_key = now
        scope, text = split_scope(event.value)
        if scope == "articles" and waits_for_more(text):
            self._timer = self.set_timer(SHORT_WORD_PAUSE, self._send)
        elif typing_fast:
            self._timer = self.set_timer(DEBOUNCE, self._send)
        else:  # the first key after a pause: no reason to wait
            self._send()

    def _send(self, *, again: bool = False) -> None:
        """Post the query in the box, unless it is the one sent last (``again``: a toggle changed)."""
        self._timer = None
        self._open_when_shown = False
        text = self.input.value
        scope, rest = split_scope(text)
        if scope == "bookmarks":
            query = f"{SCOPE_BOOKMARKS} {rest.strip()}".strip()
            if query == self.query_sent and not again:
                return
            self.query_sent = query
            self.post_message(self.QueryChanged(rest.strip(), query, "bookmarks"))
            return
        text = rest
        if typing_scope(text):
            self.query_sent = ""
            self.clear_results(Content(SCOPE_HINT))
            return
        query = as_you_type(text)
        completion = query != text.strip()
        if query == self.query_sent and completion == self._completion_sent and not again:
            return
        self.query_sent, self._completion_sent = query, completion
        if not query:
            self.clear_results()
            return
        self.post_message(self.QueryChanged(text, query, completion=completion, sort=self.sort, exact=self.exact))

    def search_again(self) -> None:
        """Send the query shown again: the index answers it differently now (an entity correction)."""
        self.query_sent = ""
        if self.input.value.strip():
            self._send()

    def flush(self) -> None:
        """Send a pending query now (Enter before the debounce ran out)."""
        if self._timer is not None:
            self._timer.stop()
            self._send()

    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.flush()
        self.remember(self.input.value)
        if (self.rows is None and self.bookmark_results is None) or self._shown_query != self.query_sent:
            self._open_when_shown = True  # typed and hit Enter at once: open when they come
            return
        self._open(self.result_list.highlighted or 0)

    @on(ResultList.SortToggled)
    def toggle_sort(self) -> None:
        """``s``: newest first, or best match first again (the query runs again)."""
        self.sort = "date" if self.sort == "relevance" else "relevance"
        if self.query_sent:
            self._send(again=True)

    def action_toggle_exact(self) -> None:
        """ctrl+l: every word and phrase of the query as written (no stemming, no fuzzy)."""
        self.exact = not self.exact
        self.border_title = "Search · exact words" if self.exact else "Search"
        if self.query_sent:
            self._send(again=True)
        else:
            self._set_status(Content("Exact words: no stemming or fuzzy matching (ctrl+l again to stop)"))

    # -- results in --------------------------------------------------------------

    def _style(self, name: str) -> Style:
        return Style.from_rich_style(self.get_component_rich_style(name, partial=True))

    def clear_results(self, hint: Content | None = None) -> None:
        self.rows = self.result_list.rows = None
        self.bookmark_results = None
        self.suggestion = ""
        self._page_asked = None
        self.result_list.clear_options()
        self._set_status(hint or Content(HINT))

    def show_results(self, query: str, results: SearchResults) -> None:
        if query != self.query_sent:
            return  # a newer query is on its way
        self.rows = ResultRows(results, new=self._new_for[1] if query == self._new_for[0] else frozenset())
        self.bookmark_results = None
        self._shown_query = query
        self._page_asked = None
        self.suggestion = results.suggestion or ""
        self.result_list.clear_options()  # the highlight starts again at the top, not where it was
        self._draw_rows()
        if results.hits:
            self.result_list.highlighted = 0
        self._set_status(self._status_for(results))
        self.post_message(self.ResultsShown(query, len(results.hits)))
        if self._open_when_shown:
            self._open_when_shown = False
            self._open(0)

    def keep_results(self, query: str) -> None:
        """``query`` runs the very search whose results are on screen (``stock mar*``, then
        ``stock mark*``): they stay as they are, drawn once, and now answer ``query``."""
        rows = self.rows
        if query != self.query_sent or rows is None:
            return
        self._shown_query = query
        self._page_asked = None  # a page asked for the old query is dropped when it comes
        rows.results = replace(rows.results, query=query)  # the same hits, now this query's
        new = self._new_for[1] if query == self._new_for[0] else frozenset()
        if new != rows.new:
            rows.new = new
            self._draw_rows()
            self._set_status(self._status_for(rows.results))
        self.post_message(self.ResultsShown(query, len(rows.hits)))
        if self._open_when_shown:
            self._open_when_shown = False
            self._open(self.result_list.highlighted or 0)

    def hits_that_fit(self) -> int:
        """How many hits the results list can show at once: the first page fetches these
        (with their snippets) and no more; scrolling fetches the next."""
        height = self.result_list.size.height
        if not height:
            return FIRST_HITS_FALLBACK
        return max(FIRST_HITS_MIN, -(-height // HIT_LINES))

    def _draw_rows(self, keep: int | None = None) -> None:
        if self.rows is not None:
            self.result_list.draw(self.rows, self._style, keep)

    def highlighted_hit(self) -> int | None:
        """The number (rank, from 0) of the highlighted hit, None when none is."""
        return self.result_list.highlighted_hit()

    def add_page(self, query: str, page: SearchResults, offset: int) -> None:
        """The hits from ``offset`` on, below those on screen."""
        rows = self.rows
        if query != self.query_sent or rows is None or offset != self._page_asked:
            return
        self._page_asked = None
        added = rows.add_page(page)
        self._draw_rows()
        self._set_status(self._status_for(rows.results))
        if added:
            self.post_message(self.ResultsShown(query, len(rows.hits)))

    def page_failed(self, query: str, error: str) -> None:
        if query != self.query_sent or self.rows is None:
            return
        self._page_asked = None
        note = Content.assemble((f"\n{safe_inline(error, 200) or 'More results could not be loaded'}",
                                 self._style("search-pane--error")))
        self._set_status(self._status_for(self.rows.results) + note)

    def show_similar(self, query: str, similar: dict[int, int]) -> None:
        """Fold hit ``n`` under hit ``similar[n]`` (the same story, ranked better)."""
        if query != self.query_sent or self.rows is None or similar == self.rows.similar:
            return
        self.rows.similar = dict(similar)
        self._draw_rows()
        self.result_list.refresh_bindings()

    @on(ResultList.NearEnd)
    def fetch_more(self) -> None:
        """Ask for the next page, once, if the library has hits past those on screen."""
        rows = self.rows
        if rows is None or self._page_asked is not None or not rows.more_to_fetch() or not rows.hits:
            return
        if self._shown_query != self.query_sent:
            return  # a newer query is on its way
        self._page_asked = len(rows.hits)
        self._set_status(self._status_for(rows.results) + Content("\nLoading more…"))
        self.post_message(self.MoreWanted(self.query_sent, len(rows.hits)))

    @on(ResultList.SimilarToggled)
    def toggle_similar(self) -> None:
        """space: show the hits folded under the highlighted one, or fold them again."""
        number = self.highlighted_hit()
        if self.rows is None or number is None:
            return
        leader = self.rows.similar.get(number, number)
        if not self.rows.followers(leader):
            return
        self.rows.expanded ^= {leader}
        self._draw_rows(keep=leader)

    def mark_new(self, query: str, ids: set[str]) -> None:
        """The articles saved search ``query`` had not shown before: marked "new" in its results."""
        self._new_for = (as_you_type(query + " "), frozenset(ids))  # run as a finished query
        if self.rows is not None and self._shown_query == self._new_for[0]:
            self.rows.new = self._new_for[1]
            self._draw_rows()
            self._set_status(self._status_for(self.rows.results))

    def show_count(self, total: int) -> None:
        """The count of the results on screen, which came after them."""
        if self.rows is None:
            return
        self.rows.results.total, self.rows.results.counted = total, True
        self._set_status(self._status_for(self.rows.results))

    def _status_for(self, results: SearchResults) -> Content:
        new = len(self.rows.new) if self.rows is not None and self.rows.results is results else 0
        return status_line(results, self.sort, self.exact, self._style("search-pane--note"), new=new)

    def show_bookmarks(self, query: str, bookmarks: list[Bookmark]) -> None:
        """Bookmarks found by an ``in:bookmarks`` query."""
        if query != self.query_sent:
            return
        self.rows = self.result_list.rows = None
        self.bookmark_results = list(bookmarks)
        self._shown_query = query
        self.suggestion = ""
        options: list[Option | None] = []
        for number, bookmark in enumerate(self.bookmark_results):
            if number:
                options.append(None)
            content = bookmark_content(
                bookmark,
                quote=".search-pane--title",
                meta=".search-pane--meta",
                tag=".search-pane--tag",
                note=Style(),
                warning=".search-pane--note",
            )
            options.append(Option(content, id=f"hit-{number}"))
        result_list = self.result_list
        result_list.set_options(options)
        if self.bookmark_results:
            result_list.highlighted = 0
        count = len(self.bookmark_results)
        self._set_status(Content(f"{count:,} bookmark{'s' if count != 1 else ''}" if count else "No bookmarks match"))
        self.post_message(self.ResultsShown(query, count))
        if self._open_when_shown:
            self._open_when_shown = False
            self._open(0)

    def show_error(self, query: str, message: str) -> None:
        if query != self.query_sent:
            return
        self.rows = self.result_list.rows = None
        self.bookmark_results = None
        self.suggestion = ""
        self.result_list.clear_options()
        self._set_status(
            Content.assemble((safe_inline(message, 200) or "Invalid query", self._style("search-pane--error")))
        )
        self.post_message(self.ResultsShown(query, 0))

    def _set_status(self, content: Content) -> None:
        self.query_one("#search-status", Static).update(content)

    # -- choosing ----------------------------------------------------------------

    @on(OptionList.OptionSelected, "#search-results")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._open(event.option_index)

    def _open(self, option_index: int) -> None:
        option = self.result_list.get_option_at_index(option_index) if option_index < self.result_list.option_count else None
        number = int(option.id.split("-")[1]) if option is not None and option.id else 0
        if self.bookmark_results is not None:
            if self.bookmark_results:
                self.post_message(self.BookmarkChosen(self.bookmark_results[min(number, len(self.bookmark_results) - 1)]))
            return
        results = self.results
        if results is None or not results.hits:
            return
        hit = results.hits[min(number, len(results.hits) - 1)]
        offsets = [snippet.offset + snippet.spans[0][0] for snippet in hit.snippets if snippet.spans]
        offset = min(offsets) if offsets else None
        self.remember(self.input.value)
        self.post_message(
            self.ResultChosen(hit, self.query_sent, tuple(results.terms), offset, self._completion_sent, self.exact)
        )

    def action_results(self) -> None:
        """Down: a later search while going through the history, else into the results."""
        if self._history_at >= 0:
            self._history_newer()
        elif self.result_list.option_count:
            self.screen.set_focus(self.result_list)

    def action_close(self) -> None:
        self.post_message(self.Closed())

    def action_accept_suggestion(self) -> None:
        if self.suggestion:
            self.input.value = self.suggestion
            self.input.cursor_position = len(self.suggestion)
            self.screen.set_focus(self.input)

    def action_explain(self) -> None:
        """ctrl+o: how the query was understood, and why the highlighted hit ranks where it does."""
        results = self.results
        if results is None or self._shown_query != self.query_sent:
            self.app.bell()
            return
        number = self.highlighted_hit()
        hit_id = results.hits[number].id if number is not None and number < len(results.hits) else None
        self.post_message(
            self.ExplainRequested(self.query_sent, self._completion_sent, self.exact, self.sort, hit_id, number)
        )

    def action_save(self) -> None:
        """ctrl+s: keep this search; the saved-searches pane (w) counts what arrives for it."""
        scope, text = split_scope(self.input.value)
        if scope == "bookmarks":
            self._set_status(Content("Searches of your bookmarks (in:bookmarks) are not saved; articles searches are."))
            return
        if not text.strip():
            self.app.bell()
            return
        self.post_message(self.SaveRequested(" ".join(text.split()), self.exact))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "accept_suggestion":
            return bool(self.suggestion)
        if action == "explain":
            return self.results is not None
        if action == "save":
            return bool(self.input.value.strip())
        return True
