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
   (rapidfuzz's Indel similarity) if it clears a high threshold.

Re-anchoring runs for every bookmark of a changed article, so each step is
at most linear in the body: a body is normalised once per article
(:class:`Body`), the fuzzy step aligns the quote only with the few windows
that verbatim pieces of it point to (none: no match, at the cost of a few
substring searches), rapidfuzz's bit-parallel alignment replaces difflib's
quadratic one, and every fuzzy search stops at a deadline.

Pure functions over strings (quote and dash folding from :mod:`reader.text.fold`);
rapidfuzz is imported only by the fuzzy step.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from ..text.fold import DASHES, QUOTE_FOLD

CONTEXT_CHARS = 32

#: A fuzzy match must be at least this similar to the stored quote.
FUZZY_THRESHOLD = 0.85
#: Short quotes need to be closer still: a few changed letters make another phrase.
SHORT_FUZZY_THRESHOLD = 0.9
SHORT_QUOTE = 30
#: Below this many (normalised) characters there is no fuzzy matching at all.
MIN_FUZZY_CHARS = 10
#: Seconds one fuzzy search may take; past it the best match found so far counts.
FUZZY_BUDGET = 0.5
#: Above this many characters a quote is only found verbatim or normalised: one
#: alignment of a window costs ~ length**2 / 64 steps, about 0.3 s here.
MAX_FUZZY_CHARS = 10_000

_CHAR_MAP = {**QUOTE_FOLD, "\u2026": "..."}
_DASHES = frozenset(DASHES)
_INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")
#: The same folding as :func:`normalise` for text whose origins are not needed.
_QUOTE_TABLE = str.maketrans({**_CHAR_MAP, **dict.fromkeys(_INVISIBLE), **dict.fromkeys(_DASHES, "-")})
_SPACE_RUN = re.compile(r"\s+")
_DASH_RUN = re.compile(r"-{2,}")
_GRAM = 4


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a quote was found: ``body[start:end]`` is the (possibly new) quote."""

    start: int
    end: int
    method: str  # "position", "exact", "normalised", "casefold", "fuzzy"
    score: float = 1.0


@dataclass
class Body:
    """An article body prepared for many lookups: its normalised forms are made once.

    Re-anchoring 200,000 bookmarks of one article normalised the body three
    times per bookmark; with a :class:`Body` that happens once per article.
    """

    text: str
    _forms: dict[bool, tuple[str, list[int]]] = field(default_factory=dict, repr=False)
    _grams: frozenset[str] | None = field(default=None, repr=False)

    def normalised(self, fold: bool) -> tuple[str, list[int]]:
        if fold not in self._forms:
            self._forms[fold] = normalise(self.text, fold=fold)
        return self._forms[fold]

    def may_contain(self, folded: str) -> bool:
        """False when the case-folded normalised ``folded`` cannot occur in the body:
        one of its character 4-grams does not.  A set lookup per character of
        ``folded`` instead of a scan of the body, which is what makes a
        bookmark that matches nothing cheap."""
        if self._grams is None:
            haystack = self.normalised(True)[0]
            self._grams = frozenset(haystack[i : i + _GRAM] for i in range(len(haystack) - _GRAM + 1))
        grams = self._grams
        return all(folded[i : i + _GRAM] in grams for i in range(len(folded) - _GRAM + 1))


def _prepared(body: str | Body) -> Body:
    return body if isinstance(body, Body) else Body(body)


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


def fold_text(text: str) -> str:
    """``text`` normalised and case-folded as :func:`normalise` does, without the
    origins: for comparing and searching short texts quickly."""
    return _normalised_quote(text, True)


def _normalised_quote(quote: str, fold: bool) -> str:
    """``normalise(quote, fold=fold)[0].strip()``, several times faster (one per bookmark)."""
    text = _DASH_RUN.sub("-", _SPACE_RUN.sub(" ", quote.translate(_QUOTE_TABLE)))
    if fold:
        text = "".join(map(str.lower, text))  # per character, as normalise does
    return text.strip()


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
    """0..1: 2 * (longest common subsequence) / (total length), as difflib's ratio
    approximates, in time ~ len(a) * len(b) / 64 (bit-parallel)."""
    from rapidfuzz.distance import Indel

    if not a and not b:
        return 1.0
    return float(Indel.normalized_similarity(a, b))


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
    body: str | Body,
    quote: str,
    start: int,
    end: int,
    prefix: str = "",
    suffix: str = "",
    *,
    budget: float = FUZZY_BUDGET,
) -> Anchor | None:
    """Re-find a bookmarked passage in ``body``; ``None`` when it is gone.

    Pass a :class:`Body` when locating many passages in one text.  The
    fuzzy step stops after ``budget`` seconds with the best match so far.
    """
    if not quote:
        return None
    prepared = _prepared(body)
    text = prepared.text
    wanted = (1.0 if prefix else 0.0) + (1.0 if suffix else 0.0)
    if 0 <= start <= end <= len(text) and text[start:end] == quote:
        if _context_score(text, start, end, prefix, suffix) >= wanted:
            return Anchor(start, end, "position")
    folded = _normalised_quote(quote, True)
    # Text that occurs verbatim also occurs normalised and folded, so when
    # the folded quote cannot occur neither can the quote: straight to fuzzy.
    possible = not folded or prepared.may_contain(folded)
    if possible:
        # Every exact occurrence (the one at the old position competes on context too).
        spans = [(p, p + len(quote)) for p in _occurrences(text, quote)]
        found = _best(text, spans, prefix, suffix, start, "exact")
        if found:
            if found.start == start and found.end == end:
                return Anchor(start, end, "position", found.score)
            return found
    if not folded:
        return None
    if possible:
        for fold, method in ((False, "normalised"), (True, "casefold")):
            needle = folded if fold else _normalised_quote(quote, False)
            haystack, origin = prepared.normalised(fold)
            spans = [_back(origin, p, p + len(needle)) for p in _occurrences(haystack, needle)]
            found = _best(text, spans, prefix, suffix, start, method)
            if found:
                return found
    return _fuzzy(prepared, folded, start, prefix, suffix, None, time.monotonic() + budget)


def _threshold(length: int) -> float:
    return SHORT_FUZZY_THRESHOLD if length < SHORT_QUOTE else FUZZY_THRESHOLD


def fuzzy_locate(
    body: str | Body,
    quote: str,
    old_start: int = 0,
    prefix: str = "",
    suffix: str = "",
    threshold: float | None = None,
    *,
    deadline: float | None = None,
) -> Anchor | None:
    """The window of ``body`` most similar to ``quote``, if similar enough.

    Candidate windows come from seeds: evenly spaced chunks of the quote
    that still occur verbatim in the body vote for where the passage now
    starts (no seed found: no match, cheaply).  Each candidate window is
    aligned with the quote and trimmed or extended to the span that best
    matches the whole quote, then snapped to word boundaries.  Works on
    case-folded normalised text.  Past ``deadline`` (``time.monotonic()``)
    no further window is tried: each costs about ``len(quote)**2 / 64``
    machine operations, so the first always fits.
    """
    prepared = _prepared(body)
    return _fuzzy(prepared, _normalised_quote(quote, True), old_start, prefix, suffix, threshold, deadline)


def _fuzzy(
    prepared: Body,
    needle: str,
    old_start: int,
    prefix: str,
    suffix: str,
    threshold: float | None,
    deadline: float | None,
) -> Anchor | None:
    """:func:`fuzzy_locate` for a quote already normalised and case-folded."""
    from rapidfuzz.distance import Indel

    text = prepared.text
    haystack, origin = prepared.normalised(True)
    m = len(needle)
    if not MIN_FUZZY_CHARS <= m <= MAX_FUZZY_CHARS or not haystack:
        return None
    limit = _threshold(m) if threshold is None else threshold

    chunk = max(4, min(16, m // 4))
    seeds = min(16, max(2, m // chunk))
    votes: list[tuple[int, int]] = []  # (where the quote would start, the seed's offset in it)
    for i in range(seeds):
        offset = (i * (m - chunk)) // (seeds - 1)
        piece = needle[offset : offset + chunk]
        if not prepared.may_contain(piece):
            continue
        hits = _occurrences(haystack, piece, limit=65)
        if len(hits) > 64:  # too common a phrase to say anything
            continue
        votes.extend((hit - offset, offset) for hit in hits)
    if not votes:
        return None

    slack = m // 4 + 8
    votes.sort()
    clusters: list[list[tuple[int, int]]] = [[votes[0]]]
    for vote in votes[1:]:
        if vote[0] - clusters[-1][-1][0] <= slack:
            clusters[-1].append(vote)
        else:
            clusters.append([vote])
    clusters.sort(key=len, reverse=True)

    best: tuple[float, float, int, int] | None = None
    for tried, cluster in enumerate(clusters[:24]):
        if deadline is not None and tried and time.monotonic() > deadline:
            break  # the best-supported window (the first) is always tried
        lo = max(0, cluster[0][0] - slack)
        hi = min(len(haystack), cluster[-1][0] + m + slack)
        window = haystack[lo:hi]
        blocks = [(b.a, b.b, b.size) for b in Indel.opcodes(window, needle).as_matching_blocks() if b.size]
        if not blocks:
            continue
        # Stray one- or two-letter matches at the edges would drag the span
        # out; try the edges of the substantial blocks too, each both as
        # matched and extended by the quote's unmatched head or tail.
        solid = [b for b in blocks if b[2] >= 3] or blocks
        starts, ends = set(), set()
        for at, in_quote, _ in {blocks[0], solid[0]}:
            starts |= {at, max(0, at - in_quote)}
        for at, in_quote, size in {blocks[-1], solid[-1]}:
            tail = m - in_quote - size
            ends |= {at + size, min(len(window), at + size + tail)}
        # Where the seeds nearest the quote's ends say it starts and ends: an
        # edge block of the alignment can be a stray match in the slack.
        # (A vote is hit - offset, so the end is the last seed's vote + m.)
        first_start = min(cluster, key=lambda vote: vote[1])[0] - lo
        last_start = max(cluster, key=lambda vote: vote[1])[0] - lo
        starts.add(min(max(0, first_start), len(window)))
        ends.add(min(max(0, last_start + m), len(window)))
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
        ctx = _context_score(text, span[0], span[1], prefix, suffix)
        key = (ratio, ctx + 0.5 * _proximity(span[0], old_start, len(text)), span[0], span[1])
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
