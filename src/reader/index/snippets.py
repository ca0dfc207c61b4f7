"""Snippets and hit positions as offsets, never as formatted strings.

Matches are found by running the index's own analyzer over the body and
comparing with the query's analysed terms, so highlighting agrees with what
the index matched (stems, folded quotes, glued words), and a phrase is
highlighted only where the whole phrase occurs. The CLI and the app style the
spans themselves; article text is never parsed as markup.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..model import Snippet

if TYPE_CHECKING:
    from .schema import NewsAnalyzer

SNIPPET_CHARS = 220
_BEFORE = 70


@dataclass
class HighlightTerms:
    """What to highlight: single analysed terms and analysed phrases."""

    terms: set[str] = field(default_factory=set)
    phrases: list[tuple[str, ...]] = field(default_factory=list)
    prefixes: set[str] = field(default_factory=set)
    #: Exact-mode words and phrases (``=word``): compared with the unstemmed analysis.
    exact: HighlightTerms | None = None

    def __post_init__(self) -> None:
        if self.exact is None and type(self) is HighlightTerms:
            self.exact = _ExactTerms()

    def __bool__(self) -> bool:
        return bool(self.terms or self.phrases or self.prefixes or self.exact)

    def matches(self, term: str) -> bool:
        return term in self.terms or any(term.startswith(p) for p in self.prefixes)


class _ExactTerms(HighlightTerms):
    """The exact part of a HighlightTerms (has no exact part of its own)."""


_UNSTEMMED: list[NewsAnalyzer] = []


def _unstemmed() -> NewsAnalyzer:
    if not _UNSTEMMED:
        from .schema import name_analyzer

        _UNSTEMMED.append(name_analyzer())
    return _UNSTEMMED[0]


def match_spans(text: str, wanted: HighlightTerms, analyzer: NewsAnalyzer) -> list[tuple[int, int]]:
    """Every ``(start, end)`` in ``text`` where a term or a whole phrase occurs."""
    if not wanted or not text:
        return []
    if wanted.exact:
        stemmed = HighlightTerms(wanted.terms, wanted.phrases, wanted.prefixes, _ExactTerms())
        return merge_spans(match_spans(text, stemmed, analyzer) + match_spans(text, wanted.exact, _unstemmed()))
    by_position: dict[int, list[tuple[str, int, int]]] = {}
    initials = {term[:1] for term in wanted.terms | wanted.prefixes}
    initials.update(word[:1] for phrase in wanted.phrases for word in phrase)
    for position, term, start, end in analyzer.matches(text, initials):
        by_position.setdefault(position, []).append((term, start, end))
    spans: list[tuple[int, int]] = []
    for position, alternatives in by_position.items():
        for term, start, end in alternatives:
            if wanted.matches(term):
                spans.append((start, end))
        for phrase in wanted.phrases:
            if not phrase or not any(term == phrase[0] for term, _s, _e in alternatives):
                continue
            run = []
            for offset, word in enumerate(phrase):
                slot = by_position.get(position + offset, ())
                found = next(((s, e) for term, s, e in slot if term == word), None)
                if found is None:
                    break
                run.append(found)
            else:
                spans.append((run[0][0], run[-1][1]))
    return merge_spans(spans)


def merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans sorted, overlapping ones joined."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def make_snippets(text: str, wanted: HighlightTerms, analyzer: NewsAnalyzer, top: int = 2) -> tuple[Snippet, ...]:
    """The ``top`` passages with the most distinct matches, in reading order."""
    spans = match_spans(text, wanted, analyzer)
    if not spans:
        return ()
    # Spans are sorted and disjoint, so starts and ends both ascend: the spans
    # inside a window are one slice, found by bisection (a scan per span was
    # quadratic: minutes for a long article full of matches).
    starts = [s for s, _e in spans]
    ends = [e for _s, e in spans]
    windows = []
    for start, _end in spans:
        window_start = max(0, start - _BEFORE)
        window_end = min(len(text), window_start + SNIPPET_CHARS)
        inside = spans[bisect_left(starts, window_start) : bisect_right(ends, window_end)]
        distinct = len({text[s:e].lower() for s, e in inside})
        windows.append((distinct * 10 + len(inside), -start, window_start, window_end))
    windows.sort(reverse=True)
    chosen: list[tuple[int, int]] = []
    for _score, _neg, window_start, window_end in windows:
        if all(window_end <= s or window_start >= e for s, e in chosen):
            chosen.append((window_start, window_end))
        if len(chosen) == top:
            break
    return tuple(_snippet(text, spans, start, end) for start, end in sorted(chosen))


def _snippet(text: str, spans: list[tuple[int, int]], start: int, end: int) -> Snippet:
    inside = [(s, e) for s, e in spans if s >= start and e <= end]
    first = inside[0][0] if inside else start
    last = inside[-1][1] if inside else end
    while start < first and start > 0 and not text[start - 1].isspace():
        start += 1  # begin on a word boundary without cutting the first match
    while end > last and end < len(text) and not text[end].isspace():
        end -= 1
    piece = text[start:end]
    stripped = piece.lstrip()
    start += len(piece) - len(stripped)
    piece = stripped.rstrip().replace("\n", " ")
    return Snippet(piece, tuple((s - start, e - start) for s, e in inside if e - start <= len(piece)), start)
