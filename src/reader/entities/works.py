"""Titles, bands and products: names that are not the people, organisations or places they look like.

A small model reads "Harry Potter", "Rebel Moon" or "Ray" as a person, "Xbox"
as an organisation and "Windows XP" as a place: the words alone look like
those.  What tells them apart is the prose around them, and one mention
with a cue is enough for the whole article (per-document consistency: the
same written form is the same thing throughout one article):

* *works* (films, albums, songs, books, shows, games) -> kind ``other``: a
  work noun right before ("the film Ray", "his new album Hopes and Fears");
  after ("Kill Bill sequel", "the Lord of the Rings trilogy", "the Power
  Rangers premiere"; and, on what was taken for a person, "the Harry Potter
  books", "Kill Bill star"); a verb of making or showing after ("Ray,
  starring", "Sideways, directed by", "Shrek 2 grossed", "is out in
  cinemas"); or a title of several words in quotation marks ("“Mad World”");
* *products* -> ``other``: a noun only products take after or before
  ("Xbox console", "Windows XP operating system", "the handheld PSP"), or a
  version after the name on what was taken for a place, person or
  nationality ("Xbox 360", "Windows XP", "Windows 95"), which makes the
  bare head a product too in that article ("Windows");
* *bands* -> ``org``: "band", "rockers" right before a name taken for a
  person, or a band member's role after it ("Franz Ferdinand frontman");
* the model's own labels: a form it tags ``WORK_OF_ART`` or ``PRODUCT`` in
  most of its mentions in the article is that in all of them;
* a capitalised common noun: "the Budget", always after "the", in an article
  that also writes "the budget", is the word, not an organisation.

Precision first.  People keep their kind when a cue is about what they made
("Kylie's new album": a possessive is not a cue; "a Spielberg film"), and a
form the article once titles ("Mr Ray") is a person whatever else is around
it.  Sports words are not work nouns ("after the game Mourinho said", "the
series Australia won"), a club's "stars" and a company's goods ("Nokia
phones", "Intel chips", "the Commission released") are not cues, and known
places, table teams and names linking already settled are left alone.
"""

from __future__ import annotations

import re
from collections import defaultdict

from .candidates import Candidate, fold, name_words
from .gazetteer import PLACES_FOLDED

#: Nouns of works that are not also sports words ("the game", "the series", "the tour",
#: "a single": "after the game Mourinho said", "the series Australia won").
_WORK_NOUNS = (
    r"films?|movies?|albums?|songs?|books?|novels?|sitcoms?|show|musicals?|operas?|documentar(?:y|ies)|sequels?"
    r"|prequels?|soundtracks?|franchise|trilogy|blockbusters?|cartoons?|video\s+games?|(?:tv|television|drama)\s+series"
    r"|comed(?:y|ies)|thrillers?|EP|LP|episodes?|adaptation|hit\s+(?:single|song|show|film|record)"
)
#: "the film Ray", "new album Hopes and Fears", "the hit show Lost", "Spielberg's film Munich".
_WORK_BEFORE = re.compile(
    rf"(?:^|\W)(?:the|a|an|new|latest|his|her|their|its|hit|debut|upcoming|forthcoming|classic|\w+['’]s)\s+"
    rf"(?:[\w-]+\s+)?(?:{_WORK_NOUNS})[ \t]+[\"'‘“]?$",
    re.I,
)
#: After "the" and what was taken for a person: "the Harry Potter books", "the Rebel Moon sequel"
#: (not "a Spielberg film", nor "the Disney film" or "Broadway musical": who made it, where).
_THE_BEFORE = re.compile(r"(?:^|\W)the[ \t]+$", re.I)
_WORK_AFTER = re.compile(
    r"^[\"'’”]?[ \t]+(?:films?|movies?|albums?|novels?|books|sequels?|prequels?|soundtracks?|franchise|trilogy"
    r"|sitcom|series|saga|cast|star|stars)\b",
    re.I,
)
#: After anything: "Kill Bill sequel", "Lord of the Rings trilogy" (not "franchise": "the Eagles' franchise").
_WORK_AFTER_ANY = re.compile(
    r"^[\"'’”]?[ \t]+(?:sequels?|prequels?|trilogy|soundtrack|box[ \t]+office|screenplay|premiere|trailer"
    r"|footage|reboot|remake|spin-?off|adaptation)\b",
    re.I,
)
_WORK_AFTER_PERSON = re.compile(r"^[\"'’”]?[ \t]+(?:co-stars?|actor|actress|author|creator)\b", re.I)
#: "Ray, starring Jamie Foxx", "Sideways, directed by", "Ray, released last week", "Closer, which stars",
#: "Shrek 2 grossed": not a bare "released" ("the Commission released a statement") nor "topped the charts".
_WORK_VERB_AFTER = re.compile(
    r"^[\"'’”]?(?:[ \t]+(?:starring|directed\s+by|written\s+by|grossed|premiered|(?:is\s+)?(?:now\s+)?out\s+in\s+cinemas"
    r"|(?:is\s+)?(?:now\s+)?available\s+to\s+(?:stream|rent|pre-?order))"
    r"|\s*,\s+(?:which\s+|that\s+)?(?:starring|stars|starred|directed\s+by|written\s+by|released|grossed|premiered)"
    rf"|\s*,\s+the\s+(?:new\s+|latest\s+|upcoming\s+)?(?:{_WORK_NOUNS}))\b",
    re.I,
)
#: Nouns only a product takes: "Nokia phones", "Intel chips", "Microsoft software" name a company.
_PRODUCT_NOUNS = r"consoles?|handhelds?|operating\s+system|music\s+player|games\s+console|service\s+pack|web\s+browser"
#: "Xbox console", "Windows XP operating system", "PSP handheld".
_PRODUCT_AFTER = re.compile(rf"^[ \t]+(?:\d+[ \t]+)?(?:{_PRODUCT_NOUNS})\b", re.I)
#: "the console Xbox", "its music player iPod", "Microsoft's Xbox", "Sony's PlayStation".
_PRODUCT_BEFORE = re.compile(rf"(?:^|\W)(?:the|its|a|new)\s+(?:{_PRODUCT_NOUNS})\s+$", re.I)
#: "Xbox 360", "Windows XP", "Windows 2000": a name with a version after it.
_VERSIONED = re.compile(r"\S\s+(?:XP|Vista|ME|NT|CE|\d{2,4}|[2-9])$")
#: "band Franz Ferdinand", "Scottish rockers Franz Ferdinand", "the group Keane".
_BAND_BEFORE = re.compile(r"(?:^|\W)(?:band|bands|rockers|rock\s+group|pop\s+group)\s+$", re.I)
#: "Franz Ferdinand frontman Alex Kapranos", "Keane drummer".
_BAND_AFTER = re.compile(
    r"^(?:['’]s)?\s+(?:frontman|frontwoman|lead\s+singer|guitarist|bassist|drummer|keyboardist|band\s+members?)\b", re.I
)
_PERSON_TITLE_BEFORE = re.compile(r"(?:^|\W)(?:Mr|Mrs|Ms|Miss|Dr|Sir|Dame|Lord|Lady)\.?\s+$")
_CONTEXT = 48
_OPENING_QUOTES = frozenset("\"'“‘«")
_CLOSING_QUOTES = frozenset("\"'”’»")


