"""What a web page repeats around its article, cut after extraction.

trafilatura finds the article's container; inside it, pages still carry the
headline again, the byline's names on a line of their own, "Posted on" and
"Topics:" lines, and at the end lists of other stories. These are classes
of debris, recognised by shape, never by site.
"""

from __future__ import annotations

import re

from .page_title import fold

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


def trim_page_debris(
    paragraphs: list[str],
    title: str,
    authors: tuple[str, ...],
    teasers: set[int] = frozenset(),  # type: ignore[assignment]
    links: set[str] = frozenset(),  # type: ignore[assignment]
) -> list[str]:
    """Cut what a page repeats around its article.

    The headline repeated as the first paragraph, the byline's names on a
    line of their own, "Posted on …"/"Topics: …" lines, and, once an article
    has been read, everything from a comments heading, from a "Related
    stories"/"You might also like" heading or from a list of linked headlines
    (two or more, ``teasers``) on. A "Related" heading with a few linked
    headlines (``links``: the page's folded link texts) that the article's
    prose follows is a box inside the article: only the box goes.
    """
    folded_title = fold(title)
    folded_names = {fold(name) for name in authors}
    kept: list[str] = []
    words = 0
    resume = 0
    for index, paragraph in enumerate(paragraphs):
        if index < resume:
            continue
        folded = fold(paragraph)
        if index < 6 and folded_title and folded == folded_title:
            continue
        if _is_byline(paragraph, folded_names):
            continue
        if len(paragraph) <= 320 and _PAGE_FURNITURE.match(paragraph.removeprefix("• ")):
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
    return _without_tag_list(kept)


def _is_linked(paragraph: str, links: set[str]) -> bool:
    """Mostly the text of one link: a headline of another story."""
    folded = fold(paragraph)
    if not folded:
        return False
    if folded in links:
        return True
    return any(len(link) >= 0.5 * len(folded) and link in folded for link in links)


def _article_after_box(start: int, paragraphs: list[str], teasers: set[int], links: set[str]) -> int | None:
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


def _teaser_list_from(start: int, paragraphs: list[str], teasers: set[int]) -> bool:
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
