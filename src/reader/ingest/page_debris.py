"""What a web page repeats around its article, cut after extraction.

trafilatura finds the article's container; inside it, pages still carry the
headline again, the byline's names on a line of their own, "Posted on" and
"Topics:" lines, and at the end lists of other stories. These are classes
of debris, recognised by shape, never by site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .page_title import fold


@dataclass(frozen=True, slots=True)
class PageMarks:
    """What the page's markup says about the extracted paragraphs (positions are indices into them)."""

    teasers: frozenset[int] = frozenset()  # headings that link to other stories
    links: frozenset[str] = frozenset()  # folded texts of the page's longer links
    table_rows: frozenset[int] = frozenset()
    embeds: tuple[str, ...] = field(default=())  # folded texts of embedded social-media posts

    def shifted(self, by: int) -> PageMarks:
        """The same marks once ``by`` paragraphs are put before the extracted ones."""
        return PageMarks(
            frozenset(i + by for i in self.teasers), self.links, frozenset(i + by for i in self.table_rows), self.embeds
        )


_CJK = "\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff"
#: A word, or one CJK character (those scripts put no spaces between words).
WORD = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+")

_RELATED_HEADING = re.compile(
    r"^(?:you\s+(?:might|may)\s+(?:also\s+)?like|related(?:\s+(?:stories|articles|content|coverage|posts|reading|links))?"
    r"|more\s+(?:from|on|stories|news|in|about)\b.{0,60}|(?:recommended|suggested)(?:\s+(?:for\s+you|stories|articles|reading))?"
    r"|most\s+(?:popular|read|viewed|shared)|trending(?:\s+(?:now|stories))?|what\s+to\s+read\s+next|read\s+next"
    r"|(?:don't|do\s+not)\s+miss|popular\s+(?:stories|now|articles)|top\s+stories|latest\s+(?:news|stories)"
    r"|further\s+reading|(?:elsewhere|around)\s+on\s+.{1,40}|read\s+(?:more|also)|see\s+also)"
    r"[\s:.!]*$",
    re.I,
)
#: The comments begin: nothing after this is the article.
_COMMENTS_HEADING = re.compile(
    r"^(?:\d+\s+comments?(?:\s+on\s+.*)?|leave\s+a\s+(?:comment|reply)|(?:reader\s+)?comments|join\s+the\s+(?:discussion|conversation))"
    r"[\s:.!]*$",
    re.I,
)
_PAGE_FURNITURE = re.compile(
    # "Posted on April 21, 2015", "Updated: 12:46", not "Published reports say …"
    r"^(?:(?:posted|published|updated|last\s+updated|first\s+published)(?:\s+(?:on|at))?\s*:?\s*"
    r"(?:\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun|yesterday|today).{0,60}"
    r"|(?:topics|tags|filed\s+under|categories|category)\s*:.{0,300}"
    r"|continue\s+reading(?:\s+the\s+(?:main\s+)?(?:story|article))?|gallery\s*:.{0,100}?\d+\s+(?:photos|images|pictures)"
    r"|\W*"  # nothing but punctuation ("__", "* * *")
    r"|(?:•\s*)?from\s+the\s+section\b.{0,60}"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # a bare e-mail address (the reporter's)
    r"|[\d\s./:,-]{6,24}(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?"  # a bare date and time
    r"|(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+[A-Z][a-z]{2,8}\s+\d{4})(?:\s*[·|,-]\s*\d+\s+min(?:ute)?s?\s+read)?"
    r"|\d+\s+min(?:ute)?s?\s+read|[\d,.]+k?\s+(?:comments?|shares?|views?|replies))$",
    re.I,
)
#: Words of article needed before a "Related" heading for it to end the article.
_MIN_WORDS_BEFORE_TAIL = 80
_MAX_BLURB_WORDS = 60
#: A "Related" box inside an article: its heading, then at most this many
#: linked headlines, then the article again.
_MAX_BOX_ITEMS = 5
#: A paragraph of the story: a dozen words or more, ending a sentence.
_PROSE = re.compile(r"^(?!• )\S+(?:\s+\S+){11,}.*[.!?:\"”’)]$", re.S)
_FOOTER = re.compile(
    r"©|\bcopyright\b|\ball rights reserved\b|\bterms of (?:use|service)\b|\bprivacy (?:policy|statement)\b", re.I
)
_MAX_HEADING_WORDS = 12
#: Words of unlinked prose after a "Related" box that show the article goes on.
_MIN_PROSE_AFTER_BOX = 25


