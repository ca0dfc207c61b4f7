"""From raw labelled spans to clean, linked mentions: the part that beats raw NER.

Input is what any recogniser produces, ``(start, end, label)`` with
spaCy/OntoNotes labels; output is a list of :class:`~reader.model.Mention`
whose offsets are into the exact text given (``text[m.start:m.end] ==
m.text`` always).  Pure Python, no model: the spaCy extractor and the
rule-based fallback share it.

Cleaning (per span; classes of error, not strings):

1. *Kinds*: PERSON->person, ORG->org, GPE/LOC/FAC->place (a FAC that is
   plainly an institution -- "Center for ...", "... Institute" -- is an org),
   NORP->group, MONEY, PERCENT, DATE; EVENT/WORK_OF_ART/LAW/PRODUCT/LANGUAGE
   -> other.  CARDINAL, ORDINAL, QUANTITY and TIME are dropped: "two",
   "first", "10-minute" are noise in an entity sidebar.
2. *Sentence boundaries*: a span crossing a newline or a sentence end
   ("Canalys. Alibaba Group Holding Ltd.'s") is split; each piece is kept.
3. *Trimming*: whitespace, stray punctuation and quotes, possessives
   ('s, ’s, s'), a leading lower-case "the" (and "The" before a multi-word
   name), titles before a person's name (Mr., Treasury Secretary...; titles
   are never part of the name).  A name whose own 's the article shows
   ("McDonald's said", "Moody's Investors Service") keeps it everywhere.
4. *Fragments*: a span that is only part of a hyphenated word ("Mar" of
   Mar-a-Lago, "piggy" of piggy-backed) is dropped, unless the other part is
   itself an entity (U.S.-China) or a productive affix (anti-, -based).
5. *Debris*: words glued by web scraping ("MnuchinSteven", "TrumpDonald")
   are cut at the glue when what precedes is a whole name, else dropped.
   McConnell, DeSantis, iCloud, BlackRock are not debris.
6. *Junk*: names with no capital letter, or that are a bare pronoun or
   determiner, are dropped.
7. *Label fixes from context*: a name right after a person cue
   ("Chancellor Olaf Scholz", "Mr.", "CEO") is a person whatever the model
   said; an unambiguous country name is a place (OntoNotes tags national
   teams GPE too; Jordan, Chad, Georgia... are left alone); weekday and
   month names are dates; the capitals of a newswire dateline
   ("TOKYO (Reuters) -", "BEIJING--") are a place.
8. *Name extension*: spaCy often stops after an East Asian family name
   whose given name looks like an English word ("Vice Premier Liu He" ->
   "Liu"); a one-word person that is a common family name followed by one
   capitalised word in the same sentence is extended over it.

Linking within the document:

* *People*: a one-word name (or title + name) links to the full name of a
  person in the same article that ends with it -- or starts with it when the
  full name starts with an East Asian family name (``Mr. Li`` -> ``Li
  Keqiang``, ``Mr. Xi`` -> ``Xi Jinping``).  The full name must be unique
  among those mentioned *before* the short form (journalistic first-mention
  convention); if none precedes, among those after.  When two different
  full names qualify, the short mention is **ambiguous and left unlinked**:
  it is kept, as a person, with its own surface (``Li``) as canonical name.
  We prefer that to guessing (precision), and to dropping it (the mention
  itself is right, only its identity is unknown).  A short form labelled
  org/other by the model but matching a person's surname becomes a person
  ("Raimondo said" is tagged ORG by en_core_web_sm 3.8).
* *Given names*: a lone word tagged person that is no one's surname but
  starts exactly one full name in the article links to it ("Tedros" ->
  Tedros Adhanom Ghebreyesus).
* *Repeats*: names the article already uses are tagged at their other
  exact, capitalised occurrences the model missed ("AWS China", "expertise
  to Sinnet", "told He" for He Lifeng), and so are 3+ letter initials of
  its organisations ("WHO").  Not at a sentence start when the word is also
  a common English word ("He sounded..."), not next to an unknown capitalised
  word (part of another name), never over anything the model labelled.
* *Acronyms*: an all-capitals org (or unknown place) whose letters are the
  initials of exactly one longer organisation in the article (``AWS`` ~
  ``Amazon Web Services``, ``WTO`` ~ ``World Trade Organization``) takes
  that organisation's canonical name.
* *Short company names*: ``Sinnet`` -> ``Beijing Sinnet Technology Co.``,
  ``Huawei`` -> ``Huawei Technologies Ltd.``, when removing a leading place
  and corporate tails from exactly one longer org gives the short name.
* *Kind votes*: the same surface form labelled differently within one
  article gets the majority kind; organisations that contain the form count
  as votes for org (twice when they carry a legal suffix), so ``Sinnet``
  (GPE once) is an org because ``Beijing Sinnet Technology Co.`` is.  Known
  places (built-in list) never get containment votes.  A lone unlinked word
  tagged PERSON counts half (people are introduced by full name).  A 1:1 tie
  between place and another kind goes to place for a known place, to the
  other kind for an unknown word ("Nvidia").
* Mentions with the same folded surface share one canonical name.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from ..model import Mention
from ._text import sentence_starts
from .canon import canonical_name, fold_space, org_name, unshout
from .gazetteer import (
    COMMON_WORDS,
    COUNTRY_NAMES,
    EAST_ASIAN_SURNAMES,
    GROUPS,
    MONTHS,
    NAME_PREFIXES,
    PERSON_CUES,
    PLACES_FOLDED,
    TITLES,
    WEEKDAYS,
)

RawSpan = tuple[int, int, str]

LABEL_KINDS: dict[str, str | None] = {
    "PERSON": "person",
    "PER": "person",
    "ORG": "org",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": "group",
    "MONEY": "money",
    "PERCENT": "percent",
    "DATE": "date",
    "CARDINAL": None,
    "ORDINAL": None,
    "QUANTITY": None,
    "TIME": None,
}
NAME_KINDS = frozenset({"person", "org", "place", "group", "other"})

_INSTITUTION = re.compile(
    r"\b(?:Institute|University|College|Council|Organi[sz]ation|Association|Agency|Ministry|"
    r"Department|Commission|Committee|Foundation|Federation|Union|Party|Bank|(?:Center|Centre) for)\b"
)
_GLUE = re.compile(r"(?<=[a-z])(?=[A-Z])")
_LEADING_JUNK = "\"'“”‘’«»([{<*#•·-–—,;:./\\|_~ \t\n\r\u00a0"
_TRAILING_JUNK = "\"'“”‘’«»)]}>*#•·-–—,;:!?/\\|_~ \t\n\r\u00a0"
_POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$")
_HYPHENS = "-‐‑"
_PREFIX_AFFIXES = frozenset(
    "anti pro non ex pre post pan mid neo quasi trans ultra inter intra sub super cross then all un re co".split()
)
_SUFFIX_AFFIXES = frozenset(
    """based made born led backed owned style era listed linked related bound wide centric funded
    sponsored controlled friendly produced run focused headquartered affiliated allied aligned
    leaning specific only level brokered imposed inspired dominated flagged registered like ish
    esque american born educated trained bred origin style type area era time wide""".split()
)
_NOT_NAMES = frozenset(
    """i me my he him his she her it its we us our they them their you your this that these those
    the a an and or but who whom what which mr mrs ms dr sir""".split()
)
_NO_EXTEND = frozenset(WEEKDAYS) | frozenset(MONTHS) | frozenset(
    "The A An And Or But In On At Of For To By With From As Is Was Said Says Told".split()
)
_CALENDAR = frozenset(WEEKDAYS) | frozenset(MONTHS)
#: One-word company "cores" that are too generic to stand for the company
#: (General Motors is not "General", United Technologies not "United").
_GENERIC_HEADS = frozenset(
    """general national international united american first royal standard central federal global
    western eastern northern southern new great universal consolidated allied continental pacific
    atlantic applied advanced digital public private people's state city county world""".split()
)
_ACRONYM_SKIP = frozenset({"of", "and", "for", "the", "&", "de", "on", "in", "du", "des", "la", "le", "to", "at"})
_KEY_TAIL_WORDS = frozenset(
    "technology technologies tech group holding holdings corporation company co co. corp corp. inc inc. "
    "ltd ltd. limited plc ag motor motors electronics industries enterprises".split()
)
_KEEP_DOT = re.compile(r"(?:^|[\s(-])(?:[A-Za-z]\.)+$|(?:^|\s)(?:Inc|Corp|Co|Ltd|Jr|Sr|Bros|Cos|St|Mt|Ft|Dr|Mr|Mrs|Ms|Gen|Gov|Sen|Rep)\.$")


