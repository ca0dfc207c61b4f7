"""The headline of a web page, without the site's name around it.

Pages state their title three ways (JSON-LD or ``og:title`` metadata, the
``<title>`` element, the ``<h1>``) and most decorate at least one with the
site's name (``Headline | Site``, ``Headline - Site``, ``Site :: Headline``).
The title a heading on the page repeats is the one a reader sees.
"""

from __future__ import annotations

import re
from typing import Any

from ..text.controls import clean_inline

_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—·•:»/]{1,2}\s+|\s*::\s*|\s*_\s*|\s+\|\s*")


def fold(text: str) -> str:
    return re.sub(r"\W+", "", text.casefold())


def _meta_content(tree: Any, *names: str) -> str:
    for name in names:
        for attribute in ("property", "name"):
            found = tree.xpath(f'//meta[@{attribute}="{name}"]/@content')
            if found and str(found[0]).strip():
                return clean_inline(str(found[0]))
    return ""


def _heading_texts(tree: Any, tag: str) -> tuple[set[str], set[str]]:
    """Folded texts of the page's first ``tag`` headings: those that are not links, and
    those mostly a link's text (another story's headline, the logo, or a permalink)."""
    plain: set[str] = set()
    linked: set[str] = set()
    for heading in tree.iter(tag):
        text = fold("".join(heading.itertext()))
        if len(text) > 3:
            link = max((len(fold("".join(a.itertext()))) for a in heading.iter("a")), default=0)
            (linked if 2 * link >= len(text) else plain).add(text)
        if len(plain) + len(linked) >= 10:
            break
    return plain, linked


def _confirmed(title: str, headings: set[str], *, spans: bool = False) -> str:
    """``title``, or its longest part before a separator, that a page heading repeats; else ''.

    With ``spans``, the longest run of parts after the first that a heading
    repeats instead: ``Site - Headline - Section``. A run of one or two words
    is a section or blog name a heading also shows, not the headline.
    """
    if not title:
        return ""
    if fold(title) in headings:
        return title
    parts = [p.strip() for p in _TITLE_SEPARATORS.split(title) if p.strip()]
    if not spans:
        for end in range(len(parts) - 1, 0, -1):
            prefix = _prefix_text(title, parts, end)
            if fold(prefix) in headings:
                return prefix
        return ""
    for size in range(len(parts) - 1, 0, -1):
        for start in range(1, len(parts) - size + 1):
            span = _span_text(title, parts, start, start + size)
            if fold(span) in headings and _headline_sized(span):
                return span
    return ""


def _without_site(title: str, site: str) -> str:
    """``Headline | Site`` -> ``Headline`` when a trailing part is the site's name."""
    parts = [p.strip() for p in _TITLE_SEPARATORS.split(title) if p.strip()]
    folded_site = fold(site)
    if len(parts) < 2 or not folded_site:
        return title
    count = len(parts)
    while count > 1:
        last = fold(parts[count - 1])
        if not (last == folded_site or (len(last) > 2 and last in folded_site)):
            break
        count -= 1
    return _prefix_text(title, parts, count) if count < len(parts) else title