def trim_page_debris(paragraphs: list[str], title: str, authors: tuple[str, ...], marks: PageMarks | None = None) -> list[str]:
    """Cut what a page repeats around its article.

    The headline repeated as the first paragraph, the byline's names on a
    line of their own, "Posted on …"/"Topics: …" lines, and, once an article
    has been read, everything from a comments heading, from a "Related
    stories"/"You might also like" heading or from a list of linked headlines
    (two or more, ``teasers``) on. A "Related" heading with a few linked
    headlines (``links``: the page's folded link texts) that the article's
    prose follows is a box inside the article: only the box goes.
    """
    marks = marks or PageMarks()
    teasers, links = marks.teasers, marks.links
    folded_title = fold(title)
    folded_names = {fold(name) for name in authors}
    kept: list[str] = []
    words = 0
    resume = 0
    for index, paragraph in enumerate(paragraphs):
        if index < resume:
            continue
        if index < 6 and folded_title and fold(paragraph) == folded_title:
            continue
        if _is_byline(paragraph, folded_names):
            continue
        if len(paragraph) <= 320 and _PAGE_FURNITURE.match(paragraph.removeprefix("• ")):
            continue
        if _is_furniture(paragraph, index, marks):
            continue
        if words >= _MIN_WORDS_BEFORE_TAIL:
            label = paragraph.lstrip("• ") if len(paragraph) <= 80 else ""
            if label and _COMMENTS_HEADING.match(label):
                break
            if (label and _RELATED_HEADING.match(label)) or (index in teasers and _teaser_list_from(index, paragraphs, teasers)):
                after = _article_after_box(index, paragraphs, teasers, links)
                if after is None:
                    break
                resume = after
                continue
        kept.append(paragraph)
        words += len(WORD.findall(paragraph))
    return _without_footer(_without_tag_list(kept))


def _is_linked(paragraph: str, links: frozenset[str]) -> bool:
    """Mostly the text of one link: a headline of another story."""
    folded = fold(paragraph)
    if not folded:
        return False
    if folded in links:
        return True
    return any(len(link) >= 0.5 * len(folded) and link in folded for link in links)


def _article_after_box(start: int, paragraphs: list[str], teasers: frozenset[int], links: frozenset[str]) -> int | None:
    """Where the article resumes after a "Related" box at ``start``, or None if it ends there.

    The box is its heading and up to a few linked headlines; the article goes
    on when unlinked prose follows it and links are rare in what is left.
    """
    end = start + 1
    while end < len(paragraphs) and end - start <= _MAX_BOX_ITEMS and (end in teasers or _is_linked(paragraphs[end], links)):
        end += 1
    rest = paragraphs[end:]
    # the story's next paragraph, maybe under a heading of its own ("Holiday Lights and Fires")
    heading = len(rest) > 1 and len(rest[0].split()) <= _MAX_HEADING_WORDS and not _is_linked(rest[0], links)
    opening = rest[1] if heading else rest[0] if rest else ""
    if end in teasers or _is_linked(opening, links) or not _PROSE.match(opening):
        return None
    if any(_FOOTER.search(p) for p in rest[:3]):
        return None  # the page's footer, not more of the story
    linked = sum(1 for offset, p in enumerate(rest) if end + offset in teasers or _is_linked(p, links))
    prose = sum(len(WORD.findall(p)) for p in rest if len(WORD.findall(p)) >= 12 and not _is_linked(p, links))
    if linked * 4 > len(rest) or prose < _MIN_PROSE_AFTER_BOX:
        return None
    return end