_GROUPS_FOLDED = frozenset(g.casefold() for g in GROUPS)


def kind_for(label: str) -> str | None:
    if label in LABEL_KINDS:
        return LABEL_KINDS[label]
    return "other"


class _Cand:
    __slots__ = ("start", "end", "kind", "label", "name", "canonical", "legal", "locked")

    def __init__(self, start: int, end: int, kind: str, label: str, name: str, legal: bool) -> None:
        self.start, self.end, self.kind, self.label = start, end, kind, label
        self.name = name
        self.canonical = ""
        self.legal = legal  # the written form carried a legal suffix (Inc., Co.)
        self.locked = False  # kind decided by linking; votes leave it alone


# -- per-span cleaning ------------------------------------------------------


def _split_at(starts: Sequence[int], s: int, e: int) -> list[tuple[int, int]]:
    i = bisect.bisect_right(starts, s)
    pieces, cur = [], s
    while i < len(starts) and starts[i] < e:
        pieces.append((cur, starts[i]))
        cur = starts[i]
        i += 1
    pieces.append((cur, e))
    return pieces


_NAME_S = re.compile(
    r"([A-Z][\w&.-]*['’]s)(?=\s+(?:said|says|reported|announced|confirmed|declined|denied|added|told|agreed|"
    r"is|was|has|had|will|would|Inc|Corp|Co|Ltd|LLC|PLC|Group|Holdings|"
    r"Investors|Restaurants|Stores)\b|,\s(?:the|a|an|which)\s)"
)


