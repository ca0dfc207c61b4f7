"""Finding a bookmarked passage again in an article body that may have changed.

A bookmark is anchored the way a W3C Web Annotation is: a TextQuoteSelector
(the exact quote plus ~32 characters of prefix and suffix) and a
TextPositionSelector (start/end character offsets into the body).  The
position is only a hint; the quote and its context decide.

:func:`locate` tries, in order:

1. the old position, when the quote is still there and its context still fits;
2. every exact occurrence of the quote, ranked by how well the surrounding
   text matches the stored prefix/suffix and by closeness to the old offset;
3. the same on text normalised for whitespace, quote characters, dashes and
   invisible characters (then also ignoring case);
4. a fuzzy match: the window of the body most similar to the quote
   (difflib ratio) if it clears a high threshold.

Pure functions over strings, standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass

CONTEXT_CHARS = 32

#: A fuzzy match must be at least this similar to the stored quote.
FUZZY_THRESHOLD = 0.85
#: Short quotes need to be closer still: a few changed letters make another phrase.
SHORT_FUZZY_THRESHOLD = 0.9
SHORT_QUOTE = 30
#: Below this many (normalised) characters there is no fuzzy matching at all.
MIN_FUZZY_CHARS = 10

_CHAR_MAP = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u00b4": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
    "\u2026": "...",
}
_DASHES = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212")
_INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a quote was found: ``body[start:end]`` is the (possibly new) quote."""

    start: int
    end: int
    method: str  # "position", "exact", "normalised", "casefold", "fuzzy"
    score: float = 1.0


def context(body: str, start: int, end: int, chars: int = CONTEXT_CHARS) -> tuple[str, str]:
    """The ``(prefix, suffix)`` around ``body[start:end]``."""
    return body[max(0, start - chars) : start], body[end : end + chars]


def normalise(text: str, *, fold: bool = False) -> tuple[str, list[int]]:
    """Text with tolerated differences removed, and where each character came from.

    Runs of whitespace become one space, curly quotes and guillemets become
    straight quotes, runs of dashes become one ``-``, ``…`` becomes ``...``,
    soft hyphens and zero-width characters vanish; ``fold`` also lower-cases.
    ``origin[i]`` is the index in ``text`` of normalised character ``i``.
    """
    out: list[str] = []
    origin: list[int] = []
    previous = ""
    for index, char in enumerate(text):
        if char in _INVISIBLE:
            continue
        if char.isspace():
            if previous == " ":
                continue
            piece = " "
        elif char in _DASHES:
            if previous == "-":
                continue
            piece = "-"
        else:
            piece = _CHAR_MAP.get(char, char)
            if fold:
                piece = piece.lower()
        for part in piece:
            out.append(part)
            origin.append(index)
        previous = piece[-1] if piece else previous
    return "".join(out), origin


def _occurrences(haystack: str, needle: str, limit: int | None = None) -> list[int]:
    found, position = [], haystack.find(needle)
    while position != -1:
        found.append(position)
        if limit is not None and len(found) >= limit:
            break
        position = haystack.find(needle, position + 1)
    return found


def _back(origin: list[int], start: int, end: int) -> tuple[int, int]:
    """Map a normalised span back to original offsets."""
    return origin[start], origin[end - 1] + 1


def _normalised_quote(quote: str, fold: bool) -> str:
    return normalise(quote, fold=fold)[0].strip()


def find_quote(body: str, quote: str, *, near: int | None = None) -> tuple[int, int] | None:
    """Offsets of ``quote`` in ``body``, tolerating whitespace, quote-mark and case differences.

    Exact text is preferred over normalised text, and normalised over
    case-folded.  With several occurrences the first is returned, or the
    one nearest ``near``.  ``body[start:end]`` is the article's own text for
    the passage, which is what a bookmark stores as its quote.
    """
    if not quote or not quote.strip():
        return None

    def pick(candidates: list[tuple[int, int]]) -> tuple[int, int] | None:
        if not candidates:
            return None
        if near is None:
            return candidates[0]
        return min(candidates, key=lambda span: (abs(span[0] - near), span[0]))

    exact = quote.strip()
    found = pick([(p, p + len(exact)) for p in _occurrences(body, exact)])
    if found:
        return found
    for fold in (False, True):
        needle = _normalised_quote(quote, fold)
        if not needle:
            return None
        haystack, origin = normalise(body, fold=fold)
        found = pick([_back(origin, p, p + len(needle)) for p in _occurrences(haystack, needle)])
        if found:
            return found
    return None


def _similarity(a: str, b: str) -> float:
    from difflib import SequenceMatcher

    if not a and not b:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _context_score(body: str, start: int, end: int, prefix: str, suffix: str) -> float:
    """0..2: how well the text around ``body[start:end]`` matches the stored context."""
    score = 0.0
    if prefix:
        before = body[max(0, start - len(prefix)) : start]
        score += 1.0 if before == prefix else _similarity(prefix, before)
    if suffix:
        after = body[end : end + len(suffix)]
        score += 1.0 if after == suffix else _similarity(suffix, after)
    return score


def _proximity(start: int, old_start: int, length: int) -> float:
    return 1.0 - min(1.0, abs(start - old_start) / max(length, 1))


def _best(
    body: str,
    spans: list[tuple[int, int]],
    prefix: str,
    suffix: str,
    old_start: int,
    method: str,
) -> Anchor | None:
    if not spans:
        return None
    if len(spans) > 200:  # a very common phrase: only the copies near the old place
        spans = sorted(spans, key=lambda span: abs(span[0] - old_start))[:200]
    best, best_key = None, None
    for start, end in spans:
        ctx = _context_score(body, start, end, prefix, suffix)
        key = (ctx + 0.5 * _proximity(start, old_start, len(body)), -abs(start - old_start))
        if best_key is None or key > best_key:
            best, best_key = Anchor(start, end, method, ctx), key
    return best


