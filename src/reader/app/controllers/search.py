"""Search as you type: the top results at once, their count once typing pauses,
and where the query matches inside the article opened from them.

Every query gets a sequence number; results and counts of an older one are
dropped when they arrive. One search worker runs at a time (a new key
cancels the last), and the count, which can take longer than finding the
hits, runs only when the results have stayed on screen for COUNT_DELAY.
"""

from __future__ import annotations

from time import perf_counter

from textual.worker import get_current_worker

from ...errors import QueryError
from ..messages import HitsFound, SearchCounted, SearchDone
from ..widgets.reading import term_spans
from ..widgets.search_pane import SearchPane
from .base import EXPECTED, Controller, describe

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
#: What finding the hits in an article can meet: the article gone, a query only the list could parse.
_HIT_ERRORS: tuple[type[Exception], ...] = (*EXPECTED, QueryError, KeyError)


class Search(Controller):
    """The search pane's queries, results and counts, and the open article's hits."""

    sequence = 0
    last_search_seconds = 0.0

    def query_changed(self, message: SearchPane.QueryChanged) -> None:
        self.sequence += 1
        if message.scope == "bookmarks":
            self.run(self._search_bookmarks, self.sequence, message.query, message.text, group="search")
        else:
            self.run(
                self._search, self.sequence, message.query, message.text.strip(), message.completion, group="search"
            )

    def _search_bookmarks(self, sequence: int, query: str, text: str) -> None:
        """``in:bookmarks text``: the bookmarks whose quote, note, tags or title have every word."""
        worker = get_current_worker()
        started = perf_counter()
        bookmarks, error = None, ""
        try:
            store = self.library.bookmarks
            bookmarks = store.search(text) if text else store.list()
        except EXPECTED as exc:
            error = f"Bookmarks unavailable: {describe(exc)}"
        except Exception as exc:  # noqa: BLE001 - logged and shown (raised in tests)
            error = self.unexpected("searching the bookmarks", exc)
        if worker.is_cancelled:
            return
        self.post(SearchDone(sequence, query, None, error, perf_counter() - started, bookmarks=bookmarks))

    def _search(self, sequence: int, query: str, raw: str, completion: bool = False) -> None:
        """The top hits only: counting every match can take longer than finding them (see _count)."""
        worker = get_current_worker()
        started = perf_counter()
        results, error = None, ""
        prefix_words = TYPING_PREFIX_WORDS if completion else None  # the "*" is ours, not the user's
        try:
            try:
                results = self.library.search(query, limit=SEARCH_LIMIT, count=False, prefix_words=prefix_words)
            except QueryError as exc:
                error = str(exc) or "Invalid query"
                if raw and raw != query:  # what was typed may parse where our completion did not
                    try:
                        results, error = self.library.search(raw, limit=SEARCH_LIMIT, count=False), ""
                        prefix_words = None
                    except QueryError:
                        pass
        except EXPECTED as exc:
            error = f"Search failed: {type(exc).__name__}: {exc}"
        except Exception as exc:  # noqa: BLE001 - logged and shown (raised in tests)
            error = self.unexpected("searching", exc)
        if worker.is_cancelled:
            return
        self.post(SearchDone(sequence, query, results, error, perf_counter() - started, prefix_words=prefix_words))

    def done(self, message: SearchDone) -> None:
        if message.sequence != self.sequence:
            return
        self.last_search_seconds = message.seconds
        pane = self.screen.search
        if message.bookmarks is not None:
            pane.show_bookmarks(message.query, message.bookmarks)
        elif message.results is None:
            pane.show_error(message.query, message.error)
        else:
            pane.show_results(message.query, message.results)
            if not message.results.counted:
                # Counted once typing pauses: a count started on every key would
                # compete with the next key's search for the interpreter.
                query, prefix_words, sequence = message.results.query, message.prefix_words, message.sequence
                self.screen.set_timer(COUNT_DELAY, lambda: self._count_if_current(sequence, query, prefix_words))

    def _count_if_current(self, sequence: int, query: str, prefix_words: int | None) -> None:
        if sequence == self.sequence:
            self.run(self._count, sequence, query, prefix_words, group="search-count")

    def _count(self, sequence: int, query: str, prefix_words: int | None) -> None:
        worker = get_current_worker()

        def stale() -> bool:  # typing went on, or the app is closing
            return worker.is_cancelled or sequence != self.sequence

        try:
            total = self.library.count(query, prefix_words=prefix_words, cancelled=stale)
        except EXPECTED:  # the hits are shown; the count stays "N+"
            return
        except Exception as exc:  # noqa: BLE001 - logged and shown (raised in tests)
            self.unexpected("counting the results", exc)
            return
        if total is not None and not stale():
            self.post(SearchCounted(sequence, query, total))

    def counted(self, message: SearchCounted) -> None:
        if message.sequence == self.sequence:
            self.screen.search.show_count(message.total)

    # -- hits in the open article -----------------------------------------------------

    def find_hits(
        self, article_id: str, query: str, terms: tuple[str, ...], offset: int | None, prefix_words: int | None = None
    ) -> None:
        """Where ``query`` (else its analysed ``terms``) matches in the article (HitsFound)."""
        self.run(self._find_hits, article_id, query, terms, offset, prefix_words, group="hits")

    def _find_hits(
        self, article_id: str, query: str, terms: tuple[str, ...], offset: int | None, prefix_words: int | None
    ) -> None:
        spans: list[tuple[int, int]] = []
        try:
            if query and hasattr(self.library, "hit_spans"):
                options = {"prefix_words": prefix_words} if prefix_words else {}
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