def choose_title(candidate: str, tree: Any, site: str) -> str:
    """The headline, without the site's name around it.

    ``candidate`` is trafilatura's choice (JSON-LD headline, ``og:title``,
    ``<title>`` …). A title a page heading repeats (whole, or the part before
    a separator) is the headline: an ``<h1>`` before an ``<h2>``, and the
    candidate, then ``og:title``, then ``<title>``; but a short ``<h1>`` that
    is a section name ("Allergies Health Center") gives way to a longer title
    repeated in an ``<h2>``. Headings that are links (another story's
    headline, often what trafilatura picked) count only when no other
    heading repeats the title. Only when no heading repeats any of those is a
    run of parts from the middle tried (``Site - Headline - Section``).
    Failing that, trailing parts that are the site name are cut.
    """
    candidate = clean_inline(candidate)
    title_tag = next((clean_inline("".join(t.itertext())) for t in tree.iter("title")), "")
    og_title = _meta_content(tree, "og:title", "twitter:title")
    confirmed: list[str] = []
    plain_h1, linked_h1 = _heading_texts(tree, "h1")
    plain_h2, linked_h2 = _heading_texts(tree, "h2")
    # The whole title or a prefix that a heading repeats, else a run of its parts in the middle;
    # headings that are links count only when no other heading repeats the title.
    stages = ((False, plain_h1, plain_h2), (False, linked_h1, linked_h2))
    for spans, h1, h2 in (*stages, *((True, h1, h2) for _, h1, h2 in stages)):
        for texts in (h1, h2):  # a title the <h1> repeats beats one an <h2> repeats
            titles = (candidate, og_title, title_tag)
            confirmed += [c for c in (_confirmed(t, texts, spans=spans) for t in titles) if len(fold(c)) > 3]
        if confirmed:
            break
    if confirmed:
        first = confirmed[0]
        # A short <h1> that is a section name ("Allergies Health Center") gives
        # way to a longer title that another heading on the page repeats.
        for other in confirmed[1:]:
            if len(first.split()) <= 4 and len(other.split()) >= len(first.split()) + 3 and fold(first) not in fold(other):
                return other
        return first
    title = candidate or og_title or title_tag
    return _without_site(title, site or _meta_content(tree, "og:site_name", "application-name"))


_CJK_CHARACTER = re.compile("[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def _headline_sized(text: str) -> bool:
    """Three words or more (eight characters in CJK scripts): not a section or site name ("Daily Intel")."""
    return len(text.split()) >= 3 or len(_CJK_CHARACTER.findall(text)) >= 8


def _span_text(candidate: str, parts: list[str], start: int, end: int) -> str:
    """The original text of ``parts[start:end]``, separators between them included."""
    position, first = 0, 0
    for index, part in enumerate(parts[:end]):
        position = candidate.index(part, position)
        if index == start:
            first = position
        position += len(part)
    return candidate[first:position].strip()


def _prefix_text(candidate: str, parts: list[str], count: int) -> str:
    """The original text of the first ``count`` parts, separators included."""
    position = 0
    for part in parts[:count]:
        position = candidate.index(part, position) + len(part)
    return candidate[:position].strip()


#: Classes that name a headline's standfirst ("dek") on news sites.
_DEK_CLASS = re.compile(
    r"(?<![\w])(?:dek|deck|standfirst|sub-?head(?:line|ing)?|sub-?title|subline|summary|lede|excerpt|teaser)(?![\w-])", re.I
)
_DEK_TAGS = frozenset({"h2", "h3", "p", "div", "span"})
#: Elements with text looked at after the headline before giving up (a byline, a date …).
_DEK_SEARCH = 6
_DEK_LOOKAHEAD = 150


def standfirst(tree: Any, title: str, body: str) -> str:
    """The summary line under the headline (an ``<h2>`` or a "dek"/"standfirst"), or ''.

    Extractors keep the article's paragraphs but drop the line that news
    pages set between the ``<h1>`` and the byline, though readers count it as
    the article's opening. It is the first heading (or element classed as a
    standfirst or teaser) with text after the ``<h1>`` (or else ``<h2>``)
    that states the title, if it is a sentence-length text that is not a
    link and not already in ``body``.
    """
    folded_title = fold(title)
    if not folded_title:
        return ""
    headline = next((h for h in tree.iter("h1", "h2") if fold("".join(h.itertext())) == folded_title), None)
    if headline is None:
        return ""
    seen = 0
    for element in headline.xpath(f"following::*[position() <= {_DEK_LOOKAHEAD}]"):
        dek_like = element.tag in ("h2", "h3") or (
            element.tag in _DEK_TAGS and bool(_DEK_CLASS.search(str(element.get("class") or "")))
        )
        if not dek_like and not (isinstance(element.text, str) and element.text.strip()):
            continue  # a container, or markup without text of its own
        text = " ".join("".join(element.itertext()).split())
        if not text:
            continue
        seen += 1
        if seen > _DEK_SEARCH:
            break
        if not dek_like:
            continue
        words = len(text.split())
        folded = fold(text)
        if not 5 <= words <= 80 or folded in fold(body) or folded_title in folded or element.xpath("ancestor-or-self::a|.//a"):
            return ""
        return clean_inline(text)
    return ""