def _owned_s(text: str) -> frozenset[str]:
    """Names whose ``'s`` is their own, not a possessive: "McDonald's said",
    "Moody's Investors Service", "Macy's, the retailer" -- then every
    "McDonald's" of the article keeps it."""
    if "'s" not in text and "’s" not in text:
        return frozenset()
    return frozenset(
        m.group(1) for m in _NAME_S.finditer(text) if m.group(1)[:-2].casefold() not in PLACES_FOLDED
    )


def _trim(text: str, s: int, e: int, owned: frozenset[str] = frozenset()) -> tuple[int, int]:
    while True:
        before = (s, e)
        while s < e and text[s] in _LEADING_JUNK:
            s += 1
        while s < e and text[e - 1] in _TRAILING_JUNK:
            e -= 1
        m = _POSSESSIVE.search(text[s:e])
        if m and m.start() > 0 and not (owned and text[s:e].rsplit(" ", 1)[-1] in owned):
            e = s + m.start()
        if s < e and text[e - 1] == "." and not _KEEP_DOT.search(text[s:e]):
            e -= 1
        if e > s and text[e - 1] == ")" and "(" not in text[s:e]:
            e -= 1  # unbalanced bracket left inside: "Bob)"
        if (s, e) == before:
            return s, e


def _strip_leading_words(text: str, s: int, e: int, words: frozenset[str] | set[str]) -> int:
    """Advance ``s`` past leading words in ``words`` while at least one word remains."""
    while True:
        m = re.match(r"(\S+)\s+(?=\S)", text[s:e])
        if not m:
            return s
        word = m.group(1)
        if word in words or word.rstrip(".") in words:
            s += m.end()
        else:
            return s


def _word_left(text: str, pos: int) -> tuple[int, str]:
    """The word ending at ``pos`` (exclusive): ``(start, word)``."""
    j = pos
    while j > 0 and (text[j - 1].isalnum() or text[j - 1] in "."):
        j -= 1
    return j, text[j:pos]


def _word_right(text: str, pos: int) -> tuple[int, str]:
    j = pos
    while j < len(text) and (text[j].isalnum() or text[j] == "."):
        j += 1
    return j, text[pos:j].rstrip(".")


def _covered(spans: Sequence[RawSpan], s: int, e: int) -> bool:
    """Some recognised entity overlaps ``[s, e)``."""
    return any(rs < e and s < re_ and kind_for(rl) for rs, re_, rl in spans)


