"""The article list's rows: each summary cleaned once, in a worker (no Textual here).

At 100k articles this is the costly part of loading the list, so it is done
in bulk (a few regex passes over joined strings) and off the event loop; the
list then only sorts, filters and draws these records.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from typing import NamedTuple

from ...model import ArticleSummary
from ..safe import safe_inline_many

__all__ = ["Row", "make_rows"]


class Row(NamedTuple):
    """One article, cleaned and ready to draw; built off the event loop."""

    id: str
    title: str
    date: str
    source: str
    authors: str
    words: int
    haystack: str  # casefolded title, source and authors, for the filter
    title_key: str
    source_key: str


def _casefold_many(values: list[str]) -> list[str]:
    if not values:
        return []  # "".split(sep) is [""]: one key for no value
    return "\uffff".join(values).casefold().split("\uffff")


def make_rows(summaries: Iterable[ArticleSummary]) -> list[Row]:
    """Clean every summary once (in a worker: this is the costly part at 100k)."""
    summaries = list(summaries)
    titles = [title or "(untitled)" for title in safe_inline_many([s.title for s in summaries])]
    sources = safe_inline_many([summary.source for summary in summaries], 60)
    authors = safe_inline_many([", ".join(summary.authors) for summary in summaries], 120)
    dates = safe_inline_many([summary.date for summary in summaries], 10)
    title_keys = _casefold_many(titles)
    source_keys = _casefold_many(sources)
    author_keys = _casefold_many(authors)
    haystacks = [f"{tk}\n{sk}\n{ak}" for tk, sk, ak in zip(title_keys, source_keys, author_keys, strict=True)]
    ids = [summary.id for summary in summaries]
    words = [summary.word_count for summary in summaries]
    # 100k new tuples would set off several full garbage collections for nothing
    enabled = gc.isenabled()
    gc.disable()
    try:
        return list(
            map(Row._make, zip(ids, titles, dates, sources, authors, words, haystacks, title_keys, source_keys, strict=True))
        )
    finally:
        if enabled:
            gc.enable()
