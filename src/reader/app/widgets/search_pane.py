"""The search pane: a query box, a status line and ranked results with snippets."""

from __future__ import annotations

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

from ...model import Hit, SearchResults, Snippet
from ..query import SCOPE_BOOKMARKS, as_you_type, split_scope, typing_scope
from ..safe import safe_body, safe_inline
from .bookmarks_pane import bookmark_content
from .input_list import InputList, list_bindings

if TYPE_CHECKING:
    from ...bookmarks import Bookmark

#: The least time between two queries sent while typing (seconds): a key
#: after a pause searches at once, keys in quick succession wait for a pause.
DEBOUNCE = 0.06
#: Characters of the snippet shown per result (3–4 lines in a narrow pane).
SNIPPET_CHARS = 180
HINT = 'Type to search: words, "a phrase", AND / OR / NOT, title:word, prefix*; in:bookmarks words'
SCOPE_HINT = "in:bookmarks searches your bookmarks' quotes, notes, tags and titles"


def snippet_content(snippet: Snippet, hit_style: Style) -> Content:
    """One snippet as Content with the matches styled (never markup)."""
    text, remap = safe_body(snippet.text[: SNIPPET_CHARS * 4])
    text = text.replace("\n", " ")
    spans = [(remap(start), remap(end)) for start, end in snippet.spans]
    if len(text) > SNIPPET_CHARS:
        # keep the first match in view, and cut between words
        first = spans[0][0] if spans else 0
        begin = max(0, min(first - 40, len(text) - SNIPPET_CHARS))
        if begin:
            space = text.find(" ", begin, first)
            begin = space + 1 if space >= 0 else begin
        end = begin + SNIPPET_CHARS
        if end < len(text):
            space = text.rfind(" ", begin + SNIPPET_CHARS // 2, end)
            end = space if space >= 0 else end
        text = ("…" if begin else "") + text[begin:end] + ("…" if end < len(text) else "")
        shift = begin - (1 if begin else 0)
        spans = [(start - shift, end_ - shift) for start, end_ in spans]
    content = Content(text)
    for start, end in spans:
        content = content.stylize(hit_style, max(0, start), min(end, len(text)))
    return content


class ResultList(InputList, inherit_bindings=False):
    """Search results; Up on the first result goes back to the query box."""

    INPUT_ID = "search-input"
    BINDINGS = list_bindings("results")


class SearchPane(Vertical):
    """``/`` opens it; results update as you type; Enter opens the article at the hit."""

    BINDINGS = [
        Binding("escape", "close", "Close search", id="search.close"),
        Binding("down", "results", "Results", show=False, id="search.results"),
        Binding("ctrl+y", "accept_suggestion", "Use suggestion", id="search.accept_suggestion"),
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
        ``text`` is what to look for in the bookmarks.
        """

        def __init__(self, text: str, query: str, scope: str = "articles", completion: bool = False) -> None:
            super().__init__()
            self.text = text
            self.query = query
            self.scope = scope
            self.completion = completion  # the "*" was added to the word being typed

    class BookmarkChosen(Message):
        """A bookmark found with ``in:bookmarks``: open its article at the passage."""

        def __init__(self, bookmark: Bookmark) -> None:
            super().__init__()
            self.bookmark = bookmark

    class ResultChosen(Message):
        def __init__(
            self, hit: Hit, query: str, terms: tuple[str, ...], offset: int | None, completion: bool = False
        ) -> None:
            super().__init__()
            self.hit = hit
            self.query = query
            self.terms = terms
            self.offset = offset
            self.completion = completion  # the query's "*" was added to the word being typed

    class Closed(Message):
        pass

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
        self.results: SearchResults | None = None
        self.bookmark_results: list[Bookmark] | None = None
        self.query_sent = ""
        self._completion_sent = False
        self.suggestion = ""
        self._open_when_shown = False
        self._shown_query = ""

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
        if self.results is not None and self._shown_query == self.query_sent:
            self.show_results(self.query_sent, self.results)

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

    # -- typing ----------------------------------------------------------------

    @on(Input.Changed, "#search-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        now = monotonic()
        typing_fast = now - self._last_key < DEBOUNCE
        self._last_key = now
        if typing_fast:
            self._timer = self.set_timer(DEBOUNCE, self._send)
        else:  # the first key after a pause: no reason to wait
            self._send()

    def _send(self) -> None:
        self._timer = None
        self._open_when_shown = False
        text = self.input.value
        scope, rest = split_scope(text)
        if scope == "bookmarks":
            query = f"{SCOPE_BOOKMARKS} {rest.strip()}".strip()
            if query == self.query_sent:
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
        if query == self.query_sent and completion == self._completion_sent:
            return
        self.query_sent, self._completion_sent = query, completion
        if not query:
            self.clear_results()
            return
        self.post_message(self.QueryChanged(text, query, completion=completion))

    def flush(self) -> None:
        """Send a pending query now (Enter before the debounce ran out)."""
        if self._timer is not None:
            self._timer.stop()
            self._send()

    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.flush()
        if (self.results is None and self.bookmark_results is None) or self._shown_query != self.query_sent:
            self._open_when_shown = True  # typed and hit Enter at once: open when they come
            return
        self._open(self.result_list.highlighted or 0)

    # -- results in --------------------------------------------------------------

    def _style(self, name: str) -> Style:
        return Style.from_rich_style(self.get_component_rich_style(name, partial=True))

    def clear_results(self, hint: Content | None = None) -> None:
        self.results = None
        self.bookmark_results = None
        self.suggestion = ""
        self.result_list.clear_options()
        self._set_status(hint or Content(HINT))

    def show_results(self, query: str, results: SearchResults) -> None:
        if query != self.query_sent:
            return  # a newer query is on its way
        self.results = results
        self.bookmark_results = None
        self._shown_query = query
        self.suggestion = results.suggestion or ""
        title_style = self._style("search-pane--title")
        meta_style = self._style("search-pane--meta")
        hit_style = self._style("search-pane--hit")
        options: list[Option | None] = []
        for number, hit in enumerate(results.hits):
            meta = " · ".join(
                value for value in (safe_inline(hit.date, 20), safe_inline(hit.source, 60)) if value
            )
            parts: list[Content] = [
                Content.assemble((safe_inline(hit.title) or "(untitled)", title_style)),
            ]
            if meta:
                parts.append(Content.assemble((meta, meta_style)))
            for snippet in hit.snippets[:1]:
                parts.append(snippet_content(snippet, hit_style))
            if number:
                options.append(None)
            options.append(Option(Content("\n").join(parts), id=f"hit-{number}"))
        result_list = self.result_list
        result_list.set_options(options)
        if results.hits:
            result_list.highlighted = 0
        self._set_status(self._status_for(results))
        self.post_message(self.ResultsShown(query, len(results.hits)))
        if self._open_when_shown:
            self._open_when_shown = False
            self._open(0)

    def show_count(self, total: int) -> None:
        """The count of the results on screen, which came after them."""
        if self.results is None:
            return
        self.results.total, self.results.counted = total, True
        self._set_status(self._status_for(self.results))

    def _status_for(self, results: SearchResults) -> Content:
        total = results.total
        if total == 0:
            status = Content("No results")
        elif not results.counted:
            status = Content(f"{total:,}+ results (counting…)")
        else:
            shown = f" (top {len(results.hits)})" if len(results.hits) < total else ""
            status = Content(f"{total:,} result{'s' if total != 1 else ''}{shown}")
        note_style = self._style("search-pane--note")
        if results.fallback:
            status = status + Content.assemble(("\nNo article has every word; showing any word.", note_style))
        if results.suggestion:
            status = status + Content.assemble(
                ("\nDid you mean ", note_style),
                (safe_inline(results.suggestion, 80), note_style + Style(bold=True)),
                ("? ctrl+y", note_style),
            )
        return status

    def show_bookmarks(self, query: str, bookmarks: list[Bookmark]) -> None:
        """Bookmarks found by an ``in:bookmarks`` query."""
        if query != self.query_sent:
            return
        self.results = None
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
        self.results = None
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
        if self.results is None or not self.results.hits:
            return
        hit = self.results.hits[min(number, len(self.results.hits) - 1)]
        offsets = [snippet.offset + snippet.spans[0][0] for snippet in hit.snippets if snippet.spans]
        offset = min(offsets) if offsets else None
        self.post_message(
            self.ResultChosen(hit, self.query_sent, tuple(self.results.terms), offset, self._completion_sent)
        )

    def action_results(self) -> None:
        if self.result_list.option_count:
            self.screen.set_focus(self.result_list)

    def action_close(self) -> None:
        self.post_message(self.Closed())

    def action_accept_suggestion(self) -> None:
        if self.suggestion:
            self.input.value = self.suggestion
            self.input.cursor_position = len(self.suggestion)
            self.screen.set_focus(self.input)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "accept_suggestion":
            return bool(self.suggestion)
        return True