def _without_tag_list(paragraphs: list[str]) -> list[str]:
    """Drop a closing run of three or more one-to-three-word list items: the page's tags."""
    end = len(paragraphs)
    while end and paragraphs[end - 1].startswith("• ") and len(paragraphs[end - 1].split()) <= 4:
        end -= 1
    return paragraphs[:end] if len(paragraphs) - end >= 3 and end >= 3 else paragraphs


def _is_byline(paragraph: str, folded_names: set[str]) -> bool:
    """The author's name on a line of its own, maybe with "By" and a job title after a comma."""
    if not folded_names or len(paragraph) > 160:
        return False
    head = re.split(r"\s*[,|(]\s*", paragraph.strip(), maxsplit=1)[0]
    head = re.sub(r"^(?:by|von|par|por|di)\s+", "", head, flags=re.I)
    return fold(head) in folded_names


def _teaser_list_from(start: int, paragraphs: list[str], teasers: frozenset[int]) -> bool:
    """From ``start`` to the end, only linked headlines, each with at most a short blurb."""
    headlines = blurbs = 0
    for index in range(start, len(paragraphs)):
        if index in teasers:
            headlines, blurbs = headlines + 1, 0
        elif blurbs or len(WORD.findall(paragraphs[index])) > _MAX_BLURB_WORDS:
            return False
        else:
            blurbs = 1
    return headlines >= 2


# -- furniture told by shape ---------------------------------------------------------

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?"
#: What a timestamp line is made of: dates, times, zones and the words around them.
_DATELINE_PART = re.compile(
    rf"\b(?:{_MONTH}|{_WEEKDAY})\b\.?|\d+(?:[:/.T+-]\d+)*(?:st|nd|rd|th|am|pm|z)?\b|\b[ap]\.?m\b\.?"
    r"|\b(?:[ecmp][sd]?t|gmt|utc|bst|cet|cest|ist|aest|aedt|uk)\b"
    r"|\b(?:page|last|updated?|published|posted|modified|first|as|of|at|on|ago|just|now|today|yesterday"
    r"|seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?)\b|[\s,.|·•:()/-]+",
    re.I,
)
#: A byline that shares the timestamp's line ("12/28/2005 3:33 PM, by Anders Bylund").
_DIGIT = re.compile(r"\d")
_BY_IN_DATELINE = re.compile(r"""(?:^|[,|]\s*)(?i:by)\s+(?:[A-Z"“][\w'’."”-]*\s*){1,5}(?=[,|]|\d|$)""")


def _is_dateline(paragraph: str) -> bool:
    """A line that only says when: "Page last updated at 09:33 GMT, Wednesday, 11 March 2009"."""
    if len(paragraph) > 100 or not _DIGIT.search(paragraph):
        return False
    return not _DATELINE_PART.sub("", _BY_IN_DATELINE.sub("", paragraph)).strip()


