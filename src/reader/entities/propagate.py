"""Propagation: a name the article uses is tagged where the recogniser missed it.

Names the article already uses are tagged at their other
exact, capitalised occurrences the model missed ("AWS China", "expertise
to Sinnet", "told He" for He Lifeng), and so are 3+ letter initials of
its organisations ("WHO").  Not at a sentence start when the word is also
a common English word ("He sounded..."), not next to an unknown capitalised
word (part of another name), never over anything the model labelled.

Places everyone knows (the built-in list, less those that are also common
words or given names) are tagged the same way where the model missed them
("Belarus", "Wall Street").
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from .candidates import (
    GENERIC_HEADS,
    KEY_TAIL_WORDS,
    NO_EXTEND,
    NOT_NAMES,
    Candidate,
    RawSpan,
    initials,
    name_words,
)
from .canon import org_name
from .gazetteer import AMBIGUOUS_COUNTRIES, COMMON_WORDS, EAST_ASIAN_SURNAMES, PLACES, PLACES_FOLDED, TITLES

_PROPAGATE_KINDS = ("person", "org", "place")
#: Places everyone knows, tagged even where the article never had them recognised
#: ("Belarus", "Wall Street"); not those that are also words or given names.
_KNOWN_PLACE_NAMES = frozenset(
    p for p in PLACES if p not in AMBIGUOUS_COUNTRIES and p.casefold() not in COMMON_WORDS and len(p) > 3
)
_KNOWN_PLACE_WORDS = frozenset(w for p in _KNOWN_PLACE_NAMES for w in p.split())
_LONGEST_PLACE = max(len(p.split()) for p in _KNOWN_PLACE_NAMES)
_CAPITALISED_RUN = re.compile(r"(?<![\w.&@-])[A-Z][\w'’-]*(?: [A-Z][\w'’-]*)*")


class _Spot:
    """A place in the text to tag: the same three things a regex match would give."""

    __slots__ = ("_start", "_end", "_form")

    def __init__(self, start: int, end: int, form: str) -> None:
        self._start, self._end, self._form = start, end, form

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end

    def group(self) -> str:
        return self._form


def _known_places(text: str) -> list[_Spot]:
    """Known place names in runs of capitalised words (a set lookup, not a 300-way regex)."""
    spots = []
    for run in _CAPITALISED_RUN.finditer(text):
        words = run.group().split(" ")
        starts = [run.start()]
        for word in words[:-1]:
            starts.append(starts[-1] + len(word) + 1)
        i = 0
        while i < len(words):
            for n in range(min(_LONGEST_PLACE, len(words) - i), 0, -1):
                last = words[i + n - 1]
                stem = last[:-2] if last[-2:] in ("'s", "’s") else last
                phrase = " ".join([*words[i : i + n - 1], stem])
                if phrase in _KNOWN_PLACE_NAMES:  # "Belarus", "Britain's", not "Belarus-based"
                    spots.append(_Spot(starts[i], starts[i + n - 1] + len(stem), phrase))
                    i += n
                    break
            else:
                i += 1
    return spots


def _pattern(forms: Mapping[str, object]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    return re.compile(r"(?<![\w.&@-])(?:" + alternatives + r")(?![\w&]|-\w|\.\w)")


def propagate(text: str, cands: list[Candidate], starts: Sequence[int], raw: Sequence[RawSpan] = ()) -> list[Candidate]:
    """Tag other occurrences of names the article already uses (``AWS China``,
    ``expertise to Sinnet``, ``told He``): the recogniser misses repeats.

    A form is spread only to exact, capitalised, whole-word occurrences that
    no mention covers.  A one-word form is not spread to the start of a
    sentence when it is also a common English word ("He sounded ..."), nor
    next to an unknown capitalised word (it is then part of another name).
    """
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for c in cands:
        if c.kind in _PROPAGATE_KINDS and c.name[:1].isupper():
            forms[c.name][c.kind] += 1
            if c.kind == "person":
                words = name_words(c.name)
                if len(words) >= 2 and all(w[:1].isupper() for w in words) and len(words[-1]) > 1:
                    forms[words[-1]]["person"] += 1
                    if words[0] in EAST_ASIAN_SURNAMES:
                        forms[words[0]]["person"] += 1
        if c.kind == "org" and " " in c.name:
            # the name people use: "Apple" for "Apple Inc.", "Goldman Sachs" for "Goldman Sachs Group Inc."
            short = org_name(c.name)
            words = short.split()
            while len(words) > 1 and words[-1].casefold() in KEY_TAIL_WORDS:
                words.pop()
            for form in {short, " ".join(words)}:
                folded_form = form.casefold()
                if (
                    form != c.name
                    and len(form) >= 3
                    and folded_form not in COMMON_WORDS
                    and folded_form not in PLACES_FOLDED
                    and folded_form not in GENERIC_HEADS
                ):
                    forms[form]["org"] += 1
            for ini in initials(org_name(c.name)):
                if len(ini) >= 3:  # "WHO" for the World Health Organization; never "AI", "US"
                    forms[ini]["org"] += 1
    forms = {
        f: k
        for f, k in forms.items()
        if len(f) >= 2 and f not in NO_EXTEND and not (f.casefold() in NOT_NAMES and " " in f)
    }
    known_words = {w for f in forms for w in f.split()} | _KNOWN_PLACE_WORDS
    matches: list[re.Match[str] | _Spot] = list(_pattern(forms).finditer(text)) if forms else []
    matches += [m for m in _known_places(text) if m.group() not in forms]
    if not matches:
        return cands
    matches.sort(key=lambda m: (m.start(), -m.end()))
    # anything the recogniser labelled (even a dropped CARDINAL or a DATE "May") is taken;
    # the fallback's UNKNOWN words are there to be claimed
    unknown = {(c.start, c.end): c for c in cands if c.label == "UNKNOWN"}
    covered = sorted(
        {(c.start, c.end) for c in cands if c.label != "UNKNOWN"}
        | {(r[0], r[1]) for r in raw if r[1] > r[0] and r[2] != "UNKNOWN"}
    )
    cover_starts = [s for s, _ in covered]
    added: list[Candidate] = []
    added_end = -1
    for m in matches:
        s, e = m.start(), m.end()
        if s < added_end:
            continue  # overlaps what this loop already tagged
        i = bisect.bisect_right(cover_starts, s) - 1
        if i >= 0 and max(end for _, end in covered[max(0, i - 3) : i + 1]) > s:
            continue
        if i + 1 < len(covered) and covered[i + 1][0] < e:
            continue
        form = m.group()
        at_start = s == 0 or (bisect.bisect_left(starts, s) < len(starts) and starts[bisect.bisect_left(starts, s)] == s)
        single = " " not in form
        shouted = form.isupper() and len(form) >= 3  # WHO, IBM: an acronym, not the word
        if single and at_start and not shouted and (form.casefold() in COMMON_WORDS or form.casefold() in NOT_NAMES):
            continue
        left = re.search(r"([A-Z][\w’'.-]*) $", text[max(0, s - 30) : s])
        acronym = form.isupper()
        if left and not at_start and not acronym:
            word = left.group(1)
            if word not in known_words and word not in TITLES and word.rstrip(".") not in TITLES:
                continue
        right = re.match(r" ([A-Z][\w’'-]*)", text[e : e + 30])
        if right and not acronym and right.group(1) not in known_words:
            continue
        kind = forms[form].most_common(1)[0][0] if form in forms else "place"
        if (s, e) in unknown:
            unknown[(s, e)].kind = kind
            continue
        if any(us < e and s < ue for us, ue in unknown):
            continue
        added.append(Candidate(s, e, kind, "PROPAGATED", form, False))
        added_end = e
    if not added:
        return cands
    return sorted(cands + added, key=lambda c: c.start)

