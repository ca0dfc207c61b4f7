"""Linking within one article: short forms to full names, acronyms to organisations, one kind per form.

Works on all the candidates of one article at once, after :mod:`.trim`;
:func:`reader.entities.clean.postprocess` runs it before and after
:mod:`.propagate` (votes and repeats can make new people and organisations).

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
  ("Raimondo said" is tagged ORG by en_core_web_sm 3.8).  A known place
  name can be a surname ("MaliVai Washington ... Washington said") when the
  full name is in the article; a country never is.
* *Given names*: a lone word tagged person that is no one's surname but
  starts exactly one full name in the article links to it ("Tedros" ->
  Tedros Adhanom Ghebreyesus).
* *Acronyms*: an all-capitals org (or unknown place) whose letters are the
  initials of exactly one longer organisation in the article (``AWS`` ~
  ``Amazon Web Services``, ``WTO`` ~ ``World Trade Organization``) takes
  that organisation's canonical name.
* *Short company names*: ``Sinnet`` -> ``Beijing Sinnet Technology Co.``,
  ``Huawei`` -> ``Huawei Technologies Ltd.``, when removing a leading place
  and corporate tails from exactly one longer org gives the short name.  A
  lone word the model took for a person that is the first word of exactly
  one company with a legal suffix in the article is that company
  (``Magna`` after ``Magna International Inc``).
* *Kind votes*: the same surface form labelled differently within one
  article gets the majority kind; organisations that contain the form count
  as votes for org (twice when they carry a legal suffix), so ``Sinnet``
  (GPE once) is an org because ``Beijing Sinnet Technology Co.`` is.  Known
  places (built-in list) never get containment votes.  A lone unlinked word
  tagged PERSON counts half (people are introduced by full name).  A 1:1 tie
  between place and another kind goes to place for a known place, to the
  other kind for an unknown word ("Nvidia").  Contextual cues vote twice
  for organisation: a form followed by "shares", "Inc", "CEO", "said in a
  statement", "manager", "fans"..., or after "shares in", "a stake in", "takeover of", or a
  company noun ("oil giant Yukos", "carmaker Ford").
* Mentions with the same folded surface share one canonical name.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from .candidates import (
    GENERIC_HEADS,
    KEY_TAIL_WORDS,
    NAME_KINDS,
    Candidate,
    fold,
    initials,
    name_words,
)
from .canon import canonical_name, corpus_key, org_name, unshout
from .gazetteer import COUNTRY_NAMES, EAST_ASIAN_SURNAMES, GROUPS, PLACES_FOLDED

_GROUPS_FOLDED = frozenset(g.casefold() for g in GROUPS)


def link_people(cands: list[Candidate]) -> None:
    full: list[tuple[int, str, list[str]]] = []  # (position, full name, words)
    for c in cands:
        if c.kind == "person":
            words = name_words(c.name)
            if len(words) >= 2 and all(w[:1].isupper() for w in words):
                full.append((c.start, unshout(c.name), words))
    if not full:
        return
    by_short: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for pos, name, words in full:
        by_short[fold(words[-1])].append((pos, name))
        if words[0] in EAST_ASIAN_SURNAMES and len(words) <= 3:
            by_short[fold(words[0])].append((pos, name))
    by_first: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for pos, name, words in full:
        if words[0] not in EAST_ASIAN_SURNAMES and len(words[0]) > 2 and not words[0].endswith("."):
            by_first[fold(words[0])].append((pos, name))
    full_names = {fold(n) for _, n, _ in full}
    # a known place is a surname where the model also read it as one, or after the full name
    # ("MaliVai Washington ... Washington said"); a country never is
    said_person = {fold(c.name) for c in cands if c.kind == "person" and " " not in c.name}
    said_person |= {key for key in by_short if key.title() not in COUNTRY_NAMES}
    for c in cands:
        if " " in c.name or fold(c.name) in full_names:
            continue
        if c.kind not in ("person", "org", "other", "place"):
            continue
        if c.kind == "place" and fold(c.name) in PLACES_FOLDED and fold(c.name) not in said_person:
            continue
        options = by_short.get(fold(unshout(c.name)))
        if not options and (c.kind == "person" or c.label == "UNKNOWN"):
            # a given name alone ("Tedros" for Tedros Adhanom Ghebreyesus), only when unique
            options = by_first.get(fold(unshout(c.name)))
            if options and len({fold(n) for _, n in options}) > 1:
                continue
        if not options:
            continue
        before = {fold(n): n for pos, n in options if pos < c.start}
        pool = before or {fold(n): n for pos, n in options}
        distinct = _distinct_people(pool)
        c.kind = "person"
        c.locked = True
        if len(distinct) == 1:
            c.canonical = distinct[0]
        else:
            c.canonical = unshout(c.name)  # ambiguous: unlinked, surface as canonical


def _distinct_people(pool: dict[str, str]) -> list[str]:
    """Full names that are different people (``Steven T. Mnuchin`` == ``Steven Mnuchin``)."""
    seen: dict[str, str] = {}
    for name in sorted(pool.values(), key=lambda n: (-len(n), n)):
        seen.setdefault(corpus_key("person", name), name)
    return list(seen.values())


def link_orgs(cands: list[Candidate], place_words: set[str]) -> None:
    orgs: dict[str, str] = {}  # canonical of multi-word orgs -> itself
    by_head: dict[str, set[str]] = defaultdict(set)  # first word of a company with a legal suffix
    for c in cands:
        if c.kind == "org":
            canon = org_name(c.name)
            if " " in canon:
                orgs.setdefault(fold(canon), canon)
                head = fold(canon.split()[0])
                if c.legal and head not in GENERIC_HEADS and head not in place_words:
                    by_head[head].add(canon)
    if not orgs:
        return
    by_initials: dict[str, set[str]] = defaultdict(set)
    by_core: dict[str, set[str]] = defaultdict(set)
    for folded, canon in orgs.items():
        for ini in initials(canon):
            if len(ini) >= 2:
                by_initials[ini].add(canon)
        words = canon.split()
        while len(words) > 1 and words[0].casefold() in place_words:
            words.pop(0)
        while len(words) > 1 and words[-1].casefold() in KEY_TAIL_WORDS:
            words.pop()
        core = " ".join(words)
        if fold(core) != folded and fold(core) not in GENERIC_HEADS:
            by_core[fold(core)].add(canon)
    for c in cands:
        if c.kind == "person" and not c.locked and " " not in c.name:
            # "Magna" after "Magna International Inc": the company, not a person
            match = by_core.get(fold(c.name)) or by_head.get(fold(c.name))
            if match and len(match) == 1:
                c.kind, c.canonical, c.locked = "org", next(iter(match)), True
            continue
        if c.locked or c.kind not in ("org", "place", "other"):
            continue
        if c.kind == "place" and fold(c.name) in PLACES_FOLDED:
            continue
        compact = c.name.replace(".", "").replace("&", "")
        if 2 <= len(compact) <= 8 and compact.isupper() and compact.isalpha():
            match = by_initials.get(compact)
            if match and len(match) == 1:
                c.kind, c.canonical, c.locked = "org", next(iter(match)), True
                continue
        if c.kind == "org":
            match = by_core.get(fold(org_name(c.name)))
            if match and len(match) == 1:
                c.canonical, c.locked = next(iter(match)), True


_ORG_CUE_AFTER = re.compile(
    r"(?:['’]s)?\s+(?:shares|stock|Inc\b|Corp\b|Ltd\b|plc\b|CEO|chief executive|chairman|shareholders|"
    r"subsidiary|GDRs?\b|ADRs?\b|board|said in a statement|spokes(?:man|woman) said"
    # a club: "Bolton manager Sam Allardyce", "Chelsea fans"
    r"|(?:manager|boss|striker|midfielder|defender|goalkeeper|fans|supporters|squad)\b)"
)
_ORG_CUE_BEFORE = re.compile(
    r"(?:shares (?:in|of)|stake in|subsidiary of|unit of|owned by|takeover of|acquisition of|bid for|merger with"
    # an appositive that only fits a company: "Russian oil giant Yukos", "US carmaker Ford"
    r"|\b(?:giant|firm|company|retailer|carmaker|airline|maker|operator|producer|insurer|brewer|miner|"
    r"conglomerate|chain|publisher|broadcaster|manufacturer|lender|bank|group))\s+$"
)


def _org_cues(text: str, members: list[Candidate]) -> int:
    """How many of the mentions sit where only a company can ("Magna shares", "a stake in Cofinec")."""
    return sum(
        1
        for c in members
        if _ORG_CUE_AFTER.match(text, c.end) or _ORG_CUE_BEFORE.search(text[max(0, c.start - 25) : c.start])
    )


def vote_kinds(cands: list[Candidate], text: str = "") -> None:
    groups: dict[str, list[Candidate]] = defaultdict(list)
    for c in cands:
        if c.kind in NAME_KINDS:
            groups[fold(c.name)].append(c)
    orgs = [c for c in cands if c.kind == "org" and " " in c.name]
    for key, members in groups.items():
        kinds = {c.kind for c in members}
        cues = _org_cues(text, members) if text and kinds != {"org"} else 0
        if len(kinds) == 1 and not cues and not (kinds == {"place"} and key not in PLACES_FOLDED and orgs):
            continue
        votes: dict[str, float] = defaultdict(float)
        votes["org"] += 2 * cues  # contextual cues outweigh the model's reading of one mention
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
                folded = fold(o.name)
                if folded != key and pattern.search(folded):
                    votes["org"] += 2 if o.legal else 1
        votes = {k: n for k, n in votes.items() if n}
        if len(votes) < 2 and not (cues and len(kinds) == 1):
            continue
        ranked = sorted(votes.items(), key=lambda kv: -kv[1])  # ties keep first-seen order
        (top, n1), (_, n2) = ranked[0], (ranked[1] if len(ranked) > 1 else ("", 0.0))
        if n1 == n2:
            tied = {k for k, n in ranked if n == n1}
            if "place" not in tied or len(tied) > 2:
                continue
            # a known place stays a place; an unknown word is likelier the other thing
            top = "place" if key in PLACES_FOLDED else next(k for k in tied if k != "place")
        for c in members:
            if not c.locked:
                c.kind = top


def assign_canonicals(cands: list[Candidate]) -> None:
    groups: dict[tuple[str, str], list[Candidate]] = defaultdict(list)
    for c in cands:
        if not c.canonical:
            c.canonical = canonical_name(c.kind, c.name)
        groups[(c.kind, fold(c.name))].append(c)
    for members in groups.values():
        names = Counter(c.canonical for c in members)
        if len(names) < 2:
            continue
        linked = {c.canonical for c in members if c.locked and fold(c.canonical) != fold(unshout(c.name))}
        if len(linked) > 1:
            continue  # e.g. "Mr. Li" meaning two different people in turn: keep per position
        if linked:
            best = next(iter(linked))
        else:
            best = max(names, key=lambda n: (not n.isupper(), names[n], n))
        for c in members:
            c.canonical = best


def known_place_words(cands: list[Candidate]) -> set[str]:
    return {fold(c.name) for c in cands if c.kind == "place"} | PLACES_FOLDED

