"""Rule-based fallback extractor, used when no spaCy model is installed.

Clearly weaker than a statistical model, but it keeps the entity sidebar and
``reader entities`` working.  It produces OntoNotes-style labelled spans and
then goes through the same cleaning and linking as spaCy output:

* money: ``$2 billion``, ``US$5m``, ``50 million yuan``, ``3 billion dollars``
* percent: ``47%``, ``10 percent``, ``2.5 per cent``
* dates: weekdays, months (with day/year), ``2019``, ``March 1``, ``last week``-style phrases
* groups: a built-in list of nationalities (``Chinese``, ``Americans``)
* places: a built-in list of countries, regions and major cities, plus
  dotted country abbreviations (``U.S.``, ``U.K.``)
* organisations: a capitalised sequence ending in a company suffix
  (Inc./Corp./Co./Ltd./Group/PLC...) or containing an institution word
  (Ministry, Council, Bank, University...), and short all-caps acronyms
* people: a title (Mr./Premier/Secretary/President...) followed by
  capitalised names (the title is not part of the mention), and two- or
  three-word capitalised sequences that are nothing else.  Single
  capitalised words become people only by linking to such a full name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from ..model import Mention
from .clean import RawSpan, postprocess
from .gazetteer import GROUPS, MONTHS, PERSON_CUES, PERSON_TITLES, PLACES, TITLES, WEEKDAYS

_PLACE_HEADS = frozenset("San Santa Los Las New Port Saint Fort Mount Lake Cape Sao Rio".split())

_NUMBER = r"\d+(?:[.,]\d+)*"
_SCALE = r"(?:\s?(?:thousand|million|billion|trillion|bn|mn|m|b|k)\b)?"
_CURRENCY_WORDS = (
    r"(?:dollars?|yuan|renminbi|euros?|pounds?(?: sterling)?|yen|rupees?|won|rubles?|roubles?|pesos?|francs?"
    r"|real|reais|rand|dirhams?|riyals?)"
)
_MONEY = re.compile(
    rf"(?:(?:US|HK|C|A|NZ|S)?\$|€|£|¥|USD\s?|EUR\s?|RMB\s?)\s?{_NUMBER}{_SCALE}"
    rf"|\b{_NUMBER}(?:\s(?:thousand|million|billion|trillion))?\s{_CURRENCY_WORDS}\b"
)
_PERCENT = re.compile(rf"\b{_NUMBER}\s?(?:%|percent\b|per cent\b|percentage points?\b)")
_MONTHS = "|".join(MONTHS) + r"|Jan\.|Feb\.|Mar\.|Apr\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\."
_DATE = re.compile(
    rf"\b(?:(?:{_MONTHS})(?:\s\d{{1,2}}(?:st|nd|rd|th)?)?(?:,?\s(?:19|20)\d{{2}})?"
    rf"|\d{{1,2}}\s(?:{'|'.join(MONTHS)})(?:\s(?:19|20)\d{{2}})?"
    rf"|(?:{'|'.join(WEEKDAYS)})"
    rf"|(?:last|next|this|earlier this|later this)\s(?:week|month|year|quarter|spring|summer|fall|autumn|winter)"
    rf"|(?:19|20)\d{{2}}(?!\s?(?:%|percent))"
    rf")\b"
)

_NAME_WORD = (
    r"(?:(?:Mc|Mac|O'|O’)[A-Z][a-z]+|[A-Z][a-z]+\.com|(?:Inc|Corp|Co|Ltd|Jr|Sr|Bros|Mr|Mrs|Ms|Dr|Sen|Gov|Gen|Rep)\."
    r"|[A-Z][a-z]+(?:-[A-Z][a-z]+)*|[A-Z]\.|[A-Z]{2,}(?:\.[A-Z])*\.?(?![A-Za-z]))"
)
_CONNECTOR = r"(?:\s(?:of|and|for|the|&|de|du|von|van|al)\s)"
_SEQUENCE = re.compile(rf"(?<![\w@#/.])(?:{_NAME_WORD}(?:(?:\s|{_CONNECTOR}){_NAME_WORD})*(?:,?\s(?:L\.L\.C|S\.A|N\.V)\.)?)")
_DOTTED_PLACE = re.compile(r"\b(?:U\.S\.A?|U\.K|U\.A\.E|E\.U)\.?(?![A-Za-z])|\bUSA\b|\bUK\b|\bUS(?=\s+[a-z])")

_ORG_SUFFIXES = frozenset(
    "Inc Inc. Corp Corp. Co Co. Ltd Ltd. PLC plc AG SA NV LLC GmbH Group Holdings Holding Corporation Company "
    "Limited Bank Partners Capital".split()
)
_ORG_WORDS = re.compile(
    r"\b(?:Ministry|Department|Council|Commission|Committee|Agency|Office|Bureau|Administration|University|"
    r"College|Institute|Association|Organi[sz]ation|Foundation|Federation|Union|Party|Parliament|Congress|Senate|"
    r"Court|Reserve|Bank|Times|News|Post|Journal|Press|Reuters|Network|Airlines|Motors|Technologies|Technology|"
    r"Systems|Industries|Group|Fund|Exchange|Service|Services|House|Army|Navy|Police|Board|Authority|Centre|Center)\b"
)
_STOP_START = frozenset(
    """The A An And But Or So If In On At Of For To By With From As It Its He She They We I You His Her Their Our
    This That These Those There Here When While After Before Since Until Because Although However Meanwhile
    Still Yet Also Then Now Today Yesterday Tomorrow Earlier Later Last Next Some Many Most Both Each Such
    What Who Why How Where Which One Two Three Four Five Under Over Among Despite During Without Asked""".split()
)


def _spans(text: str) -> list[RawSpan]:
    spans: list[RawSpan] = []
    taken = bytearray(len(text) + 1)

    def add(s: int, e: int, label: str) -> None:
        if e <= s or any(taken[s:e]):
            return
        spans.append((s, e, label))
        taken[s:e] = b"\x01" * (e - s)

    for m in _MONEY.finditer(text):
        add(m.start(), m.end(), "MONEY")
    for m in _PERCENT.finditer(text):
        add(m.start(), m.end(), "PERCENT")
    for m in _DOTTED_PLACE.finditer(text):
        add(m.start(), m.end(), "GPE")
    for m in _DATE.finditer(text):
        add(m.start(), m.end(), "DATE")
    for m in _SEQUENCE.finditer(text):
        if not any(taken[m.start() : m.end()]):
            _classify(text, m.start(), m.end(), add)
    return spans


_WORD = re.compile(r"\S+")
_AND = re.compile(r"\s(?:and|&)\s")


def _classify(text: str, s: int, e: int, add: Callable[[int, int, str], None]) -> None:
    """Label one capitalised sequence ``text[s:e]`` (recursing on its parts)."""
    words = [(w.start() + s, w.end() + s, w.group()) for w in _WORD.finditer(text[s:e])]
    # a sentence-opening function word ("The", "But") is not part of a name
    while words and words[0][2] in _STOP_START:
        words.pop(0)
    if not words:
        return
    s = words[0][0]
    name = text[s:e]
    last = words[-1][2].rstrip(",")
    is_org = last in _ORG_SUFFIXES or bool(_ORG_WORDS.search(name))
    # "Microsoft Corp. and Amazon.com Inc.", "Lighthizer and Treasury Secretary Mnuchin"
    for m in _AND.finditer(name):
        left = name[: m.start()].split()
        if left and (not is_org or left[-1] in _ORG_SUFFIXES):
            _classify(text, s, s + m.start(), add)
            _classify(text, s + m.end(), e, add)
            return
    # a title inside the sequence starts a person: "Nvidia CEO Jensen Huang"
    for i in range(1, len(words) - 1):
        if words[i][2] in PERSON_CUES and words[i + 1][2] not in TITLES:
            _classify(text, s, words[i - 1][1], add)
            _classify(text, words[i][0], e, add)
            return
    # a leading nationality or place: "Chinese Vice Premier Liu He"
    if len(words) > 1 and (words[0][2] in GROUPS or words[0][2] in PLACES) and not is_org:
        add(words[0][0], words[0][1], "NORP" if words[0][2] in GROUPS else "GPE")
        _classify(text, words[1][0], e, add)
        return
    # a title announces a person; the title itself is not the name
    titled = False
    while len(words) > 1 and (words[0][2] in TITLES or words[0][2].rstrip(".") in TITLES or words[0][2] in PERSON_CUES):
        first = words.pop(0)[2]
        titled = titled or first in PERSON_TITLES or first.rstrip(".") + "." in PERSON_TITLES or first in PERSON_CUES
    s = words[0][0]
    name = text[s:e]
    plain = [w[2] for w in words]
    if any(w in WEEKDAYS or w in MONTHS for w in plain):
        return
    if name in PLACES:
        add(s, e, "GPE")
    elif name in GROUPS:
        add(s, e, "NORP")
    elif is_org and not titled:
        add(s, e, "ORG")
    elif titled and len(plain) <= 4:
        add(s, e, "PERSON")
    elif len(plain) == 1 and re.fullmatch(r"[A-Z]{2,6}", name):
        add(s, e, "ORG")
    elif 2 <= len(plain) <= 3 and plain[0] in _PLACE_HEADS:
        add(s, e, "GPE")  # San Jose, New Delhi, Port Moresby
    elif 2 <= len(plain) <= 3 and all(re.fullmatch(r"[A-Z][a-z'’-]+|[A-Z]\.", w) for w in plain):
        if not any(w in PLACES or w in GROUPS for w in plain):
            add(s, e, "PERSON")
    elif len(plain) == 1 and re.search(r"(?:^|[^A-Za-z])in $", text[max(0, s - 4) : s]) and re.fullmatch(r"[A-Z][a-z]{2,}", name):
        add(s, e, "GPE")  # "in Cupertino": a lone unknown name after "in" is most often a place
    elif len(plain) == 1:
        add(s, e, "UNKNOWN")  # linked to a person's surname later, else dropped


class RuleExtractor:
    """Regular expressions and word lists; no model."""

    def __init__(self, reason: str = "no spaCy model installed") -> None:
        self.name = f"rule-based fallback ({reason})"

    def raw(self, texts: Iterable[str], *, batch_size: int = 32, n_process: int = 1) -> Iterator[list[RawSpan]]:
        for text in texts:
            yield [s for s in _spans(text or "") if s[2] != "UNKNOWN"]

    def extract(self, texts: Iterable[str], *, batch_size: int = 32, n_process: int = 1) -> Iterator[list[Mention]]:
        for text in texts:
            text = text or ""
            # "other" only arises from lone capitalised words no person claimed
            yield [m for m in postprocess(text, _spans(text)) if m.kind != "other"]