def retype_works(text: str, cands: list[Candidate]) -> None:
    """Give works and products the kind ``other`` and bands ``org``, per written form (see module doc)."""
    forms: dict[str, list[Candidate]] = defaultdict(list)
    for cand in cands:
        if cand.kind in ("person", "org", "place", "group", "other"):
            forms[fold(cand.name)].append(cand)
    heads: set[str] = set()
    for form, members in forms.items():
        verdict = _verdict(text, members)
        if verdict is None:
            continue
        if verdict == "other" and _VERSIONED.search(members[0].name):
            heads.add(form.rsplit(" ", 1)[0])  # "Windows XP" makes "Windows" a product too
        _retype(members, verdict)
    for head in heads:
        if head in forms and head not in PLACES_FOLDED:
            _retype(forms[head], "other")


def _retype(members: list[Candidate], verdict: str) -> None:
    for cand in members:
        if cand.kind in ("person", "org", "place", "group") and not (verdict == "org" and cand.kind != "person"):
            cand.kind = verdict
            cand.locked = True


def _verdict(text: str, members: list[Candidate]) -> str | None:
    """``other`` (a work or product), ``org`` (a band), or None (leave the form alone)."""
    if not any(c.kind in ("person", "org", "place", "group") for c in members):
        return None
    if any(c.locked for c in members) or fold(members[0].name) in PLACES_FOLDED:
        return None  # a team a results table scores, a kind linking settled, a known place
    if all(c.kind == "group" for c in members):
        return "other" if _VERSIONED.search(members[0].name) else None  # "Windows XP" tagged NORP
    labelled = sum(c.label in ("WORK_OF_ART", "PRODUCT") for c in members)
    if labelled * 2 > len(members):
        return "other"
    if any(_PERSON_TITLE_BEFORE.search(text[max(0, c.start - 8) : c.start]) for c in members):
        return None  # "Mr Ray": whatever else the form names here, it names a person
    band = False
    for cand in members:
        before = text[max(0, cand.start - _CONTEXT) : cand.start]
        after = text[cand.end : cand.end + _CONTEXT]
        if before[-1:] in _OPENING_QUOTES and after[:1] in _CLOSING_QUOTES and len(name_words(cand.name)) > 1:
            return "other"  # “Mad World”, 'The Color Purple': titles are quoted, names are not
        if _WORK_BEFORE.search(before) or _WORK_VERB_AFTER.match(after) or _WORK_AFTER_ANY.match(after):
            return "other"
        if cand.kind == "person" and (
            _WORK_AFTER_PERSON.match(after) or (_THE_BEFORE.search(before) and _WORK_AFTER.match(after))
        ):
            return "other"
        if _PRODUCT_AFTER.match(after) or _PRODUCT_BEFORE.search(before):
            return "other"
        if cand.kind in ("place", "person", "group") and _VERSIONED.search(cand.name):
            return "other"
        if cand.kind == "person" and (_BAND_BEFORE.search(before) or _BAND_AFTER.match(after)):
            band = True
    if band:
        return "org"
    return "other" if _common_noun(text, members) else None


def _common_noun(text: str, members: list[Candidate]) -> bool:
    """"the Budget" where the article also writes "the budget": the word, capitalised, not a name."""
    name = members[0].name
    if " " in name or not (name[:1].isupper() and name[1:].islower()):
        return False
    if not all(text[max(0, c.start - 4) : c.start] == "the " for c in members):
        return False
    return re.search(rf"\b(?:the|a|an|this|its|their|his|her|our)\s+{re.escape(name.lower())}\b", text) is not None
