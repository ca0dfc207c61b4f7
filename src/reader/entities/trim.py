"""Per-span cleaning: from one raw labelled span to a clean candidate mention.

Each span is looked at alone, with the article text around it; nothing here
links one mention to another (:mod:`.link` and :mod:`.propagate` do that).

Classes of error, not strings:

1. *Kinds*: PERSON->person, ORG->org, GPE/LOC/FAC->place (a FAC that is
   plainly an institution -- "Center for ...", "... Institute" -- is an org),
   NORP->group, MONEY, PERCENT, DATE; EVENT/WORK_OF_ART/LAW/PRODUCT/LANGUAGE
   -> other.  CARDINAL, ORDINAL, QUANTITY and TIME are dropped: "two",
   "first", "10-minute" are noise in an entity sidebar.
2. *Sentence boundaries*: a span crossing a newline or a sentence end
   ("Canalys. Alibaba Group Holding Ltd.'s") is split; each piece is kept.
   So is a name span across a spaced dash, the "v" of a fixture, an "or",
   a comma before another name, or a number ("Cricket - England v
   Pakistan", "Mercantile or Commerce", "Oval, London", "Luton 1
   Rotherham", "64 Bob Estes"); "Washington, D.C." and "Acme, Inc." stay.
3. *Trimming*: whitespace, stray punctuation and quotes, possessives
   ('s, ’s, s'), a leading lower-case "the" (and "The" before a multi-word
   name), titles, roles and nationalities before a person's name (Mr.,
   Treasury Secretary, Broker, Belgian...; never part of the name), an
   unclosed bracket ("Organisation of Islamic Conference (OIC").  A name whose own 's the article shows
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
   said; a name shaped like a party or club ("Lib Dems", "Labour Party",
   "Manchester United", "Dynamo Moscow") is an organisation, never a person
   or place; a time zone ("GMT") is not an organisation; an unambiguous country name is a place (OntoNotes tags national
   teams GPE too; Jordan, Chad, Georgia... are left alone); weekday and
   month names are dates; the capitals of a newswire dateline
   ("TOKYO (Reuters) -", "BEIJING--") are a place.
8. *Name extension*: spaCy often stops after an East Asian family name
   whose given name looks like an English word ("Vice Premier Liu He" ->
   "Liu"); a one-word person that is a common family name followed by one
   capitalised word in the same sentence is extended over it.  Any person
   grows over one capitalised word or initial the model left out on either
   side ("Romesh" + "Kaluwitharana", "D. Lehmann") when that word is not a
   title, place, weekday, another entity or a word the article also writes
   in lower case.
9. *Boundaries* (:mod:`.boundaries`): descriptions and scores after a
   name are cut; money keeps its currency sign and magnitude.
10. *Competitions*: a name ending in Open, Cup, Championship, Trophy,
    Classic, Grand Prix, Games, Masters, Festival, Awards, Prize... is an
    event (other), not a place or organisation ("Hong Kong Open", "Berlin
    Film Festival", "Academy Awards"); so are awards ("Oscar") and
    i-products ("iPod").
11. *Layout* (:mod:`.layout`): table furniture and time zones after a
    clock time are dropped, a one-word name opening a sentence that the
    article also writes in lower case is the word, and a place on a results
    table line is a team (an organisation, kept so by votes), and so are
    the untagged names a results line scores ("LG 2 OB 0").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence

from ..text.sentences import sentence_starts
from .boundaries import drop_tail, money_span
from .candidates import NAME_KINDS, NO_EXTEND, NOT_NAMES, Candidate, RawSpan, kind_for
from .canon import fold_space, org_name, place_name, unshout
from .gazetteer import (
    AMBIGUOUS_COUNTRIES,
    AWARDS,
    COMMON_WORDS,
    COUNTRY_NAMES,
    EAST_ASIAN_SURNAMES,
    GROUPS,
    MONTHS,
    NAME_PREFIXES,
    PARTIES,
    PERSON_CUES,
    PLACES_FOLDED,
    TITLES,
    WEEKDAYS,
)
from .layout import Layout

_INSTITUTION = re.compile(
    r"\b(?:Institute|University|College|Council|Organi[sz]ation|Association|Agency|Ministry|"
    r"Department|Commission|Committee|Foundation|Federation|Union|Party|Bank|(?:Center|Centre) for)\b"
)
_GLUE = re.compile(r"(?<=[a-z])(?=[A-Z])")
_LEADING_JUNK = "\"'“”‘’«»([{<*#•·-–—,;:./\\|_~ \t\n\r\u00a0"
_TRAILING_JUNK = "\"'“”‘’«»)]}>([{<*#•·-–—,;:!?/\\|_~ \t\n\r\u00a0"
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
_CALENDAR = frozenset(WEEKDAYS) | frozenset(MONTHS)
_KEEP_DOT = re.compile(
    r"(?:^|[\s(-])(?:[A-Za-z]\.)+$|(?:^|\s)(?:Inc|Corp|Co|Ltd|Jr|Sr|Bros|Cos|St|Mt|Ft|Dr|Mr|Mrs|Ms|Gen|Gov|Sen|Rep)\.$"
)


_SEPARATOR = re.compile(
    r"\s(?:[-–—]{1,2}|v|vs\.?|V|VS|or)\s"  # "Cricket - England v Pakistan", "Mercantile or Commerce"
    r"|(?:^|\s)[-+]?\d[\d.,:/-]*\s"  # a score or rank inside: "Luton 1 Rotherham", "64 Bob Estes"
    r"|,\s(?=[A-Z])(?!(?:Inc|Ltd|LLC|Corp|Co|Jr|Sr|[A-Z][a-z]{0,4}\.|[A-Z]\.|[A-Z]{2}\b))"  # "Oval, London"
)


def _split_at(starts: Sequence[int], s: int, e: int, text: str = "") -> list[tuple[int, int]]:
    """``[s, e)`` cut at sentence starts, and around spaced dashes and the "v" of a fixture."""
    if text:
        pieces = []
        for ps, pe in _split_at(starts, s, e):
            cur = ps
            for m in _SEPARATOR.finditer(text, ps, pe):
                pieces.append((cur, m.start()))
                cur = m.end()
            pieces.append((cur, pe))
        return pieces
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
        if " (" in text[s:e] and ")" not in text[s:e]:
            e = text.rindex(" (", s, e)  # "Organisation of Islamic Conference (OIC"
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


#: Words before a person's name that are not part of it: titles, roles, nationalities.
_NOT_IN_PERSON_NAMES = TITLES | PERSON_CUES | GROUPS | frozenset(
    """Broker Dealer Trader Economist Analyst Striker Defender Midfielder Goalkeeper Keeper Forward Captain
    Skipper Manager Coach Batsman Bowler Opener Spinner Paceman Seamer Wicketkeeper Driver Rider Champion
    Veteran Rookie Colleague Teammate Compatriot Countryman Singer Actor Actress Director Author Writer""".split()
)
_NAME_WORD = re.compile(r"[A-Z][a-zà-ÿ'’-]+|[A-Z]\.")


def _plain_word(word: str, layout: Layout) -> bool:
    """A capitalised word that could continue a name: not a title, place, calendar or ordinary word."""
    folded = word.casefold()
    return not (
        word in NO_EXTEND
        or word in _NOT_IN_PERSON_NAMES
        or folded in COMMON_WORDS
        or folded in NOT_NAMES
        or folded in PLACES_FOLDED
        or word in _CALENDAR
        or layout.used_in_lower_case(word)
    )


def _extend_person(text: str, s: int, e: int, raw: Sequence[RawSpan], layout: Layout) -> tuple[int, int]:
    """Grow a person over one capitalised word or initial the model left out on either side
    ("Romesh" + "Kaluwitharana", "Mikael Tillstrom" tagged "Mikael"), never into another entity."""
    after = re.match(r" (" + _NAME_WORD.pattern + r")(?=[\s,.;:!?'’)]|$)", text[e : e + 30])
    if after and _plain_word(after.group(1), layout) and not _covered(raw, e + 1, e + after.end()):
        e += after.end()
    before = re.search(r"(?:^|(?<=[\s(]))(" + _NAME_WORD.pattern + r") $", text[max(0, s - 30) : s])
    if before and (before.group(1).endswith(".") or _plain_word(before.group(1), layout)):
        bs = s - len(before.group(1)) - 1
        if not _covered(raw, bs, s - 1):
            s = bs
    return s, e


def _extend_east_asian(text: str, s: int, e: int, starts: Sequence[int], taken: set[int]) -> int:
    """``Liu`` + `` He`` -> ``Liu He``: one capitalised word after a lone family name."""
    if text[s:e] not in EAST_ASIAN_SURNAMES:
        return e
    m = re.match(r" ([A-Z][a-z]{1,9})(?=[\s,.;:!?'’)]|$)", text[e : e + 12])
    if not m or m.group(1) in NO_EXTEND or m.group(1) in TITLES:
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
    return m is not None and m.group(1) in PERSON_CUES


#: Names shaped like an organisation whatever the model says: parties and clubs.
_ORG_SHAPE = re.compile(
    r"(?<=\w )(?:Party|Dems?|Democrats|Tories|Unionists|United|Rovers|Wanderers|Athletic|Albion|Hotspur|FC|"
    r"Inc\.?|Corp\.?|Ltd\.?|plc|PLC|Group|Holdings)$|^(?:FC|AC|AS|SC|Real|Dynamo|Dinamo|Sporting) \w"
)
_I_PRODUCT = re.compile(r"i[A-Z][a-z]+")
_EVENT_WORD = re.compile(r"Premiership|Olympics")
_TIME_ZONES = frozenset("GMT BST UTC CET CEST EST EDT CST CDT MST MDT PST PDT JST IST HKT SGT AEST AEDT".split())


def _looks_like_name(surface: str) -> bool:
    return bool(_NAME_SHAPE.fullmatch(surface)) and not _ORGISH.search(surface)


_DATELINE = re.compile(
    r"(?:^|\n)([A-Z][A-Z.'-]+(?: [A-Z][A-Z.'-]+)*)((?:, [A-Z][a-z]+\.?(?: \d{1,2})?)?(?: \([^)\n]{1,40}\))?) ?(?:-{1,2}|—|–) ?"
)


_NOT_DATELINES = frozenset(
    """BREAKING UPDATE UPDATED UPDATE EXCLUSIVE ANALYSIS WATCH OPINION LIVE CORRECTED CORRECTION FACTBOX
    EXPLAINER REFILE PHOTOS VIDEO EDITORIAL COMMENTARY REVIEW INTERVIEW ADVISORY URGENT FLASH NOTE""".split()
)


def _dateline_places(text: str, out: list[Candidate]) -> None:
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
            out.append(Candidate(s, e, "place", "DATELINE", text[s:e], False))


_UNIONS = frozenset({"United States", "United Kingdom", "European Union", "United Arab Emirates", "Soviet Union"})


_EVENT = re.compile(
    r"(?<=\w )(?:Open|Cup|Championships?|Trophy|Classic|Grand Prix|Olympics|Games|Masters|Tournament|Marathon"
    r"|Festival|Awards|Slam|Prize)$"
)

def _kind_by_layout(layout: Layout, s: int, e: int, kind: str, surface: str, at_start: bool) -> str | None:
    """The kind the span's place on the page gives it (see :mod:`.layout`); ``None``: not a name."""
    if layout.is_furniture(s, e):
        return None
    if kind == "org" and surface.isupper() and len(surface) <= 4 and layout.after_clock(s):
        return None  # "07.00 GMT"
    if " " not in surface and kind != "place" and (at_start or layout.at_line_start(s)) and layout.used_in_lower_case(surface):
        return None  # "Qualifier vs. ..." in an article that says "qualifier"
    if kind in ("place", "org") and layout.on_table_line(s) and not layout.in_brackets(s, e):
        country = place_name(surface)
        if country not in COUNTRY_NAMES and country not in AMBIGUOUS_COUNTRIES and country not in _UNIONS:
            return "org"  # "CHICAGO 74 58 .561": a team
    return kind


