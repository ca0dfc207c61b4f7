"""Search as you type: the top results at once, their count once typing pauses,
the next page when the list is scrolled to its end, and where the query
matches inside the article opened from them.

Every query gets a sequence number; results, pages and counts of an older one
are dropped when they arrive. One search worker runs at a time (a new key
cancels the last, a page being fetched included), and the count, which can
take longer than finding the hits, runs only when the results have stayed on
screen for COUNT_DELAY.

A keystroke costs what the user sees change. The worker first asks the
library what the query runs (``Library.search_key``, a millisecond or two):
typing on through a word whose completion stays the same (``stock mar`` ->
``mark`` -> ``marke`` -> ``market``, all ``stock AND market``) keeps the
results on screen instead of searching 100k articles again. A search fetches
only the hits the list can show (their snippets with them); scrolling fetches
the next page. A word of one or two letters waits for a pause (search_pane).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from time import perf_counter
from typing import TYPE_CHECKING, Any

from textual.worker import get_current_worker

from ...errors import QueryError
from ...text.near_duplicates import Sketch, fold, sketch
from ..messages import Explained, HistoryLoaded, HitsFound, SearchCounted, SearchDone, SimilarFound
from ..widgets.reading import term_spans
from ..widgets.search_pane import SearchPane
from .base import EXPECTED, Controller, describe

if TYPE_CHECKING:
    from ..screens.main import MainScreen

#: Results fetched per page; the first page only what the list can show (SearchPane.hits_that_fit), if fewer.
SEARCH_LIMIT = 30
#: While typing, the unfinished word stands for its most frequent completion
#: (``pre`` -> ``president``): 1/6 of the time of its 64 most frequent words
#: at 100k articles. A ``*`` typed by the user searches them all.
TYPING_PREFIX_WORDS = 1
#: Seconds the results of a query must stay current before their count starts:
#: longer than the usual gap between two keys, so that counts run once typing
#: pauses instead of competing with the next key's search.
COUNT_DELAY = 0.3
#: Hits explained when the list is sorted by date (their relevance rank is not known).
EXPLAIN_DEPTH = 200
#: What keeping a query in the history can meet: a read-only or busy store, an unusable query.
_HISTORY_ERRORS: tuple[type[Exception], ...] = (*EXPECTED, ValueError)
#: What finding the hits in an article can meet: the article gone, a query only the list could parse.
_HIT_ERRORS: tuple[type[Exception], ...] = (*EXPECTED, QueryError, KeyError)


@dataclass(frozen=True, slots=True)
class Asked:
    """What a query asked the library for: its next pages and its count ask the same."""

    sequence: int
    query: str  # as sent: with the "*" of the word being typed, unless only the typed text parsed
    prefix_words: int | None
    sort: str
    exact: bool


class Search(Controller):
    """The search pane's queries, results, pages and counts, and the open article's hits."""

    sequence = 0
    last_search_seconds = 0.0
    asked: Asked | None = None  # the results on screen, once they are in
    searches_kept = 0  # queries answered by the results already on screen (search_key unchanged)
    _shown_key: tuple[str, str, bool] | None = None  # (search key, sort, exact) of the results on screen

    def __init__(self, screen: MainScreen) -> None:
        super().__init__(screen)
        self._sketches: dict[str, Sketch | None] = {}  # article id -> its body's sketch (near-duplicates)

    def query_changed(self, message: SearchPane.QueryChanged) -> None:
        self.sequence += 1
        self.asked = None
        sequence, query = self.sequence, message.query
        if message.scope == "bookmarks":
            text = message.text

            def find_bookmarks() -> dict[str, Any]:
                """Quote, note, tags or title have every word; entity words (``person:lighthizer``)
                keep the bookmarks in the articles they match."""
                return {"bookmarks": self.library.search_bookmarks(text)}

            self.run(self._searched, sequence, query, find_bookmarks, "searching the bookmarks", "Bookmarks unavailable",
                     group="search")
            return
        raw, sort, exact = message.text.strip(), message.sort, message.exact
        prefix_words = TYPING_PREFIX_WORDS if message.completion else None  # the "*" is ours, not the user's
        pane = self.screen.search
        shown = self._shown_key if pane.rows is not None and pane.suggestion == "" else None
        first = min(SEARCH_LIMIT, pane.hits_that_fit())

        def find() -> dict[str, Any]:
            """The top hits only: counting every match can take longer than finding them (see _count)."""
            asked = Asked(sequence, query, prefix_words, sort, exact)
            key = self._key(asked)
            if key is not None and key == shown:
                return {"results": None, "asked": asked, "key": key, "kept": True}
            try:
                results = self._page(asked, 0, first)
            except QueryError:
                if not raw or raw == query:
                    raise
                asked = Asked(sequence, raw, None, sort, exact)  # what was typed may parse where our "*" did not
                key = None
                results = self._page(asked, 0, first)
            return {"results": results, "prefix_words": asked.prefix_words, "asked": asked, "key": key}

        self.run(self._searched, sequence, query, find, "searching", "Search failed", group="search")

    def _page(self, asked: Asked, offset: int, limit: int = SEARCH_LIMIT) -> Any:
        return self.library.search(
            asked.query, limit=limit, offset=offset, count=False,
            prefix_words=asked.prefix_words, sort=asked.sort, exact=asked.exact,
        )

    def _key(self, asked: Asked) -> tuple[str, str, bool] | None:
        """What the library would run for ``asked`` (None: it cannot tell, or the query does not parse)."""
        search_key = getattr(self.library, "search_key", None)
        if search_key is None:
            return None
        try:
            key = search_key(asked.query, prefix_words=asked.prefix_words, exact=asked.exact)
        except QueryError:
            return None  # the search says why, or tries the text as typed
        return None if key is None else (key, asked.sort, asked.exact)

    def more(self, message: SearchPane.MoreWanted) -> None:
        """The list reached the end of the hits on screen: the next page, in the search worker
        (typing cancels it as it cancels a search)."""
        asked, offset = self.asked, message.offset
        if asked is None or asked.sequence != self.sequence:
            return

        def next_page() -> dict[str, Any]:
            return {"results": self._page(asked, offset), "offset": offset}

        self.run(self._searched, asked.sequence, message.query, next_page, "searching", "Search failed", group="search")

    def _searched(
        self, sequence: int, query: str, find: Callable[[], dict[str, Any]], what: str, failure: str
    ) -> None:
        """Run ``find`` (a search, a next page, the bookmarks) in the search worker and post what
        it found (its keys are SearchDone's fields), or why not, as SearchDone."""
        worker = get_current_worker()
        started = perf_counter()
        found: dict[str, Any] = {}
        error = ""
        try:
            found = find()
        except QueryError as exc:
            error = str(exc) or "Invalid query"
        except EXPECTED as exc:
            error = f"{failure}: {type(exc).__name__}" + (f": {exc}" if str(exc) else "")
        except Exception as exc:  # noqa: BLE001 - logged and shown (raised in tests)
            error = self.unexpected(what, exc)
        if worker.is_cancelled:
            return
        results = found.pop("results", None)
        self.post(SearchDone(sequence, query, results, error, perf_counter() - started, **found))

    def done(self, message: SearchDone) -> None:
        if message.sequence != self.sequence:
            return
        pane = self.screen.search
        if message.offset:
            if message.results is not None:
                pane.add_page(message.query, message.results, message.offset)
                self._fold_similar()
            else:  # the hits on screen stay; scrolling to the end again asks again
                pane.page_failed(message.query, message.error)
            return
        self.last_search_seconds = message.seconds
        self._shown_key = message.key
        if message.kept:
            self.searches_kept += 1
            self.asked = message.asked
            pane.keep_results(message.query)
            results = pane.results
        elif message.bookmarks is not None:
            pane.show_bookmarks(message.query, message.bookmarks)
            return
        elif message.results is None:
            pane.show_error(message.query, message.error)
            return
        else:
            self.asked = message.asked
            pane.show_results(message.query, message.results)
            results = message.results
        if message.asked is not None and results is not None and len(results.hits) > 1:
            # Counted and folded once typing pauses: started on every key they
            # would compete with the next key's search for the interpreter.
            asked = message.asked
            self.screen.set_timer(COUNT_DELAY, lambda: self._when_typing_paused(asked))

    def _when_typing_paused(self, asked: Asked) -> None:
        if asked.sequence != self.sequence:
            return
        results = self.screen.search.results
        if results is not None and not results.counted:
            self.run(self._count, asked, group="search-count")
        self._fold_similar()

    # -- near-duplicates: the same story filed twice folds into one hit ---------------------

    def _fold_similar(self) -> None:
        pane = self.screen.search
        if pane.results is None or self.asked is None:
            return
        ids = [hit.id for hit in pane.results.hits]
        self.run(self._find_similar, self.asked.sequence, pane.query_sent, ids, group="search-similar")

    def _find_similar(self, sequence: int, query: str, ids: list[str]) -> None:
        """Sketch the bodies of the hits not sketched yet (only those fetched), then fold."""
        worker = get_current_worker()
        for article_id in ids:
            if worker.is_cancelled or sequence != self.sequence:
                return
            if article_id not in self._sketches:
                try:
                    self._sketches[article_id] = sketch(self.library.article(article_id).body)
                except _HIT_ERRORS:  # gone or unreadable: it folds with nothing
                    self._sketches[article_id] = None
                except Exception as exc:  # noqa: BLE001 - logged and shown (raised in tests)
                    self.unexpected("comparing the results", exc)
                    return
        similar = fold([self._sketches.get(article_id) for article_id in ids])
        if not worker.is_cancelled:
            self.post(SimilarFound(sequence, query, similar))

    def similar_found(self, message: SimilarFound) -> None:
        if message.sequence == self.sequence:
            self.screen.search.show_similar(message.query, message.similar)

    def sync_finished(self) -> None:
        """Articles may have changed: sketch them again when next shown."""
        self._sketches.clear()

    def _count(self, asked: Asked) -> None:
        worker = get_current_worker()

        def stale() -> bool:  # typing went on, or the app is closing
            return worker.is_cancelled or asked.sequence != self.sequence

        options = {"exact": True} if asked.exact else {}
        try:
            total = self.library.count(asked.query, prefix_words=asked.prefix_words, cancelled=stale, **options)
        except EXPECTED:  # the hits are shown; the count stays "N+"
            return
        except Exception as exc:  # noqa: BLE001 - logged and shown (raised in tests)
            self.unexpected("counting the results", exc)
            return
        if total is not None and not stale():
            self.post(SearchCounted(asked.sequence, asked.query, total))

    def counted(self, message: SearchCounted) -> None:
        if message.sequence == self.sequence:
            self.screen.search.show_count(message.total)

    # -- what a search ran (ctrl+o) -------------------------------------------------------

    def explain(self, message: SearchPane.ExplainRequested) -> None:
        self.run(self._explain, message, group="search-explain")

    def _explain(self, asked: SearchPane.ExplainRequested) -> None:
        """Library.explain ranks by relevance: deep enough to reach the highlighted hit
        (by date, its relevance rank is unknown: the best EXPLAIN_DEPTH)."""
        from ..screens.explain import explanation_content

        if asked.rank is None:
            limit = 1
        else:
            limit = asked.rank + 1 if asked.sort == "relevance" else EXPLAIN_DEPTH
        prefix_words = TYPING_PREFIX_WORDS if asked.completion else None
        try:
            explanation = self.library.explain(asked.query, limit=limit, prefix_words=prefix_words, exact=asked.exact)
        except _HIT_ERRORS as exc:
            self.post(Explained(None, f"Cannot explain this search: {describe(exc)}"))
            return
        except Exception as exc:  # noqa: BLE001 - logged and shown (raised in tests)
            self.unexpected("explaining the search", exc)
            return
        hit = next((hit for hit in explanation.hits if hit.id == asked.hit_id), None)
        self.post(Explained(explanation_content(explanation, hit, asked.rank, asked.sort, asked.exact)))

    def explained(self, message: Explained) -> None:
        from ..screens.explain import ExplainScreen

        if message.content is None:
            self.screen.notify(message.error, severity="warning", markup=False)
        elif self.screen.app.screen is self.screen:  # not over a dialog opened meanwhile
            self.screen.app.push_screen(ExplainScreen(message.content))

    # -- the search box's history (user data: the user-state database) ---------------------

    def load_history(self) -> None:
        if hasattr(self.library, "bookmarks"):
            self.run(self._load_history, group="search-history")

    def _load_history(self) -> None:
        try:
            entries = self.library.bookmarks.search_history()
        except EXPECTED:  # no history this time; searching works the same
            return
        self.post(HistoryLoaded(entries))

    def history_loaded(self, message: HistoryLoaded) -> None:
        self.screen.search.set_history(message.entries)

    def remember(self, message: SearchPane.Committed) -> None:
        if hasattr(self.library, "bookmarks"):
            self.run(self._remember, message.text, group="search-history-write", exclusive=False)

    def _remember(self, text: str) -> None:
        try:
            self.library.bookmarks.add_to_search_history(text)
        except _HISTORY_ERRORS:  # kept for this run only
            pass

    # -- hits in the open article -----------------------------------------------------

    def find_hits(
        self,
        article_id: str,
        query: str,
        terms: tuple[str, ...],
        offset: int | None,
        prefix_words: int | None = None,
        exact: bool = False,
    ) -> None:
        """Where ``query`` (else its analysed ``terms``) matches in the article (HitsFound)."""
        self.run(self._find_hits, article_id, query, terms, offset, prefix_words, exact, group="hits")

    def _find_hits(
        self,
        article_id: str,
        query: str,
        terms: tuple[str, ...],
        offset: int | None,
        prefix_words: int | None,
        exact: bool,
    ) -> None:
        spans: list[tuple[int, int]] = []
        try:
            if query and hasattr(self.library, "hit_spans"):
                options: dict[str, Any] = {"prefix_words": prefix_words} if prefix_words else {}
                if exact:
                    options["exact"] = True
                spans = list(self.library.hit_spans(query, article_id, **options))
            elif terms:
                spans = term_spans(self.library.article(article_id).body, terms)
        except _HIT_ERRORS:  # the article opens without highlights
            spans = []
        except Exception as exc:  # noqa: BLE001 - logged and shown (raised in tests)
            self.unexpected("finding the matches in the article", exc)
            spans = []
        self.post(HitsFound(article_id, query, spans, offset))

    def hits_found(self, message: HitsFound) -> None:
        if message.article_id != self.screen.open_id:
            return
        reading = self.screen.reading
        reading.set_hits(message.spans)
        if reading.targets and reading.target_label == "match":
            reading.go_to_target(0)
        elif message.offset is not None:
            reading.scroll_to_offset(reading.remap_offset(message.offset), context=True)
