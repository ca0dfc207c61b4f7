"""Where sentences end in news prose: one rule-based splitter for the reading
pane's passage cursor, the sentence shown with an entity, the derived title
and the entity cleaner.

A boundary is a line break, or end punctuation (``.``, ``!``, ``?``, ``…``),
optionally closing quotes or brackets, then whitespace and something that can
start a sentence (not a lower-case word). After a full stop the word before
decides:

* titles (``Mr.``, ``Gen.``) never end a sentence;
* ``No.``, ``Vol.`` and friends do not when a number follows (``No. 3``);
* months, street words, corporate forms, dotted abbreviations and initials
  (``Aug.``, ``Ave.``, ``Inc.``, ``U.S.``, ``T.``) end one only when a usual
  sentence opener follows (``on Fifth Ave. Officials said``, ``in the U.S.
  The talks``), not a name (``U.S. Trade Representative``, ``Aug. 5``).

Linear in the text.
"""

from __future__ import annotations

import bisect
import re

#: Longest span :func:`sentence_spans` returns by default; a longer "sentence"
#: (a list, a table, a data dump) is cut after a space.
MAX_SENTENCE = 1500

_BOUNDARY = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019)\]]*(?=\s)")
_WORD_BEFORE = re.compile(r"([\w.\u2019'-]+)$")
_NEXT = re.compile(r"\s+([\"'\u201c\u2018(\[]?)(\S*)")
_OPENING = "\"'\u201c\u2018(["
_DOTTED = re.compile(r"(?:[a-z]\.)+[a-z]")

#: Never end a sentence (lower case, without the final dot): titles.
_TITLES = frozenset(
    """
    mr mrs ms mx dr prof sen rep gov gen lt col capt cmdr sgt adm maj brig pres supt insp
    rev hon messrs mme mlle vs
    """.split()
)
#: Do not end a sentence when a number follows (``No. 3``, ``Vol. 2``).
_BEFORE_NUMBERS = frozenset("no nos vol fig pp p ch art sec".split())
#: End a sentence only when a usual opener follows.
_AMBIGUOUS = frozenset(
    """
    u.s u.k u.n e.u u.a.e inc corp co cos ltd llc plc bros jr sr dept univ assn approx est etc al
    jan feb mar apr jun jul aug sep sept oct nov dec
    st ave blvd rd mt ft p.m a.m
    """.split()
)
#: Words that typically open a sentence (lower case).
_OPENERS = frozenset(
    """
    a an the this that these those it its he she they we i you his her their our my
    but and or so yet still however meanwhile moreover instead also in on at for from with as
    after before since when while if although though because then there here
    what who why how where many most some several few all no not both each other such
    one two three last next earlier later now today yesterday under over by until despite
    during among asked analysts officials
    """.split()
)


def _ends_sentence(text: str, punct_start: int, punct_end: int) -> bool:
    punct = text[punct_start:punct_end]
    following = _NEXT.match(text, punct_end)
    if following is None:
        return True
    opener, word = following.groups()
    first = word[:1]
    if not opener and first and (first.islower() or first in ",;:)]"):
        return False
    if "." not in punct or any(mark in punct for mark in "!?\u2026") or punct.count(".") > 1:
        return True  # "!" / "?" / "…" / "..." end it
    before = _WORD_BEFORE.search(text, max(0, punct_start - 40), punct_start)
    token = before.group(1).lower().lstrip(_OPENING).rsplit("-", 1)[-1] if before else ""
    if not token:
        return True
    if token in _TITLES:
        return False
    if token in _BEFORE_NUMBERS:
        return not word.lstrip(_OPENING)[:1].isdigit()
    if token in _AMBIGUOUS or (len(token) == 1 and token.isalpha()) or _DOTTED.fullmatch(token):
        return word.strip(_OPENING).lower().rstrip(",") in _OPENERS
    return True


def _cut(text: str, start: int, end: int, limit: int | None) -> list[tuple[int, int]]:
    """``[start, end)`` in pieces of at most ``limit`` characters, cut after a space."""
    pieces = []
    while limit and end - start > limit:
        cut = text.rfind(" ", start + limit // 2, start + limit)
        cut = cut + 1 if cut > start else start + limit
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


def _line_spans(text: str, start: int, stop: int, limit: int | None, spans: list[tuple[int, int]]) -> None:
    while start < stop and text[start].isspace():
        start += 1
    for match in _BOUNDARY.finditer(text, start, stop):
        if match.end() <= start or not _ends_sentence(text, match.start(), match.end()):
            continue
        spans.extend(_cut(text, start, match.end(), limit))
        start = match.end()
        while start < stop and text[start].isspace():
            start += 1
    end = stop
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.extend(_cut(text, start, end, limit))


def sentence_spans(text: str, offset: int = 0, *, limit: int | None = MAX_SENTENCE) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence of ``text``, shifted by ``offset``.

    Spans exclude surrounding whitespace; together they cover every
    non-space character. A line break always ends a sentence.
    """
    spans: list[tuple[int, int]] = []
    line_start = 0
    while True:
        newline = text.find("\n", line_start)
        line_end = len(text) if newline == -1 else newline
        _line_spans(text, line_start, line_end, limit, spans)
        if newline == -1:
            break
        line_start = newline + 1
    if offset:
        return [(offset + s, offset + e) for s, e in spans]
    return spans


def sentence_starts(text: str) -> list[int]:
    """Sorted offsets where a sentence (other than the first) starts."""
    return [start for start, _end in sentence_spans(text, limit=None)[1:]]


def sentence_bounds(text: str, start: int, end: int, starts: list[int] | None = None) -> tuple[int, int]:
    """``(s, e)`` of the sentence(s) containing ``text[start:end]``, whitespace-trimmed."""
    if starts is None:
        starts = sentence_starts(text)
    i = bisect.bisect_right(starts, start)
    s = starts[i - 1] if i else 0
    j = bisect.bisect_left(starts, max(end, start + 1))
    e = starts[j] if j < len(starts) else len(text)
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def first_sentence(text: str) -> str:
    """``text`` up to the end of its first sentence (all of it when there is one)."""
    spans = sentence_spans(text, limit=None)
    return text[: spans[0][1]] if spans else text


#: Longest sentence :func:`sentence_around` shows whole.
MAX_AROUND_CHARS = 600


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence containing ``text[start:end]`` on one line (at most ~600 characters).

    Runs of whitespace are folded; an overlong "sentence" (a list, a table)
    is cut around the mention with ``…`` marking the cuts.
    """
    if not text:
        return ""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    s, e = sentence_bounds(text, start, end)
    cut_s, cut_e = around(text, s, e, start, end, MAX_AROUND_CHARS)
    prefix = "…" if cut_s > s else ""
    suffix = "…" if cut_e < e else ""
    return prefix + " ".join(text[cut_s:cut_e].split()) + suffix


def around(text: str, s: int, e: int, start: int, end: int, limit: int) -> tuple[int, int]:
    """``(s, e)`` (a sentence), or when longer than ``limit`` the part of it around
    ``text[start:end]`` (a mention), cut at spaces."""
    if e - s <= limit:
        return s, e
    half = max(0, (limit - (end - start)) // 2)
    cut_s, cut_e = max(s, start - half), min(e, end + half)
    if cut_s > s:
        space = text.find(" ", cut_s, start)
        cut_s = space + 1 if space != -1 else cut_s
    if cut_e < e:
        space = text.rfind(" ", end, cut_e)
        cut_e = space if space != -1 else cut_e
    return cut_s, cut_e