#: "— Donald J. Trump (@realDonaldTrump) March 18, 2017": the account line of an embedded post.
_POST_ACCOUNT = re.compile(r"^[—–-]\s*[^()]{1,80}\(@\w{1,30}\)\s*(?:on\s+)?[\w ,.:]{0,40}\d{4}$")
#: "MORE: <another story's headline>", "REQUIRED READING: …", "Read more: …"
_PROMO_LABEL = re.compile(
    r"^[A-Z][A-Z'’&!]+(?:\s+[A-Z][A-Z'’&!]+){0,3}\s*:\s*(?P<rest>.{10,200})$"
)
#: A newsletter's sign-up box, an affiliate-link disclosure.
_NOTICE = re.compile(
    r"\b(?:sign(?:ing|ed)?\s+up|subscrib\w*)\b.{0,150}\b(?:newsletters?|inbox)\b"
    r"|\b(?:newsletters?|inbox)\b.{0,150}\b(?:sign(?:ing|ed)?\s+up|subscrib\w*)\b"
    r"|^thanks?\s+(?:you\s+)?for\s+(?:signing\s+up|subscribing)\b"
    r"|\baffiliate\s+(?:commissions?|fees?|links?|partnerships?)\b|\bearn\s+(?:a\s+)?(?:small\s+)?commission\b",
    re.I,
)
_MAX_NOTICE_WORDS = 70
_MAX_NOTICE_CHARACTERS = 700
_NOTICE_WORDS = ("newsletter", "inbox", "affiliate", "commission")  # a cheap test before _NOTICE
#: A line of navigation or topic links: three or more short parts between bars or bullets.
_NAV_SEPARATOR = re.compile(r"\s+[|•·»]\s+|\s+\|\s*")
_NAV_MARK = re.compile(r"\s[|•·»]")
_MAX_NAV_PART_WORDS = 5


def _is_furniture(paragraph: str, index: int, marks: PageMarks) -> bool:
    """Page furniture told by its shape: a timestamp line, an embedded social-media post
    or its account line, a labelled link to another story ("MORE: …"), a newsletter or
    affiliate notice, a line of navigation links."""
    if _is_dateline(paragraph) or _POST_ACCOUNT.match(paragraph) or (marks.embeds and _within(paragraph, marks.embeds)):
        return True
    if (promo := _PROMO_LABEL.match(paragraph)) and _is_linked(promo["rest"], marks.links):
        return True
    if _is_notice(paragraph):
        return True
    return index not in marks.table_rows and _is_nav_line(paragraph)


def _is_notice(paragraph: str) -> bool:
    if len(paragraph) > _MAX_NOTICE_CHARACTERS or not any(word in paragraph.lower() for word in _NOTICE_WORDS):
        return False
    return len(paragraph.split()) <= _MAX_NOTICE_WORDS and bool(_NOTICE.search(paragraph))


def _within(paragraph: str, texts: tuple[str, ...]) -> bool:
    """The paragraph is (part of) one of the folded ``texts``."""
    folded = fold(paragraph)
    return len(folded) >= 12 and any(folded in text for text in texts)


def _is_nav_line(paragraph: str) -> bool:
    if not _NAV_MARK.search(paragraph):
        return False
    parts = [part for part in _NAV_SEPARATOR.split(paragraph.removeprefix("• ")) if part.strip()]
    return len(parts) >= 3 and all(
        len(part.split()) <= _MAX_NAV_PART_WORDS and not part.rstrip().endswith((".", "?", "!")) for part in parts
    )


#: The page's footer: a copyright line, terms of use, a privacy policy.
_FOOTER_LINE = re.compile(
    r"(?:^|\s)©\s*\d{4}|^©|\bcopyright\s*(?:©\s*|\(c\)\s*)?\d{4}|\ball\s+rights\s+reserved\b"
    r"|\bmay\s+not\s+be\s+(?:published|reproduced|redistributed)\b",
    re.I,
)
_FOOTER_WORDS = ("©", "copyright", "rights reserved", "may not be")  # a cheap test before _FOOTER_LINE
#: How far from the end a footer is looked for, and how long its lines may be.
_FOOTER_REACH = 8
_MAX_FOOTER_LINE_WORDS = 60


def _without_footer(paragraphs: list[str]) -> list[str]:
    """Cut a closing run of short lines that starts with a copyright or terms-of-use line."""
    start = max(1, len(paragraphs) - _FOOTER_REACH)
    for index in range(start, len(paragraphs)):
        lowered = paragraphs[index].lower()
        if not any(word in lowered for word in _FOOTER_WORDS):
            continue
        if _FOOTER_LINE.search(paragraphs[index]) and all(
            len(p.split()) <= _MAX_FOOTER_LINE_WORDS for p in paragraphs[index:]
        ):
            return paragraphs[:index]
    return paragraphs