def _hyphen_fragment(text: str, s: int, e: int, raw: Sequence[RawSpan]) -> bool:
    """True when ``text[s:e]`` is only part of a hyphenated word that is not two entities."""
    if s >= 2 and text[s - 1] in _HYPHENS and text[s - 2].isalnum():
        ws, word = _word_left(text, s - 1)
        if word.lower() not in _PREFIX_AFFIXES and not _covered(_others(raw, s, e), ws, s - 1):
            return True
    if e + 1 < len(text) and text[e] in _HYPHENS and text[e + 1].isalnum():
        we, word = _word_right(text, e + 1)
        if word.lower() not in _SUFFIX_AFFIXES and not _covered(_others(raw, s, e), e + 1, we):
            return True
    return False


def _others(raw: Sequence[RawSpan], s: int, e: int) -> list[RawSpan]:
    return [r for r in raw if not (r[0] <= s and e <= r[1])]


def _cut_glue(text: str, s: int, e: int, kind: str) -> tuple[int, int] | None:
    """Cut scraped debris glued onto a name; ``None`` drops the mention."""
    span = text[s:e]
    for m in _GLUE.finditer(span):
        j = m.start()
        ws = j
        while ws > 0 and span[ws - 1].isalpha():
            ws -= 1
        stem = span[ws:j]
        if len(stem) < 3 or stem.lower() in NAME_PREFIXES or not stem[0].isupper():
            continue  # McConnell, DeSantis, iCloud, eBay
        rest = re.match(r"[A-Z][a-z]+", span[j:])
        if not rest:
            continue  # SpaceX, GoPro's "X"-style tails: a brand, not two glued words
        after = rest.group()
        words = {w.casefold() for w in re.findall(r"[A-Za-z]+", span[:ws])}
        words |= {w.casefold() for w in re.findall(r"[A-Za-z]+", text[max(0, s - 80) : s + ws])}
        repeated = after.casefold() in words or stem.casefold() in {
            w.casefold() for w in re.findall(r"[A-Za-z]+", span[j:])
        }
        if kind != "person" and not repeated:
            continue  # BlackRock, PayPal, SoftBank: real camel-case brands
        if j - 0 >= 2 and not span[:j].isspace():
            return s, s + j
        return None
    return s, e


def _institution_fac(name: str) -> bool:
    return bool(_INSTITUTION.search(name))


def _extend_east_asian(text: str, s: int, e: int, starts: Sequence[int], taken: set[int]) -> int:
    """``Liu`` + `` He`` -> ``Liu He``: one capitalised word after a lone family name."""
    if text[s:e] not in EAST_ASIAN_SURNAMES:
        return e
    m = re.match(r" ([A-Z][a-z]{1,9})(?=[\s,.;:!?'’)]|$)", text[e : e + 12])
    if not m or m.group(1) in _NO_EXTEND or m.group(1) in TITLES:
        return e
    new_end = e + m.end()
    i = bisect.bisect_right(starts, s)
    if i < len(starts) and starts[i] < new_end:
        return e
    if e + 1 in taken:
        return e
    follow = text[new_end : new_end + 2]
    if follow[:1] == " " and follow[1:2].isupper():
        return e  # a third capitalised word: not a simple two-part name
    if m.group(1).casefold() in PLACES_FOLDED or m.group(1) in GROUPS:
        return e
    return new_end


_NAME_SHAPE = re.compile(r"[A-Z][a-zà-ÿ'’-]+(?: (?:[A-Z]\.|[A-Z][a-zà-ÿ'’-]+)){0,3}")
_ORGISH = re.compile(
    r"\b(?:Inc|Corp|Co|Ltd|Group|Holdings?|Bank|Party|Ministry|Department|Council|Committee|Agency|Office|"
    r"University|Institute|Association|Organi[sz]ation|Foundation|Commission|Court|House|Times|News)\b"
)


def _after_person_cue(text: str, s: int) -> bool:
    m = re.search(r"(\S+) $", text[max(0, s - 40) : s])
    return bool(m) and m.group(1) in PERSON_CUES


def _looks_like_name(surface: str) -> bool:
    return bool(_NAME_SHAPE.fullmatch(surface)) and not _ORGISH.search(surface)


