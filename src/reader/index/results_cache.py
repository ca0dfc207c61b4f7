"""Search results reused while the index stays the same: a query asked again, a backspace while typing.

Typing ``stock m``, ``stock ma``, then backspace asks for ``stock m`` again;
the app also repeats a search when it comes back to a screen. A result is
reused only for the very same request (query, page, order, snippets, the
user's entity corrections) against the very same index generation.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, replace
from typing import Any

from ..model import SearchResults


@dataclass(frozen=True, slots=True)
class SearchRequest:
    """One search as asked for: what :func:`search` runs, and its key in the results cache."""

    text: str
    limit: int
    snippets: bool
    count: bool
    prefix_words: int | None
    offset: int = 0
    sort: str = "relevance"
    #: the user's entity corrections, which change what ``person:`` and the like match
    corrections: tuple[Any, ...] = ()


class ResultsCache:
    """Search results of one index generation, newest used kept (backspace, a query asked again).

    Held by the searcher itself: a sync that changes the index makes the
    store open a new searcher, and the old results go with the old one.
    Results are handed out as copies (the app fills in a total later).
    """

    SIZE = 64

    def __init__(self) -> None:
        self._results: OrderedDict[SearchRequest, SearchResults] = OrderedDict()

    @classmethod
    def of(cls, searcher: Any) -> ResultsCache:
        cache: ResultsCache | None = getattr(searcher, "_reader_results", None)
        if cache is None:
            cache = cls()
            searcher._reader_results = cache
        return cache

    def get(self, request: SearchRequest) -> SearchResults | None:
        found = self._results.get(request)
        if found is None:
            return None
        self._results.move_to_end(request)
        return replace(found, hits=list(found.hits))

    def put(self, request: SearchRequest, results: SearchResults) -> None:
        self._results[request] = replace(results, hits=list(results.hits))
        while len(self._results) > self.SIZE:
            self._results.popitem(last=False)

    def clear(self) -> None:
        self._results.clear()