def locate(
    body: str,
    quote: str,
    start: int,
    end: int,
    prefix: str = "",
    suffix: str = "",
) -> Anchor | None:
    """Re-find a bookmarked passage in ``body``; ``None`` when it is gone."""
    if not quote:
        return None
    wanted = (1.0 if prefix else 0.0) + (1.0 if suffix else 0.0)
    if 0 <= start <= end <= len(body) and body[start:end] == quote:
        if _context_score(body, start, end, prefix, suffix) >= wanted:
            return Anchor(start, end, "position")
    # Every exact occurrence (the one at the old position competes on context too).
    spans = [(p, p + len(quote)) for p in _occurrences(body, quote)]
    found = _best(body, spans, prefix, suffix, start, "exact")
    if found:
        if found.start == start and found.end == end:
            return Anchor(start, end, "position", found.score)
        return found
    for fold, method in ((False, "normalised"), (True, "casefold")):
        needle = _normalised_quote(quote, fold)
        if not needle:
            return None
        haystack, origin = normalise(body, fold=fold)
        spans = [_back(origin, p, p + len(needle)) for p in _occurrences(haystack, needle)]
        found = _best(body, spans, prefix, suffix, start, method)
        if found:
            return found
    return fuzzy_locate(body, quote, start, prefix, suffix)


def _threshold(length: int) -> float:
    return SHORT_FUZZY_THRESHOLD if length < SHORT_QUOTE else FUZZY_THRESHOLD


def fuzzy_locate(
    body: str,
    quote: str,
    old_start: int = 0,
    prefix: str = "",
    suffix: str = "",
    threshold: float | None = None,
) -> Anchor | None:
    """The window of ``body`` most similar to ``quote``, if similar enough.

    Candidate windows come from seeds: evenly spaced chunks of the quote
    that still occur verbatim in the body vote for where the passage now
    starts.  Each candidate window is aligned with difflib and trimmed or
    extended to the span that best matches the whole quote, then snapped
    to word boundaries.  Works on case-folded normalised text.
    """
    from difflib import SequenceMatcher

    haystack, origin = normalise(body, fold=True)
    needle = _normalised_quote(quote, True)
    m = len(needle)
    if m < MIN_FUZZY_CHARS or not haystack:
        return None
    limit = _threshold(m) if threshold is None else threshold

    chunk = max(4, min(16, m // 4))
    seeds = min(16, max(2, m // chunk))
    votes: list[int] = []
    for i in range(seeds):
        offset = (i * (m - chunk)) // (seeds - 1)
        piece = needle[offset : offset + chunk]
        hits = _occurrences(haystack, piece, limit=65)
        if len(hits) > 64:  # too common a phrase to say anything
            continue
        votes.extend(hit - offset for hit in hits)
    if not votes:
        return None

    slack = m // 4 + 8
    votes.sort()
    clusters: list[list[int]] = [[votes[0]]]
    for vote in votes[1:]:
        if vote - clusters[-1][-1] <= slack:
            clusters[-1].append(vote)
        else:
            clusters.append([vote])
    clusters.sort(key=len, reverse=True)

    matcher = SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(needle)  # difflib caches details about the second sequence
    best: tuple[float, float, int, int] | None = None
    for cluster in clusters[:24]:
        lo = max(0, cluster[0] - slack)
        hi = min(len(haystack), cluster[-1] + m + slack)
        window = haystack[lo:hi]
        matcher.set_seq1(window)
        blocks = [b for b in matcher.get_matching_blocks() if b.size]
        if not blocks:
            continue
        # Stray one- or two-letter matches at the edges would drag the span
        # out; try the edges of the substantial blocks too, each both as
        # matched and extended by the quote's unmatched head or tail.
        solid = [b for b in blocks if b.size >= 3] or blocks
        starts, ends = set(), set()
        for first in {blocks[0], solid[0]}:
            starts |= {first.a, max(0, first.a - first.b)}
        for last in {blocks[-1], solid[-1]}:
            tail = m - last.b - last.size
            ends |= {last.a + last.size, min(len(window), last.a + last.size + tail)}
        spans = {_snap(window, s, e) for s in starts for e in ends}
        scored = []
        for s, e in spans:
            if e <= s:
                continue
            ratio = _similarity(needle, window[s:e])
            if ratio >= limit:
                # Among near-equal spans prefer the one as long as the quote:
                # it keeps a replaced first or last word inside the passage.
                scored.append((ratio - 0.2 * abs((e - s) - m) / m, ratio, s, e))
        if not scored:
            continue
        _, ratio, s, e = max(scored)
        span = _back(origin, lo + s, lo + e)
        ctx = _context_score(body, span[0], span[1], prefix, suffix)
        key = (ratio, ctx + 0.5 * _proximity(span[0], old_start, len(body)), span[0], span[1])
        if best is None or key[:2] > best[:2]:
            best = key
    if best is None:
        return None
    ratio, _, start, end = best
    return Anchor(start, end, "fuzzy", ratio)


def _snap(text: str, start: int, end: int, reach: int = 20) -> tuple[int, int]:
    """Widen a span to whole words (within ``reach``) and drop edge spaces."""
    if 0 < start < len(text) and text[start - 1].isalnum() and text[start].isalnum():
        s = start
        while s > 0 and start - s < reach and text[s - 1].isalnum():
            s -= 1
        start = s
    if 0 < end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        e = end
        while e < len(text) and e - end < reach and text[e].isalnum():
            e += 1
        end = e
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
