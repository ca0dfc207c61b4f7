"""What the cleaning stages pass along: raw spans, draft mentions, shared word lists.

A recogniser gives ``(start, end, label)`` spans with spaCy/OntoNotes labels
(:data:`RawSpan`); :mod:`.trim` turns each into a :class:`Candidate` (a
mention whose kind and canonical name may still change), :mod:`.link` and
:mod:`.propagate` work on the article's candidates together, and
:func:`reader.entities.clean.postprocess` turns them into
:class:`~reader.model.Mention`.  Kinds: PERSON->person, ORG->org,
GPE/LOC/FAC->place, NORP->group, MONEY, PERCENT, DATE; any other label
(EVENT, WORK_OF_ART, LAW, PRODUCT, LANGUAGE) -> other; CARDINAL, ORDINAL,
QUANTITY and TIME are dropped.
"""

from __future__ import annotations

import re

from ..text.fold import fold_quotes
from .gazetteer import MONTHS, WEEKDAYS

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

#: Words that are never a name on their own (pronouns, determiners, bare titles).
NOT_NAMES = frozenset(
    """i me my he him his she her it its we us our they them their you your this that these those
    the a an and or but who whom what which mr mrs ms dr sir men women boys girls people""".split()
)
#: Capitalised words that never continue or repeat a name.
NO_EXTEND = frozenset(WEEKDAYS) | frozenset(MONTHS) | frozenset(
    "The A An And Or But In On At Of For To By With From As Is Was Said Says Told".split()
)
#: One-word company "cores" that are too generic to stand for the company
#: (General Motors is not "General", United Technologies not "United").
GENERIC_HEADS = frozenset(
    """general national international united american first royal standard central federal global
    western eastern northern southern new great universal consolidated allied continental pacific
    atlantic applied advanced digital public private people's state city county world""".split()
)
#: Tails a company's short name drops ("Huawei Technologies" -> "Huawei").
KEY_TAIL_WORDS = frozenset(
    "technology technologies tech group holding holdings corporation company co co. corp corp. inc inc. "
    "ltd ltd. limited plc ag motor motors electronics industries enterprises".split()
)
_ACRONYM_SKIP = frozenset({"of", "and", "for", "the", "&", "de", "on", "in", "du", "des", "la", "le", "to", "at"})


def kind_for(label: str) -> str | None:
    if label in LABEL_KINDS:
        return LABEL_KINDS[label]
    return "other"


class Candidate:
    """A mention in the making: offsets fixed, kind and canonical name still open."""

    __slots__ = ("start", "end", "kind", "label", "name", "canonical", "legal", "locked")

    def __init__(self, start: int, end: int, kind: str, label: str, name: str, legal: bool) -> None:
        self.start, self.end, self.kind, self.label = start, end, kind, label
        self.name = name
        self.canonical = ""
        self.legal = legal  # the written form carried a legal suffix (Inc., Co.)
        self.locked = False  # kind decided by linking; votes leave it alone


def fold(name: str) -> str:
    return fold_quotes(name).casefold()


def name_words(name: str) -> list[str]:
    return [w for w in fold_quotes(name).split() if w]


def initials(name: str) -> set[str]:
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
