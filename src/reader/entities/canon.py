"""Names: canonical forms within a document, keys and display names across the corpus.

Pure functions, no third-party imports.

* :func:`org_name` turns a written company name into the name people use:
  legal-form suffixes (``Inc.``, ``Corp.``, ``Co.``, ``Ltd.``, ``PLC``,
  ``AG``...), ``Holding(s)``/``Group Holding`` and a ``.com`` are dropped, so
  ``Amazon.com Inc.`` -> ``Amazon`` and ``Alibaba Group Holding Ltd.`` ->
  ``Alibaba``; ``Eurasia Group`` keeps its ``Group`` (it is the name).
* :func:`place_name` maps the usual abbreviations of a few countries to the
  full name (``U.S.``, ``US``, ``U.S.A.``, ``America`` -> ``United States``).
  ``America`` is included because in news text it almost always means the
  country (the continents are "the Americas", "North/South America").
* :func:`corpus_key` is what the index groups by: kind + a folded name
  (case, punctuation, ``the``, middle initials of people, corporate tails
  such as ``Group``/``Technologies``/``Party`` for organisations, a plural
  last word -- ``Lib Dems`` ~ ``Lib Dem`` -- and ``EU``/``UN`` for the
  European Union and United Nations).
* :func:`preferred_name` picks the sidebar name among the canonical names
  seen for one key: the most frequent written form, but never an all-caps
  or abbreviated variant when a normal one exists, and never a form with a
  legal suffix when a bare one exists.  Users expect ``Amazon`` and
  ``United States`` (the forms the articles themselves mostly use in
  running text), not ``Amazon.com Inc.`` / ``U.S.``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from ..text.fold import fold_punctuation
from .gazetteer import PERSON_CUES, TITLES

#: Legal-form suffixes: never part of the name people use.
_LEGAL = frozenset(
    """inc inc. incorporated corp corp. corporation co co. ltd ltd. limited plc p.l.c. ag sa s.a.
    nv n.v. llc l.l.c. lp l.p. llp gmbh se spa s.p.a. bv b.v. pty oyj asa ab kk k.k. cos cos.""".split()
)
#: Holding-company tails, dropped for display too (``Tencent Holdings`` -> ``Tencent``).
_HOLDING = frozenset({"holding", "holdings"})
#: Descriptive tails dropped only for the corpus key (``Huawei Technologies`` ~ ``Huawei``,
#: ``Labour Party`` ~ ``Labour``).
_KEY_TAILS = frozenset({"group", "technology", "technologies", "company", "corporation", "party"})
#: Organisations better known by their initials (folded alias -> key name).
_ORG_ALIASES = {
    "eu": "european union", "e.u.": "european union", "e.u": "european union",
    "un": "united nations", "u.n.": "united nations", "u.n": "united nations",
}

#: Folded alias -> canonical display name, for places.
_PLACE_ALIASES: dict[str, str] = {}
for _canonical, _aliases in {
    "United States": (
        "us", "usa", "u.s", "u.s.", "u.s.a", "u.s.a.", "united states", "united states of america", "america",
        "the united states", "the us", "the u.s.",
    ),
    "United Kingdom": (
        "uk", "u.k", "u.k.", "united kingdom", "britain", "great britain", "the uk", "the u.k.", "the united kingdom",
    ),
    "United Arab Emirates": ("uae", "u.a.e.", "u.a.e", "united arab emirates"),
    "European Union": ("eu", "e.u.", "e.u", "european union"),
    "Soviet Union": ("ussr", "u.s.s.r.", "soviet union"),
    "Democratic Republic of the Congo": ("drc", "democratic republic of the congo", "democratic republic of congo"),
    "China": ("china", "prc", "p.r.c.", "people's republic of china", "mainland china"),
    "Hong Kong": ("hong kong", "hk"),
    "Washington, D.C.": ("washington, d.c.", "washington d.c.", "washington dc", "d.c.", "dc"),
}.items():
    for _alias in _aliases:
        _PLACE_ALIASES[_alias] = _canonical


def fold_space(text: str) -> str:
    return " ".join(text.split())


def _words(name: str) -> list[str]:
    return fold_space(name).split(" ") if name.strip() else []


def strip_titles(name: str) -> str:
    """``Treasury Secretary Steven Mnuchin`` -> ``Steven Mnuchin``; keeps one word at least."""
    words = _words(name)
    while len(words) > 1 and (words[0] in TITLES or words[0].rstrip(".") in TITLES):
        words.pop(0)
    return " ".join(words)


def _is_upper_word(word: str) -> bool:
    letters = [ch for ch in word if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def unshout(name: str) -> str:
    """``BEIJING`` -> ``Beijing``, ``LINGLING WEI`` -> ``Lingling Wei``; short acronyms stay."""
    words = _words(name)
    if not words or not all(_is_upper_word(w) or not any(c.isalpha() for c in w) for w in words):
        return name
    if len(words) == 1 and len(words[0]) <= 3:
        return name
    return " ".join(w.capitalize() if len(w) > 3 or len(words) > 1 else w for w in words)


def org_name(name: str) -> str:
    """The name people use for a company: legal suffixes, holding tails and ``.com`` dropped."""
    name = fold_space(fold_punctuation(name))
    words = _words(name)
    if words and words[0].lower() == "the" and len(words) > 1:
        words.pop(0)
    stripped_holding = False
    while len(words) > 1:
        tail = words[-1].rstrip(",").lower()
        if tail in _LEGAL or tail in {"&", "and", ","}:
            words.pop()
            if words:
                words[-1] = words[-1].rstrip(",")
        elif tail in _HOLDING:
            words.pop()
            stripped_holding = True
        elif tail == "group" and stripped_holding:
            words.pop()
        else:
            break
    if words:
        words[-1] = words[-1].rstrip(",")
        first = words[0]
        if first.lower().endswith(".com") and len(first) > 4:
            words[0] = first[:-4]
    return " ".join(words) or name


def place_name(name: str) -> str:
    """Known abbreviations to the full name; ``the`` dropped; shouting folded."""
    name = fold_space(fold_punctuation(name))
    folded = name.casefold()
    if folded in _PLACE_ALIASES:
        return _PLACE_ALIASES[folded]
    if folded.startswith("the ") and len(name) > 4:
        name = name[4:]
        folded = name.casefold()
        if folded in _PLACE_ALIASES:
            return _PLACE_ALIASES[folded]
    return unshout(name)


def person_name(name: str) -> str:
    return unshout(strip_titles(fold_space(fold_punctuation(name))))


def canonical_name(kind: str, name: str) -> str:
    """The canonical form of one (already cleaned) mention, without document context."""
    if kind == "person":
        return person_name(name)
    if kind == "org":
        return org_name(name)
    if kind == "place":
        return place_name(name)
    if kind == "group":
        return unshout(fold_space(name))
    return fold_space(name)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", fold_punctuation(text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.casefold()


_PUNCT = re.compile(r"[^\w\s&$%-]+")


def _plain(text: str) -> str:
    text = _fold(text).replace("&", " and ")
    text = _PUNCT.sub("", text.replace("-", " "))
    return " ".join(text.split())


def corpus_key(kind: str, name: str) -> str:
    """One key per real-world name and kind, for grouping mentions across articles.

    ``corpus_key("place", "U.S.") == corpus_key("place", "United States")``,
    ``corpus_key("org", "Amazon.com Inc.") == corpus_key("org", "Amazon")``,
    ``corpus_key("person", "Steven T. Mnuchin") == corpus_key("person", "Mr. Steven Mnuchin")``.
    The key is ``"<kind>:<folded name>"``; it is stable across releases of
    the model because it depends only on the text.
    """
    name = fold_space(name or "")
    if kind == "place":
        base = place_name(name)
        plain = _plain(base)
        if plain.startswith("the "):
            plain = plain[4:]
    elif kind == "org":
        alias = _ORG_ALIASES.get(_fold(fold_space(name)).removeprefix("the "))
        plain = alias or _plain(org_name(name))
        words = plain.split()
        if words and words[0] == "the" and len(words) > 1:
            words.pop(0)
        while len(words) > 1 and words[-1] in _KEY_TAILS:
            words.pop()
        if len(words) > 1 and len(words[-1]) > 3 and words[-1].endswith("s") and not words[-1].endswith(("ss", "us", "is")):
            words[-1] = words[-1][:-1]  # "Lib Dems" ~ "Lib Dem"
        plain = " ".join(words)
    elif kind == "person":
        words = _plain(strip_titles(name)).split()
        if len(words) > 2:  # middle initials: "steven t mnuchin" ~ "steven mnuchin"
            words = [words[0]] + [w for w in words[1:-1] if len(w) > 1] + [words[-1]]
        while len(words) > 1 and words[-1] in {"jr", "sr", "ii", "iii", "iv"}:
            words.pop()
        plain = " ".join(words)
    elif kind == "group":
        plain = _plain(name)
    else:
        plain = _plain(name) if kind != "money" and kind != "percent" else _fold(name)
    return f"{kind}:{plain or _fold(name)}"


def _has_legal_tail(name: str) -> bool:
    return org_name(name) != fold_space(fold_punctuation(name))


def _is_abbreviated(name: str, folded_counts: Mapping[str, int]) -> bool:
    """``U.S.`` or ``BEIJING`` (when ``Beijing`` is also seen): forms a sidebar should not prefer.

    A short acronym (``NATO``, ``IBM``) is its own best written form.
    """
    letters = [ch for ch in name if ch.isalpha()]
    if not letters:
        return False
    if "." in name.rstrip(".") and all(len(part) <= 2 for part in name.split(".")):
        return True  # U.S., U.K., D.C.
    shouting = all(ch.isupper() for ch in letters) and (len(letters) > 5 or " " in name.strip())
    return shouting and folded_counts.get(name.casefold(), 0) > 1


def preferred_name(names: Mapping[str, int]) -> str:
    """The display name for one corpus key, from ``{canonical name: mention count}``.

    Order of preference: a form without a legal suffix (``Amazon`` over
    ``Amazon.com Inc.``); a written-out form over an all-caps or dotted one
    (``United States`` over ``U.S.``, ``Beijing`` over ``BEIJING``) -- unless
    only such forms exist; then the most frequent; then the longer (more
    complete) one; then alphabetical, so the choice is deterministic.
    """
    if not names:
        return ""
    folded: dict[str, int] = {}
    for n in names:
        folded[n.casefold()] = folded.get(n.casefold(), 0) + 1
    return min(
        names,
        key=lambda n: (
            is_titled(n),  # "Trump" over "Mr. Trump"
            _has_legal_tail(n),
            _is_abbreviated(n, folded),
            -names[n],
            -len(n),
            n,
        ),
    )


_TITLE_BEFORE = re.compile(r"(?:^|(?<=\s))(\S+) $")


def titled_name(text: str, start: int, name: str) -> str:
    """``name`` with the person title written before it in ``text`` ("Mr. Trump",
    "President Trump"), or ``name`` alone when there is none."""
    m = _TITLE_BEFORE.search(text[max(0, start - 30) : start])
    if m and (m.group(1) in PERSON_CUES or m.group(1) in TITLES or m.group(1).rstrip(".") in TITLES):
        return f"{m.group(1)} {name}"
    return name


def is_titled(name: str) -> bool:
    """A name written with a person title: "Mr. Trump" (see :func:`titled_name`)."""
    return strip_titles(name) != fold_space(name)


def corpus_aliases(counts: Mapping[str, int], dominance: float = 0.9) -> dict[str, str]:
    """Corpus-level merges that :func:`corpus_key` cannot do alone.

    ``counts`` maps corpus keys to mention counts.  A one-word person key
    (``person:trump``, from articles that never give the full name) maps to
    the full-name key it abbreviates (``person:donald trump``) when exactly
    one full name in the corpus ends with that word -- or starts with it, for
    an East Asian family name -- or when one such full name has at least
    ``dominance`` of their mentions.  ``person:li`` with Li Keqiang, Li Qiang
    and Shan Li in the corpus stays unmerged.  Returns ``{key: target key}``
    for the keys to merge; an index may apply it when listing entities.
    """
    from .gazetteer import EAST_ASIAN_SURNAMES

    surnames = {s.casefold() for s in EAST_ASIAN_SURNAMES}
    by_word: dict[str, dict[str, int]] = {}
    for key, n in counts.items():
        kind, _, name = key.partition(":")
        words = name.split()
        if kind != "person" or len(words) < 2:
            continue
        by_word.setdefault(words[-1], {})[key] = n
        if words[0] in surnames and len(words) <= 3:
            by_word.setdefault(words[0], {})[key] = n
    merges: dict[str, str] = {}
    for key in counts:
        kind, _, name = key.partition(":")
        if kind != "person" or " " in name or name not in by_word:
            continue
        options = by_word[name]
        best = max(options, key=lambda k: (options[k], k))
        if len(options) == 1 or options[best] >= dominance * sum(options.values()):
            merges[key] = best
    return merges
