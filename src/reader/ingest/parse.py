"""Recognise the parts of an article: headline, byline, date, dateline, source.

The plain-text shapes are the ones real clippings have: an optional headline
line, an optional ``By A and B`` byline, an optional ``date 2019-03-28``
marker (sometimes all on one line; also ``March 28, 2019``, ``28/03/2019``,
alone or after the names), then paragraphs separated by blank
lines, the first opening with a dateline such as ``BEIJING --`` or
``BEIJING (AP) —``. Nothing is guessed: a field the text does not state
stays empty, except the title, which is derived from the lede when missing
(and flagged as derived).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Article
from ..text.controls import clean_inline
from ..text.dates import normalise_date
from ..text.fold import DASHES
from ..text.sentences import first_sentence
from .debris import clean_paragraphs
from .decode import UnreadableArticle

# -- header lines ------------------------------------------------------------

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?"
_WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)"
#: A date as bylines write it: 2019-03-28, March 28, 2019, 28 March 2019, 28/03/2019 (see normalise_date).
_DATE_TEXT = (
    rf"(?:\d{{4}}-\d{{2}}(?:-\d{{2}})?|{_WEEKDAY}?{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}"
    rf"|{_WEEKDAY}?\d{{1,2}}\s+{_MONTH}\s+\d{{4}}|\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{4}})"
)
_DATE_MARKER = re.compile(rf"(?:^|\s)(?:date|dated|published)\s*[:=]?\s*(?P<date>{_DATE_TEXT})\b", re.I)
_DATE_ALONE = re.compile(rf"^(?P<date>{_DATE_TEXT})$", re.I)  # a line that is only a date
_DATE_AFTER_BYLINE = re.compile(rf"\s*[|·•,—–]\s*(?P<date>{_DATE_TEXT})$", re.I)  # By Jane Roe | March 28, 2019
_BYLINE = re.compile(r"(?:^|\s)By\s+(?P<names>[A-Z][^\n]{1,200})$")
_NAME_SEPARATORS = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*|\s*;\s*)\s*")

# -- datelines and sources ----------------------------------------------------

_DASH = rf"(?:--|[{DASHES}])"
_DATELINE = re.compile(
    rf"""^(?P<place>
            [A-Z][A-Z.'’]+(?:-[A-Z][A-Z.'’]+)*(?:\s[A-Z][A-Z.'’]+(?:-[A-Z][A-Z.'’]+)*){{0,3}}  # BEIJING, NEW YORK, WINSTON-SALEM
            (?:,\s[A-Z][A-Za-z.]+(?:\s[A-Z][A-Za-z.]+)?)?           # , D.C. / , Calif.
          )
          \s*(?:\((?P<agency>[A-Za-z][A-Za-z .&-]{{0,40}})\))?
          \s*{_DASH}\s*""",
    re.VERBOSE,
)
_DATELINE_WITH_AGENCY = re.compile(
    rf"^(?P<place>[A-Z][a-z]+(?:\s[A-Z][a-z]+){{0,2}})(?:,\s[A-Z][a-z]+\.?\s\d{{1,2}})?"
    rf"\s*\((?P<agency>[A-Za-z][A-Za-z .&-]{{0,40}})\)\s*{_DASH}\s*"
)

KNOWN_SOURCES: dict[str, str] = {
    "ap": "Associated Press",
    "associated press": "Associated Press",
    "the associated press": "Associated Press",
    "reuters": "Reuters",
    "thomson reuters": "Reuters",
    "afp": "Agence France-Presse",
    "agence france-presse": "Agence France-Presse",
    "bloomberg": "Bloomberg",
    "bloomberg news": "Bloomberg",
    "xinhua": "Xinhua",
    "upi": "United Press International",
    "dpa": "dpa",
    "kyodo": "Kyodo News",
    "kyodo news": "Kyodo News",
    "yonhap": "Yonhap",
    "cnn": "CNN",
    "bbc": "BBC",
    "npr": "NPR",
}
_SOURCE_NAMES = "|".join(sorted((re.escape(k) for k in KNOWN_SOURCES), key=len, reverse=True))
_SIGN_OFF = re.compile(
    rf"^[\s(—–-]*(?:(?:©|copyright)\s*(?:\d{{4}}\s*)?)?(?P<agency>{_SOURCE_NAMES})[\s.)]*$", re.I
)
_REUTERS_CREDIT = re.compile(r"^\(?\s*(?:Reporting|Additional reporting) by .*(?:Editing by .*)?\)?$", re.I)

# -- titles ------------------------------------------------------------------

_TITLE_MAX_WORDS = 16
_HEADLINE_MAX_WORDS = 30


@dataclass
class ParsedText:
    title: str = ""
    title_derived: bool = False
    authors: list[str] = field(default_factory=list)
    date: str = ""
    source: str = ""
    dateline: str = ""
    paragraphs: list[str] = field(default_factory=list)


def split_paragraphs(text: str) -> list[str]:
    """Blank lines separate paragraphs; hard-wrapped lines inside one are joined."""
    paragraphs = []
    for block in re.split(r"\n[ \t]*\n", text):
        lines = [line.strip() for line in block.split("\n")]
        paragraph = " ".join(line for line in lines if line)
        if paragraph:
            paragraphs.append(paragraph)
    return paragraphs


def split_names(names: str) -> list[str]:
    return [n for n in (clean_inline(part) for part in _NAME_SEPARATORS.split(names)) if n]


def canonical_source(name: str) -> str:
    key = clean_inline(name).lower().strip(" .")
    return KNOWN_SOURCES.get(key, "")


def _header_fields(line: str) -> tuple[str, list[str]] | None:
    """(date, authors) if ``line`` is a byline and/or date marker, else None."""
    date_match = _DATE_MARKER.search(line) or _DATE_ALONE.match(line) or _DATE_AFTER_BYLINE.search(line)
    rest = line
    date = ""
    if date_match:
        date = normalise_date(date_match.group("date"))
        rest = (line[: date_match.start()] + " " + line[date_match.end() :]).strip()
    authors: list[str] = []
    if rest:
        by_match = _BYLINE.match(rest) or (
            _BYLINE.search(rest) if rest.lower().startswith("by ") else None
        )
        if not by_match or by_match.start() != 0:
            return None
        names = by_match.group("names").strip()
        if len(names.split()) > 12 or names.endswith((".", "!", "?", ":")) and not names.endswith(("Jr.", "Sr.")):
            return None
        authors = split_names(names)
    if not date and not authors:
        return None
    return date, authors


def _looks_like_headline(paragraph: str) -> bool:
    words = paragraph.split()
    if not words or len(words) > _HEADLINE_MAX_WORDS or len(paragraph) > 220:
        return False
    if paragraph.rstrip().endswith((".", ",", ";", "?”", '?"', ".”", '."')):
        return False
    return not (_DATELINE.match(paragraph) or _DATELINE_WITH_AGENCY.match(paragraph))


def derive_title(lede: str) -> str:
    """A headline-like title from the lede: first clause of the first sentence."""
    sentence = first_sentence(lede).strip()
    words_before_comma = sentence.split(",", 1)[0].split()
    if "," in sentence and len(words_before_comma) >= 6:
        sentence = sentence.split(",", 1)[0]
    words = sentence.split()
    if len(words) > _TITLE_MAX_WORDS:
        return " ".join(words[:_TITLE_MAX_WORDS]).rstrip(",;:-—–") + "…"
    return sentence.rstrip(" .,;:")


def _find_source(paragraphs: list[str], agency_in_dateline: str) -> str:
    if agency_in_dateline:
        source = canonical_source(agency_in_dateline)
        if source:
            return source
    # "Reuters reported", "told Reuters": citing or quoting an outlet is not being
    # published by it; only a dateline credit or a sign-off says who published.
    for paragraph in paragraphs[-2:]:
        if len(paragraph.split()) > 12:
            continue
        match = _SIGN_OFF.match(paragraph)
        if match:
            return canonical_source(match.group("agency"))
        if _REUTERS_CREDIT.match(paragraph) and "editing by" in paragraph.lower():
            return "Reuters"
    return ""


def parse_text(text: str, *, title: str = "", authors: list[str] | None = None, date: str = "", source: str = "") -> ParsedText:
    """Parse sanitised plain text; known metadata (from front matter) wins over the text."""
    paragraphs = split_paragraphs(text)
    parsed = ParsedText(title=title, authors=list(authors or []), date=date, source=source)

    # Header: up to three leading blocks that are a headline, byline or date marker.
    consumed = 0
    for paragraph in paragraphs[:3]:
        header = _header_fields(paragraph)
        if header:
            found_date, found_authors = header
            parsed.date = parsed.date or found_date
            if not parsed.authors:
                parsed.authors = found_authors
            consumed += 1
            continue
        if consumed == 0 and not title and _looks_like_headline(paragraph):
            parsed.title = clean_inline(paragraph)
            consumed += 1
            continue
        if consumed and not title and not parsed.title and _looks_like_headline(paragraph) and len(paragraphs) > consumed + 1:
            parsed.title = clean_inline(paragraph)
            consumed += 1
            continue
        break
    body = clean_paragraphs(paragraphs[consumed:])

    # An agency in the byline ("By Jane Doe, Associated Press") is the source.
    people = []
    for name in parsed.authors:
        agency = canonical_source(name)
        if agency:
            parsed.source = parsed.source or agency
        else:
            people.append(name)
    parsed.authors = people

    agency = ""
    if body:
        match = _DATELINE.match(body[0]) or _DATELINE_WITH_AGENCY.match(body[0])
        if match:
            place = match.group("place").strip()
            parsed.dateline = place.title() if place.isupper() else place
            agency = match.group("agency") or ""
    parsed.source = parsed.source or _find_source(body, agency)

    if not parsed.title and body:
        lede = body[0]
        match = _DATELINE.match(lede) or _DATELINE_WITH_AGENCY.match(lede)
        if match:
            lede = lede[match.end() :]
        parsed.title = clean_inline(derive_title(lede))
        parsed.title_derived = True
    parsed.paragraphs = body
    return parsed


def build_article(
    parsed: ParsedText, *, article_id: str, path: str, content_hash: str, url: str = "", tags: tuple[str, ...] = ()
) -> Article:
    """The :class:`Article` for what :func:`parse_text` found, whatever the file's format;
    raises :class:`UnreadableArticle` when no paragraph is left."""
    if not parsed.paragraphs:
        raise UnreadableArticle("no article text (only a header or web debris)")
    return Article(
        id=article_id,
        path=path,
        title=parsed.title,
        title_derived=parsed.title_derived,
        paragraphs=tuple(parsed.paragraphs),
        content_hash=content_hash,
        authors=tuple(parsed.authors),
        date=parsed.date,
        source=clean_inline(parsed.source),
        dateline=parsed.dateline,
        url=url,
        tags=tags,
    )
