"""The article as the pane shows it: its cleaned body and what is marked on it.

No Textual here. The body is cleaned for the terminal (``safe_body``), which
may drop characters; everything that comes in as an offset into
``Article.body`` (mentions, hits, bookmarks) is remapped to the displayed
body once, here, and what goes back out (a passage to bookmark) is mapped
back with :meth:`Document.raw_offset`.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from typing import Any

from ....model import Article, Mention
from ...safe import safe_body
from .targets import MAX_HITS, Mark, SpanIndex, Target


def _identity(offset: int) -> int:
    return offset


class Document:
    """One article's displayed body, paragraphs, mentions, hits and bookmarks."""

    def __init__(self, article: Article | None = None) -> None:
        self.article = article
        self.body = ""
        self.paragraph_spans: list[tuple[int, int]] = []
        self.mentions: SpanIndex[Mention] = SpanIndex()
        self.hits: SpanIndex[Target] = SpanIndex()
        self.marks: SpanIndex[Mark] = SpanIndex()
        self._raw_body = ""
        self._remap: Callable[[int], int] = _identity
        if article is not None:
            self._load(article)

    def _load(self, article: Article) -> None:
        raw = article.body
        body, remap = safe_body(raw)
        self.body, self._raw_body, self._remap = body, raw, remap
        position = 0
        for paragraph in article.paragraphs:
            self.paragraph_spans.append((remap(position), remap(position + len(paragraph))))
            position += len(paragraph) + 2
        mentions = []
        for mention in article.mentions:
            if not (0 <= mention.start < mention.end <= len(raw)):
                continue
            start, end = remap(mention.start), remap(mention.end)
            if end > start:
                mentions.append(Mention(start, end, mention.text, mention.kind, mention.canonical))
        self.mentions = SpanIndex(mentions)

    def remap(self, offset: int) -> int:
        """An offset into ``Article.body`` as an offset into the displayed body."""
        return self._remap(offset)

    def raw_offset(self, offset: int, *, end: bool = False) -> int:
        """A displayed-body offset as an offset into ``Article.body`` (the inverse of remap).

        Characters the display dropped (control characters) stay outside a passage:
        a start maps after them, an end before them.
        """
        if self._remap is _identity:
            return offset
        positions = range(len(self._raw_body) + 1)
        if end:
            return bisect_left(positions, offset, key=self._remap)
        return max(0, bisect_right(positions, offset, key=self._remap) - 1)

    def _remapped(self, start: int, end: int) -> tuple[int, int] | None:
        """``[start, end)`` of ``Article.body`` in the displayed body; None if out of range or emptied."""
        if not (0 <= start < end <= len(self._raw_body)):
            return None
        start, end = self._remap(start), self._remap(end)
        return (start, end) if end > start else None

    def set_hits(self, spans: Iterable[tuple[int, int]]) -> None:
        """Search hits: ``(start, end)`` offsets into ``Article.body`` (the first MAX_HITS)."""
        hits = (self._remapped(start, end) for start, end in list(spans)[:MAX_HITS])
        self.hits = SpanIndex(Target(*hit) for hit in hits if hit is not None)

    def set_bookmarks(self, bookmarks: Iterable[Any]) -> None:
        """Bookmarked passages: records with ``start``/``end`` into ``Article.body``, ``id``,
        ``note`` and ``orphaned``; orphaned ones have no place in the text."""
        marks = []
        for bookmark in bookmarks:
            span = None if getattr(bookmark, "orphaned", False) else self._remapped(bookmark.start, bookmark.end)
            if span is not None:
                marks.append(Mark(*span, bookmark.id, bool(bookmark.note.strip())))
        self.marks = SpanIndex(marks)

    def mentions_of(self, canonical: str, kind: str | None = None) -> list[Mention]:
        return [
            mention
            for mention in self.mentions
            if mention.canonical == canonical and (kind is None or mention.kind == kind)
        ]