_DATELINE = re.compile(
    r"(?:^|\n)([A-Z][A-Z.'-]+(?: [A-Z][A-Z.'-]+)*)((?:, [A-Z][a-z]+\.?(?: \d{1,2})?)?(?: \([^)\n]{1,40}\))?) ?(?:-{1,2}|—|–) ?"
)


_NOT_DATELINES = frozenset(
    """BREAKING UPDATE UPDATED UPDATE EXCLUSIVE ANALYSIS WATCH OPINION LIVE CORRECTED CORRECTION FACTBOX
    EXPLAINER REFILE PHOTOS VIDEO EDITORIAL COMMENTARY REVIEW INTERVIEW ADVISORY URGENT FLASH NOTE""".split()
)


def _dateline_places(text: str, out: list[_Cand]) -> None:
    """``TOKYO (Reuters) -``, ``BEIJING--``: the capitals opening a paragraph name a place."""
    for m in _DATELINE.finditer(text[:20000]):
        s, e = m.span(1)
        if e - s < 3 or text[s:e] in _NOT_DATELINES:
            continue
        same = next((c for c in out if c.start == s and c.end == e), None)
        # "SOCCER - JAPAN WIN" is a headline, not a dateline: want an agency or
        # date after the capitals, a model label on them, or a known place
        if not (m.group(2) or same or unshout(text[s:e]).casefold() in PLACES_FOLDED):
            continue
        if same is not None:
            same.kind = "place"
        elif not any(c.start < e and s < c.end for c in out):
            out.append(_Cand(s, e, "place", "DATELINE", text[s:e], False))


def clean_spans(text: str, raw: Iterable[RawSpan], starts: Sequence[int] | None = None) -> list[_Cand]:
    raw = sorted(raw)
    if starts is None:
        starts = sentence_starts(text)
    raw_starts = {r[0] for r in raw}
    owned = _owned_s(text)
    out: list[_Cand] = []
    for rs, re_, label in raw:
        kind = kind_for(label)
        if kind is None:
            continue
        for s, e in _split_at(starts, rs, re_):
            s, e = _trim(text, s, e, owned)
            if e <= s:
                continue
            if kind in NAME_KINDS:
                cut = _cut_glue(text, s, e, kind)
                if cut is None:
                    continue
                s, e = _trim(text, *cut, owned)
                if e <= s:
                    continue
            if kind == "person":
                s = _strip_leading_words(text, s, e, TITLES)
            if kind in ("org", "place", "other", "group") and text.startswith("the ", s) and e - s > 4:
                s += 4
            elif kind in ("org", "place", "other") and text.startswith("The ", s) and " " in text[s + 4 : e].strip():
                s += 4  # "The European Commission"; but "The Hague", "The Economist" keep it
            s, e = _trim(text, s, e, owned)
            if e <= s:
                continue
            if owned and text[e : e + 2] in ("'s", "’s") and text[s : e + 2].rsplit(" ", 1)[-1] in owned:
                e += 2  # the model left the name's own 's out: "Shares of McDonald's fell"
            surface = text[s:e]
            if kind in NAME_KINDS:
                if not any(ch.isupper() for ch in surface):
                    continue
                if surface.casefold() in _NOT_NAMES and not surface.isupper():
                    continue
                if _hyphen_fragment(text, s, e, raw):
                    continue
            if kind == "person":
                e = _extend_east_asian(text, s, e, starts, raw_starts)
                surface = text[s:e]
            if kind in ("org", "place", "other", "group") and _after_person_cue(text, s) and _looks_like_name(surface):
                kind = "person"  # "Chancellor Olaf Scholz" tagged ORG
            elif kind in ("person", "org") and unshout(surface) in COUNTRY_NAMES:
                kind = "place"  # "Malawi" tagged PERSON: countries are places (national teams too)
            if kind in ("person", "org", "place") and surface in _CALENDAR:
                kind = "date"  # "Sunday" tagged ORG
            if kind == "money":  # "$180": the model sometimes leaves the currency sign out
                m = re.search(r"(?:[A-Z]{1,2})?[$€£¥]$", text[max(0, s - 3) : s])
                if m:
                    s -= len(m.group())
                    surface = text[s:e]
            if kind == "place" and label == "FAC" and _institution_fac(surface):
                kind = "org"
            legal = kind == "org" and org_name(surface) != fold_space(surface) and not surface.lower().endswith(".com")
            out.append(_Cand(s, e, kind, label, fold_space(surface), legal))
    _dateline_places(text, out)
    # overlapping pieces (rare: extension into a neighbour) -- keep the first
    out.sort(key=lambda c: (c.start, -c.end))
    kept: list[_Cand] = []
    last_end = -1
    for c in out:
        if c.start >= last_end:
            kept.append(c)
            last_end = c.end
    return kept


