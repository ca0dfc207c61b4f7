"""Sentences in article text, for the reading pane's passage cursor.

Pure functions over strings (no Textual): a rule-based splitter tuned for
news prose. A boundary is end punctuation (``.``, ``!``, ``?``, ``…``),
optionally closing quotes or brackets, then whitespace and something that
can start a sentence. Titles and initials (``Mr.``, ``J.``), months
(``Aug.``) and ``No. 2`` never end one; ``U.S.``, ``Inc.`` and friends end
one only when a usual sentence opener (``The``, ``It``, ``He``…) follows.

Work is linear in the text, and no passage is longer than
:data:`MAX_PASSAGE` characters (a 100k-character "sentence" is cut at spaces).
"""

from __future__ import annotations

import re

#: Longest passage the cursor selects; longer sentences are cut at a space.
MAX_PASSAGE = 1500

_BOUNDARY = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019)\]]*(?=\s)")
_WORD_BEFORE = re.compile(r"([\w.\u2019'-]+)$")
_NEXT = re.compile(r"\s+([\"'\u201c\u2018(\[]?)(\S*)")

#: Never end a sentence (lower case, without the final dot).
_ALWAYS_ABBREVIATIONS = frozenset(
    """
    mr mrs ms mx dr prof sen rep gov gen lt col capt cmdr sgt adm maj pres supt
    st mt ft jr sr rev hon messrs mme mlle vs etc al approx est dept univ assn
    jan feb mar apr jun jul aug sep sept oct nov dec no nos vol fig pp ch
    """.split()
)
#: End a sentence only when a usual opener follows (``the U.S. The move…``).
_SOMETIMES_ABBREVIATIONS = frozenset(
    "u.s u.k u.n e.u u.a.e inc corp co ltd llc plc bros p.m a.m".split()
)
_OPENERS = frozenset(
    """
    a an the this that these those it its he she they we i you his her their our my
    but and or so yet however meanwhile also in on at for after before when while
    if as there here what who why how some many most one two both all no not
    earlier later still then since last next
    """.split()
)


def _ends_sentence(text: str, punct_start: int, punct_end: int) -> bool:
    punct = text[punct_start:punct_end]
    following = _NEXT.match(text, punct_end)
    if following is None:
        return True
    opener, word = following.groups()
    first = word[:1]
    if not opener and first and (first.islower() or first in ",;:)"):
        return False
    if "." not in punct or any(mark in punct for mark in "!?\u2026") or punct.count(".") > 1:
        return True  # "!" / "?" / "…" / "..." end it
    before = _WORD_BEFORE.search(text, max(0, punct_start - 40), punct_start)
    token = before.group(1).lower().lstrip("(\"'\u201c\u2018") if before else ""
    if not token:
        return True
    if token in _ALWAYS_ABBREVIATIONS:
        return False
    if len(token) == 1 and token.isalpha():
        return False  # an initial: "J. Smith"
    if token in _SOMETIMES_ABBREVIATIONS or re.fullmatch(r"(?:[a-z]\.)+[a-z]", token):
        return word.strip("\"'\u201c\u2018").lower().rstrip(",") in _OPENERS
    return True


def _cut(text: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """``[start, end)`` in pieces of at most ``limit`` characters, cut after a space."""
    pieces = []
    while end - start > limit:
        cut = text.rfind(" ", start + limit // 2, start + limit)
        cut = cut + 1 if cut > start else start + limit
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


def sentence_spans(text: str, offset: int = 0, *, limit: int = MAX_PASSAGE) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence of ``text`` (one paragraph), shifted by ``offset``.

    Spans cover the text without its surrounding whitespace; together they
    cover every non-space character.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    length = len(text)
    while start < length and text[start].isspace():
        start += 1
    for match in _BOUNDARY.finditer(text):
        if match.end() <= start:
            continue
        if not _ends_sentence(text, match.start(), match.end()):
            continue
        spans.extend(_cut(text, start, match.end(), limit))
        start = match.end()
        while start < length and text[start].isspace():
            start += 1
    end = length
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.extend(_cut(text, start, end, limit))
    return [(offset + s, offset + e) for s, e in spans if e > s]