def _table_teams(text: str, out: list[Candidate], layout: Layout, raw: Sequence[RawSpan]) -> None:
    """Names a results table scores that the model left untagged: teams (see :mod:`.layout`)."""
    for s, e in layout.table_names():
        name = text[s:e]
        if _covered(raw, s, e) or any(c.start < e and s < c.end for c in out) or layout.is_furniture(s, e):
            continue
        if name.casefold() in COMMON_WORDS or name.casefold() in NOT_NAMES or name in _CALENDAR or name in NO_EXTEND:
            continue
        if " " not in name and layout.used_in_lower_case(name):
            continue
        if place_name(name) in COUNTRY_NAMES:
            continue
        out.append(Candidate(s, e, "org", "TABLE", fold_space(name), False))
        out[-1].locked = True


def clean_spans(text: str, raw: Iterable[RawSpan], starts: Sequence[int] | None = None) -> list[Candidate]:
    raw = sorted(raw)
    if starts is None:
        starts = sentence_starts(text)
    raw_starts = {r[0] for r in raw}
    owned = _owned_s(text)
    layout = Layout(text)
    start_set = set(starts)
    out: list[Candidate] = []
    for rs, re_, label in raw:
        kind = kind_for(label)
        if kind is None:
            continue
        for s, e in _split_at(starts, rs, re_, text if kind in NAME_KINDS else ""):
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
                s = _strip_leading_words(text, s, e, _NOT_IN_PERSON_NAMES)
            if kind in ("org", "place", "other", "group") and text.startswith("the ", s) and e - s > 4:
                s += 4
            elif kind in ("org", "place", "other") and text.startswith("The ", s) and " " in text[s + 4 : e].strip():
                s += 4  # "The European Commission"; but "The Hague", "The Economist" keep it
            if kind in ("person", "org", "place"):
                e = drop_tail(text, s, e)
            s, e = _trim(text, s, e, owned)
            if e <= s:
                continue
            if owned and text[e : e + 2] in ("'s", "’s") and text[s : e + 2].rsplit(" ", 1)[-1] in owned:
                e += 2  # the model left the name's own 's out: "Shares of McDonald's fell"
            surface = text[s:e]
            if kind in NAME_KINDS:
                if not any(ch.isupper() for ch in surface):
                    continue
                if surface.casefold() in NOT_NAMES and not surface.isupper():
                    continue
                if _hyphen_fragment(text, s, e, raw):
                    continue
            if kind == "person":
                e = _extend_east_asian(text, s, e, starts, raw_starts)
                s, e = _extend_person(text, s, e, raw, layout)
                surface = text[s:e]
            if kind in ("org", "place", "other", "group") and _after_person_cue(text, s) and _looks_like_name(surface):
                kind = "person"  # "Chancellor Olaf Scholz" tagged ORG
            elif kind in ("person", "org") and unshout(surface) in COUNTRY_NAMES:
                kind = "place"  # "Malawi" tagged PERSON: countries are places (national teams too)
            elif kind in ("person", "place") and (_ORG_SHAPE.search(surface) or surface in PARTIES):
                kind = "org"  # "Lib Dems", "Manchester United", "Labour" tagged PERSON
            elif kind in ("person", "org", "place") and (surface in AWARDS or _EVENT_WORD.fullmatch(surface)):
                kind = "other"  # "Oscar", "Premiership": awards and competitions
            elif kind in ("person", "org", "place") and _I_PRODUCT.fullmatch(surface):
                kind = "other"  # "iPod", "iTunes": products
            elif kind == "person" and surface in GROUPS:
                kind = "group"  # "Welsh" tagged PERSON
            if kind == "org" and surface.upper() in _TIME_ZONES:
                continue  # "GMT": a time zone
            if kind in ("person", "org", "place") and surface in _CALENDAR:
                kind = "date"  # "Sunday" tagged ORG
            if kind == "money":
                s, e = money_span(text, s, e)
                surface = text[s:e]
            if kind == "place" and label == "FAC" and _institution_fac(surface):
                kind = "org"
            if kind in ("org", "place", "person") and _EVENT.search(surface):
                kind = "other"  # "Hong Kong Open", "Asian Cup": competitions, not who or where
            team = False
            if kind in NAME_KINDS:
                by_layout = _kind_by_layout(layout, s, e, kind, surface, at_start=s == 0 or s in start_set)
                if by_layout is None:
                    continue
                team, kind = by_layout != kind and by_layout == "org", by_layout
            legal = kind == "org" and org_name(surface) != fold_space(surface) and not surface.lower().endswith(".com")
            out.append(Candidate(s, e, kind, label, fold_space(surface), legal))
            out[-1].locked = team  # a team in a results table stays one whatever the prose says
    _dateline_places(text, out)
    _table_teams(text, out, layout, raw)
    # overlapping pieces (rare: extension into a neighbour) -- keep the first
    out.sort(key=lambda c: (c.start, -c.end))
    kept: list[Candidate] = []
    last_end = -1
    for c in out:
        if c.start >= last_end:
            kept.append(c)
            last_end = c.end
    return kept