# -- linking ----------------------------------------------------------------


def _fold(name: str) -> str:
    return name.replace("’", "'").casefold()


def _name_words(name: str) -> list[str]:
    return [w for w in name.replace("’", "'").split() if w]


def _link_people(cands: list[_Cand]) -> None:
    full: list[tuple[int, str, list[str]]] = []  # (position, full name, words)
    for c in cands:
        if c.kind == "person":
            words = _name_words(c.name)
            if len(words) >= 2 and all(w[:1].isupper() for w in words):
                full.append((c.start, unshout(c.name), words))
    if not full:
        return
    by_short: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for pos, name, words in full:
        by_short[_fold(words[-1])].append((pos, name))
        if words[0] in EAST_ASIAN_SURNAMES and len(words) <= 3:
            by_short[_fold(words[0])].append((pos, name))
    by_first: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for pos, name, words in full:
        if words[0] not in EAST_ASIAN_SURNAMES and len(words[0]) > 2 and not words[0].endswith("."):
            by_first[_fold(words[0])].append((pos, name))
    full_names = {_fold(n) for _, n, _ in full}
    for c in cands:
        if " " in c.name or _fold(c.name) in full_names:
            continue
        if c.kind not in ("person", "org", "other", "place"):
            continue
        if c.kind == "place" and _fold(c.name) in PLACES_FOLDED:
            continue
        options = by_short.get(_fold(unshout(c.name)))
        if not options and (c.kind == "person" or c.label == "UNKNOWN"):
            # a given name alone ("Tedros" for Tedros Adhanom Ghebreyesus), only when unique
            options = by_first.get(_fold(unshout(c.name)))
            if options and len({_fold(n) for _, n in options}) > 1:
                continue
        if not options:
            continue
        before = {_fold(n): n for pos, n in options if pos < c.start}
        pool = before or {_fold(n): n for pos, n in options}
        distinct = _distinct_people(pool)
        c.kind = "person"
        c.locked = True
        if len(distinct) == 1:
            c.canonical = distinct[0]
        else:
            c.canonical = unshout(c.name)  # ambiguous: unlinked, surface as canonical


def _distinct_people(pool: dict[str, str]) -> list[str]:
    """Full names that are different people (``Steven T. Mnuchin`` == ``Steven Mnuchin``)."""
    from .canon import corpus_key

    seen: dict[str, str] = {}
    for folded, name in sorted(pool.items(), key=lambda kv: (-len(kv[1]), kv[1])):
        seen.setdefault(corpus_key("person", name), name)
    return list(seen.values())


def _initials(name: str) -> set[str]:
    """Acronyms a name may go by: ``Bank of Japan`` -> {``BJ``, ``BOJ``}."""
    strict, loose = [], []
    for word in re.split(r"[\s-]+", name):
        if not word:
            continue
        if word.lower() in _ACRONYM_SKIP:
            if word.lower() in ("of", "and", "for", "de"):
                loose.append(word[0].upper())
            continue
        if word[0].isupper():
            strict.append(word[0])
            loose.append(word[0])
    return {"".join(strict), "".join(loose)}


