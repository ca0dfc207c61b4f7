"""Sentence boundaries without a model, shared by the cleaner and the CLI.

A boundary is any newline, or sentence-final punctuation (optionally
followed by closing quotes or brackets) followed by whitespace and a capital
letter, digit or opening quote -- unless the word before the full stop is an
abbreviation.  Titles (``Mr.``, ``Gen.``) never end a sentence; corporate
and dotted abbreviations (``Corp.``, ``U.S.``) and initials end one only
when the next word is a typical sentence opener (``... in the U.S. The talks``).
"""

from __future__ import annotations

import bisect
import re

_CANDIDATE = re.compile(r"""[.!?…]+["'”’)\]]*[ \t]+(?=["'“‘(\[]?[A-Z0-9])|\n\s*""")
_WORD_BEFORE = re.compile(r"(\S+?)[.!?…]+[\"'”’)\]]*$")

#: Abbreviations that are followed by a name or number, never by a new sentence.
_NEVER_FINAL = frozenset(
    """Mr Mrs Ms Mx Dr Prof Sen Rep Gov Gen Adm Col Lt Capt Sgt Rev St Mt Ft Messrs
    No Nos Vol pp Fig Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec vs v Ave Blvd
    Pres Supt Insp Cmdr Maj Brig Hon""".split()
)
#: Abbreviations that usually sit inside a sentence but can end one.
_USUALLY_INSIDE = frozenset("Inc Corp Co Ltd Jr Sr Bros Cos Dept Univ approx est Assn".split())

#: Words that typically open a sentence: after an ambiguous abbreviation
#: they signal a real boundary.
_OPENERS = frozenset(
    """The A An But And Or So Yet Still However Meanwhile Moreover Instead Also In On At
    For From With As After Before Since When While If Although Though Because Then
    This That These Those There Here It Its He She They We I You His Her Their Our My
    What Who Why How Where Many Most Some Several Few All No Not Both Each Other Such
    One Two Three Last Next Earlier Later Now Today Yesterday Under Over By Until
    Despite During Among Asked Analysts Officials""".split()
)


def _is_boundary(text: str, match: re.Match[str]) -> bool:
    if match.group().startswith("\n") or "\n" in match.group():
        return True
    punct_start = match.start()
    if text[punct_start] != ".":
        return True
    token_end = match.start() + len(match.group().rstrip())
    before = _WORD_BEFORE.search(text, max(0, punct_start - 40), token_end)
    if not before:
        return True
    word = before.group(1).lstrip("\"'“‘([").rsplit("-", 1)[-1]
    if not word:
        return True
    next_word = re.match(r"[\"'“‘(\[]?([\w’'-]+)", text[match.end() : match.end() + 40])
    opener = bool(next_word and next_word.group(1) in _OPENERS)
    if word in _NEVER_FINAL:
        return False
    if word in _USUALLY_INSIDE:
        return opener
    if len(word) == 1 and word.isupper():  # an initial: "Steven T. Mnuchin"
        return opener
    if "." in word and any(ch.isalpha() for ch in word):  # dotted: U.S, a.m, D.C
        return opener
    return True


def sentence_starts(text: str) -> list[int]:
    """Sorted offsets where a sentence (other than the first) starts."""
    return [m.end() for m in _CANDIDATE.finditer(text) if _is_boundary(text, m)]


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


MAX_SENTENCE_CHARS = 600


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence containing ``text[start:end]`` (one line, at most ~600 characters).

    Pure Python (no model); paragraphs and sentence-final punctuation are
    boundaries.  Runs of whitespace are folded so the result prints on one
    line; an overlong "sentence" (a list, a table) is cut around the mention
    with ``…`` marking the cuts.
    """
    if not text:
        return ""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    s, e = sentence_bounds(text, start, end)
    if e - s > MAX_SENTENCE_CHARS:
        half = max(0, (MAX_SENTENCE_CHARS - (end - start)) // 2)
        cut_s, cut_e = max(s, start - half), min(e, end + half)
        if cut_s > s:
            space = text.find(" ", cut_s, start)
            cut_s = space + 1 if space != -1 else cut_s
        if cut_e < e:
            space = text.rfind(" ", end, cut_e)
            cut_e = space if space != -1 else cut_e
        prefix = "…" if cut_s > s else ""
        suffix = "…" if cut_e < e else ""
        return prefix + " ".join(text[cut_s:cut_e].split()) + suffix
    return " ".join(text[s:e].split())