def _link_orgs(cands: list[_Cand], place_words: set[str]) -> None:
    orgs: dict[str, str] = {}  # canonical of multi-word orgs -> itself
    for c in cands:
        if c.kind == "org":
            canon = org_name(c.name)
            if " " in canon:
                orgs.setdefault(_fold(canon), canon)
    if not orgs:
        return
    by_initials: dict[str, set[str]] = defaultdict(set)
    by_core: dict[str, set[str]] = defaultdict(set)
    for folded, canon in orgs.items():
        for ini in _initials(canon):
            if len(ini) >= 2:
                by_initials[ini].add(canon)
        words = canon.split()
        while len(words) > 1 and words[0].casefold() in place_words:
            words.pop(0)
        while len(words) > 1 and words[-1].casefold() in _KEY_TAIL_WORDS:
            words.pop()
        core = " ".join(words)
        if _fold(core) != folded and _fold(core) not in _GENERIC_HEADS:
            by_core[_fold(core)].add(canon)
    for c in cands:
        if c.locked or c.kind not in ("org", "place", "other"):
            continue
        if c.kind == "place" and _fold(c.name) in PLACES_FOLDED:
            continue
        compact = c.name.replace(".", "").replace("&", "")
        if 2 <= len(compact) <= 8 and compact.isupper() and compact.isalpha():
            match = by_initials.get(compact)
            if match and len(match) == 1:
                c.kind, c.canonical, c.locked = "org", next(iter(match)), True
                continue
        if c.kind == "org":
            match = by_core.get(_fold(org_name(c.name)))
            if match and len(match) == 1:
                c.canonical, c.locked = next(iter(match)), True


def _vote_kinds(cands: list[_Cand]) -> None:
    groups: dict[str, list[_Cand]] = defaultdict(list)
    for c in cands:
        if c.kind in NAME_KINDS:
            groups[_fold(c.name)].append(c)
    orgs = [c for c in cands if c.kind == "org" and " " in c.name]
    for key, members in groups.items():
        kinds = {c.kind for c in members}
        if len(kinds) == 1 and not (kinds == {"place"} and key not in PLACES_FOLDED and orgs):
            continue
        votes: Counter[str] = Counter()  # type: ignore[assignment]
        for c in members:
            # a lone unlinked word tagged PERSON is weak evidence: people are
            # introduced by full name, so "Canalys" (ORG once, PERSON once) is an org
            weak = c.kind == "person" and not c.locked and " " not in c.name
            votes[c.kind] += 0.5 if weak else 1
        if key not in PLACES_FOLDED and key not in _GROUPS_FOLDED:
            # a place-labelled form only counts as inside an org when it is not
            # the org's first word ("Shaanxi Coal Industry Co." is in Shaanxi)
            lead = r"(?<=\w )" if kinds == {"place"} else r"(?<!\w)"
            pattern = re.compile(lead + re.escape(key) + r"(?!\w)")
            for o in orgs:
                folded = _fold(o.name)
                if folded != key and pattern.search(folded):
                    votes["org"] += 2 if o.legal else 1
        if len(votes) < 2:
            continue
        ranked = votes.most_common()
        (top, n1), (_, n2) = ranked[0], ranked[1]
        if n1 == n2:
            tied = {k for k, n in ranked if n == n1}
            if "place" not in tied or len(tied) > 2:
                continue
            # a known place stays a place; an unknown word is likelier the other thing
            top = "place" if key in PLACES_FOLDED else next(k for k in tied if k != "place")
        for c in members:
            if not c.locked:
                c.kind = top


def _assign_canonicals(cands: list[_Cand]) -> None:
    groups: dict[tuple[str, str], list[_Cand]] = defaultdict(list)
    for c in cands:
        if not c.canonical:
            c.canonical = canonical_name(c.kind, c.name)
        groups[(c.kind, _fold(c.name))].append(c)
    for members in groups.values():
        names = Counter(c.canonical for c in members)
        if len(names) < 2:
            continue
        linked = {c.canonical for c in members if c.locked and _fold(c.canonical) != _fold(unshout(c.name))}
        if len(linked) > 1:
            continue  # e.g. "Mr. Li" meaning two different people in turn: keep per position
        if linked:
            best = next(iter(linked))
        else:
            best = max(names, key=lambda n: (not n.isupper(), names[n], n))
        for c in members:
            c.canonical = best


_PROPAGATE_KINDS = ("person", "org", "place")


def _propagate(text: str, cands: list[_Cand], starts: Sequence[int], raw: Sequence[RawSpan] = ()) -> list[_Cand]:
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
                words = _name_words(c.name)
                if len(words) >= 2 and all(w[:1].isupper() for w in words) and len(words[-1]) > 1:
                    forms[words[-1]]["person"] += 1
                    if words[0] in EAST_ASIAN_SURNAMES:
                        forms[words[0]]["person"] += 1
        if c.kind == "org" and " " in c.name:
            # the name people use: "Apple" for "Apple Inc.", "Goldman Sachs" for "Goldman Sachs Group Inc."
            short = org_name(c.name)
            words = short.split()
            while len(words) > 1 and words[-1].casefold() in _KEY_TAIL_WORDS:
                words.pop()
            for form in {short, " ".join(words)}:
                folded_form = form.casefold()
                if (
                    form != c.name
                    and len(form) >= 3
                    and folded_form not in COMMON_WORDS
                    and folded_form not in PLACES_FOLDED
                    and folded_form not in _GENERIC_HEADS
                ):
                    forms[form]["org"] += 1
            for ini in _initials(org_name(c.name)):
                if len(ini) >= 3:  # "WHO" for the World Health Organization; never "AI", "US"
                    forms[ini]["org"] += 1
    forms = {f: k for f, k in forms.items() if len(f) >= 2 and f not in _NO_EXTEND and not (f.casefold() in _NOT_NAMES and " " in f)}
    if not forms:
        return cands
    known_words = {w for f in forms for w in f.split()}
    pattern = re.compile(
        r"(?<![\w.&@-])(?:" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)) + r")(?![\w&]|-\w|\.\w)"
    )
    # anything the recogniser labelled (even a dropped CARDINAL or a DATE "May") is taken;
    # the fallback's UNKNOWN words are there to be claimed
    unknown = {(c.start, c.end): c for c in cands if c.label == "UNKNOWN"}
    covered = sorted(
        {(c.start, c.end) for c in cands if c.label != "UNKNOWN"}
        | {(r[0], r[1]) for r in raw if r[1] > r[0] and r[2] != "UNKNOWN"}
    )
    cover_starts = [s for s, _ in covered]
    added: list[_Cand] = []
    for m in pattern.finditer(text):
        s, e = m.start(), m.end()
        i = bisect.bisect_right(cover_starts, s) - 1
        if i >= 0 and max(end for _, end in covered[max(0, i - 3) : i + 1]) > s:
            continue
        if i + 1 < len(covered) and covered[i + 1][0] < e:
            continue
        form = m.group()
        at_start = s == 0 or (bisect.bisect_left(starts, s) < len(starts) and starts[bisect.bisect_left(starts, s)] == s)
        single = " " not in form
        shouted = form.isupper() and len(form) >= 3  # WHO, IBM: an acronym, not the word
        if single and at_start and not shouted and (form.casefold() in COMMON_WORDS or form.casefold() in _NOT_NAMES):
            continue
        left = re.search(r"([A-Z][\w’'.-]*) $", text[max(0, s - 30) : s])
        acronym = form.isupper()
        if left and not at_start and not acronym and left.group(1) not in known_words and left.group(1) not in TITLES and left.group(1).rstrip(".") not in TITLES:
            continue
        right = re.match(r" ([A-Z][\w’'-]*)", text[e : e + 30])
        if right and not acronym and right.group(1) not in known_words:
            continue
        kind = forms[form].most_common(1)[0][0]
        if (s, e) in unknown:
            unknown[(s, e)].kind = kind
            continue
        if any(us < e and s < ue for us, ue in unknown):
            continue
        added.append(_Cand(s, e, kind, "PROPAGATED", form, False))
    if not added:
        return cands
    return sorted(cands + added, key=lambda c: c.start)


def _place_words(cands: list[_Cand]) -> set[str]:
    return {_fold(c.name) for c in cands if c.kind == "place"} | PLACES_FOLDED


def postprocess(text: str, raw: Iterable[RawSpan], starts: Sequence[int] | None = None) -> list[Mention]:
    """Clean, link and canonicalise raw ``(start, end, label)`` spans of one text."""
    if starts is None:
        starts = sentence_starts(text)
    raw = sorted(raw)
    cands = clean_spans(text, raw, starts)
    if not cands:
        return []
    _link_people(cands)
    _link_orgs(cands, _place_words(cands))
    _vote_kinds(cands)
    cands = _propagate(text, cands, starts, raw)
    _link_orgs(cands, _place_words(cands))  # votes may have made new orgs ("Sinnet")
    _link_people(cands)  # ... or new people
    _assign_canonicals(cands)
    return [Mention(c.start, c.end, text[c.start : c.end], c.kind, c.canonical) for c in cands]
