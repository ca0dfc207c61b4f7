"""Web pages as articles: trafilatura finds the article, we shape and clean it.

A saved page is mostly not the article: navigation, banners, share bars,
related-story lists, comments, scripts. trafilatura is the best-kept
main-text extractor for Python and also reads the page's metadata (title,
authors, date, site name, canonical URL); what it returns still goes through
the same sanitising and debris cleaning as a text file.

Two classes of trafilatura miss are handled here rather than page by page:

* its fast mode is both quicker and better on news pages, but now and then
  finds almost nothing (a page whose article is in an unusual container);
  then the full mode, with its readability and jusText fallbacks, runs on
  the same parsed tree and the longer text wins;
* titles carry the site name (``Headline | Site``, ``Headline - Site``);
  the suffix is cut when another part of the page confirms the headline
  (the page's ``<h1>``, ``og:title`` or the site name itself).

Nothing here runs a script or keeps a link: the output is plain paragraphs.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import io
import logging
import re
from dataclasses import dataclass
from typing import Any

from ..model import Article
from ..text.controls import clean_inline, strip_controls
from ..text.dates import normalise_date
from .decode import MAX_FILE_BYTES, UnreadableArticle, decode_bytes, too_large
from .page_debris import WORD, PageMarks, trim_page_debris
from .page_title import choose_title, fold, standfirst
from .parse import build_article, parse_text, split_names

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".html.gz", ".htm.gz")

#: Below this many words, a full-mode extraction is tried as well.
_SHORT_TEXT_WORDS = 120
#: Pages with less text than this are not articles (a login wall, an error page).
MIN_ARTICLE_WORDS = 40

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_LOGIN_WALL = re.compile(
    r"\b(?:sign|log)\s?in\b|\bsubscribe\b|\bsubscription\b|\bcreate (?:an|your) account\b|\bpaywall\b"
    r"|\benable (?:javascript|cookies)\b|\bare you a robot\b|\bcaptcha\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Page:
    """What a web page says about its article, all plain sanitised text."""

    title: str
    paragraphs: tuple[str, ...]
    authors: tuple[str, ...] = ()
    date: str = ""
    site: str = ""
    url: str = ""  # the page's canonical URL when it names one
    description: str = ""

    @property
    def word_count(self) -> int:
        """Words, counting each CJK character as one (those scripts have no spaces)."""
        return sum(len(WORD.findall(p)) for p in self.paragraphs)


# -- bytes to text -------------------------------------------------------------


def gunzip_capped(data: bytes, limit: int = MAX_FILE_BYTES) -> bytes:
    """Decompress a ``.gz`` page, refusing one that inflates past ``limit``."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as handle:
            out = handle.read(limit + 1)
    except (OSError, EOFError, ValueError) as error:
        raise UnreadableArticle(f"not a valid gzip file ({error})") from None
    if len(out) > limit:
        raise UnreadableArticle(f"too large once decompressed (over {limit // (1024 * 1024)} MB)")
    return out


def _known_encoding(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None


#: What browsers decode a declared legacy charset as (the WHATWG Encoding
#: standard): the Windows superset, whose extra characters (curly quotes,
#: dashes) pages use while declaring ISO-8859-1; read strictly, those bytes
#: are C1 control codes and are stripped, taking every apostrophe with them.
_BROWSER_SUPERSET = {
    "iso8859-1": "cp1252",
    "ascii": "cp1252",
    "iso8859-9": "cp1254",
    "iso8859-11": "cp874",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "euc_kr": "cp949",
    "big5": "big5hkscs",
}


def decode_html(data: bytes, declared: str | None = None) -> str:
    """Text of a page: BOM, then valid UTF-8, then the declared charset, then a guess.

    Valid UTF-8 beats a declared single-byte charset because servers and
    ``<meta>`` tags often still say ISO-8859-1 for pages long since UTF-8,
    while text in a real single-byte charset almost never happens to be
    valid UTF-8. A declared charset that cannot decode the bytes is ignored.
    """
    if not data.strip():
        raise UnreadableArticle("empty file")
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableArticle(too_large(len(data)))
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode_bytes(data)[0]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    meta = _META_CHARSET.search(data[:8192])
    for name in (declared, meta.group(1).decode("ascii", "replace") if meta else None):
        encoding = _known_encoding(name)
        if encoding in (None, "utf-8"):
            continue
        encoding = _BROWSER_SUPERSET.get(encoding, encoding)
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return decode_bytes(data)[0]


# -- the page's tree to paragraphs ------------------------------------------------


# Blocks that can sit inside another block (trafilatura nests lists in items
# and paragraphs in layout-table cells). <code> is not one: it is inline in a
# paragraph and a block only at the top level, where every child is a block.
_NESTED_BLOCKS = frozenset({"list", "table", "p", "quote", "head"})


def _inline_text(element: Any) -> str:
    """The text of one block, nested blocks left out (they are emitted on their own)."""
    parts = [element.text or ""]
    for child in element:
        parts.append(" " if child.tag in _NESTED_BLOCKS or child.tag == "lb" else _inline_text(child))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def page_links(tree: Any) -> tuple[set[str], set[str]]:
    """Folded texts of the page's headings that are mostly a link (other stories'
    headlines), and of its longer links (a story's "related" box names others by them).

    Read from the page rather than asking trafilatura to keep links, which
    costs it a sixth of its speed.
    """
    headings, texts = set(), set()
    for link in tree.iter("a"):
        linked = fold("".join(link.itertext()))
        if len(linked) >= _MIN_LINK_CHARACTERS:
            texts.add(linked)
        heading = next(link.iterancestors("h2", "h3", "h4", "h5"), None)
        if heading is not None and linked:
            text = fold("".join(heading.itertext()))
            if text and len(linked) >= 0.5 * len(text):
                headings.add(text)
    return headings, texts


#: Shorter links ("Home", "More", a tag) say nothing about the text they sit in.
_MIN_LINK_CHARACTERS = 16


#: Classes of the blockquotes that social networks' embed scripts turn into a post.
_EMBED_CLASSES = ("twitter-tweet", "twitter-video", "instagram-media", "tiktok-embed", "bluesky-embed", "reddit-embed")


def page_embeds(tree: Any) -> tuple[str, ...]:
    """Folded texts of the social-media posts embedded in the page.

    trafilatura keeps an embedded post as a quote of the article, but it is
    a card the page shows (its text, the account, a date), which readers of
    the story do not count as the story's words.
    """
    embeds = []
    for quote in tree.iter("blockquote"):
        classes = str(quote.get("class") or "")
        if classes and any(name in classes for name in _EMBED_CLASSES):
            text = fold("".join(quote.itertext()))
            if text:
                embeds.append(text)
    return tuple(embeds)


def _blocks(body: Any, linked: set[str]) -> tuple[list[str], set[int], set[int]]:
    """Paragraphs, headings, quotes, list items and table rows, in page order,
    the positions of the headings that link to other stories and those of the table rows."""
    out: list[str] = []
    teasers: set[int] = set()
    rows: set[int] = set()

    def emit(element: Any) -> None:
        tag = element.tag
        if tag == "table":
            for row in element.iter("row"):
                cells = []
                for cell in row.iter("cell"):
                    if any(child.tag in _NESTED_BLOCKS for child in cell):
                        emit(cell)  # a layout table: its cells hold paragraphs
                    elif text := _inline_text(cell):
                        cells.append(text)
                if cells:
                    rows.add(len(out))
                    out.append(" | ".join(cells))
            return
        if tag != "list":
            text = _inline_text(element)
            if text:
                if tag == "head" and fold(text) in linked:
                    teasers.add(len(out))
                out.append("• " + text if tag == "item" else text)
        for child in element:
            if child.tag in _NESTED_BLOCKS or child.tag == "item":
                emit(child)

    for child in body:
        emit(child)
        tail = " ".join((child.tail or "").split())
        if tail:
            out.append(tail)
    return out, teasers, rows


# -- extraction ----------------------------------------------------------------


def _extract(tree: Any, url: str | None, *, fast: bool) -> Any:
    import trafilatura

    return trafilatura.bare_extraction(
        tree,
        url=url,
        fast=fast,
        with_metadata=False,  # read by _metadata, for half the cost
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
    )


def _metadata(tree: Any, url: str | None) -> Any:
    """trafilatura's metadata steps that name the article: meta tags, JSON-LD, title, URL, date, site.

    Its own ``extract_metadata`` also reads categories, tags and licence
    (a third of its time) and searches for a byline over a pruned copy of
    the page (30 ms a page, most of the rest); :func:`byline_in_markup` finds
    as many bylines on our page set in a quarter of the time.
    """
    from courlan import extract_domain
    from htmldate import find_date
    from trafilatura.metadata import (
        META_URL,
        examine_meta,
        extract_meta_json,
        extract_sitename,
        extract_title,
        extract_url,
    )

    metadata = examine_meta(tree)
    if metadata.author and " " not in metadata.author:
        metadata.author = None  # a user name, not a byline
    try:
        metadata = extract_meta_json(tree, metadata)
    except Exception:  # noqa: BLE001 - trafilatura's JSON-LD reader trips on odd JSON; the meta tags stand
        pass
    metadata.title = metadata.title or extract_title(tree)
    metadata.author = metadata.author or byline_in_markup(tree)
    metadata.url = metadata.url or extract_url(tree, url)
    if metadata.url:
        metadata.hostname = extract_domain(metadata.url, fast=True)
    metadata.date = find_date(tree, original_date=True, extensive_search=False, url=metadata.url)
    metadata.sitename = (metadata.sitename or extract_sitename(tree) or "").lstrip("@")
    if not metadata.sitename and metadata.url and (match := META_URL.match(metadata.url)):
        metadata.sitename = match[1]
    return metadata


_BYLINE_MARKUP = (
    '//*[@rel="author" or @itemprop="author" or @itemprop="creator" or contains(@class, "byline")'
    ' or contains(@class, "author") or contains(@id, "byline")]'
)
_BY = re.compile(r"^(?:by|von|par|por|di|door|av)\s+", re.I)
_NAME_WORD = re.compile(r"^[^\W\d_][\w.'’-]+$")


def byline_in_markup(tree: Any) -> str:
    """The author named by the page's byline markup (``rel=author``, ``class="byline"`` …), or ''.

    Only name-shaped texts count, up to the first that is not one: two to
    five words of letters, none a single letter (not "J J" from initials in
    an avatar, nor a date).
    """
    for element in tree.xpath(_BYLINE_MARKUP)[:12]:
        text = _BY.sub("", " ".join("".join(element.itertext()).split()))[:300]
        names = []
        for candidate in re.split(r"\s*(?:,|;|\band\b|&|\|)\s*", text):
            words = candidate.split()
            if not (2 <= len(words) <= 5 and all(_NAME_WORD.match(word) for word in words)):
                break  # the names come first; a date or a job title ends them
            names.append(candidate)
        if names:
            return ", ".join(names[:10])
    return ""


def _words(document: Any) -> int:
    return len(WORD.findall(document.text)) if document is not None and document.text else 0


_CONTROL_OR_ENTITY = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]"
    r"|&#(?:0*(?:[0-9]|[12][0-9]|3[01]|12[7-9]|1[3-5][0-9])(?![0-9])|[xX]0*(?:[0-9a-fA-F]|1[0-9a-fA-F]|7[fF]|[89][0-9a-fA-F])(?![0-9a-fA-F]))"
)
_CONTROL_ENTITY = re.compile(r"&#(?:[xX]0*([0-9a-fA-F]{1,6})|0*([0-9]{1,7}));?")


def _drop_control_entity(match: re.Match[str]) -> str:
    """A reference to a control character goes, except that ``&#128;``–``&#159;``
    mean the Windows-1252 characters, as browsers read them (``&#146;`` is ’)."""
    code = int(match.group(1), 16) if match.group(1) else int(match.group(2))
    if code in (9, 10, 13) or 32 <= code < 127 or 160 <= code < 0x110000:
        return match.group(0)
    if 128 <= code < 160:
        try:
            return bytes([code]).decode("cp1252")
        except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
            return ""
    return ""


def _quiet_libraries() -> None:
    """trafilatura and htmldate log a warning for every page they find empty;
    with no handler configured Python prints those on stderr. We report
    such pages ourselves, once, with a reason."""
    for name in ("trafilatura", "htmldate", "courlan"):
        logger = logging.getLogger(name)
        if not logger.handlers:
            logger.addHandler(logging.NullHandler())


def extract_page(html: str, url: str = "") -> Page:
    """The article of a page, or :class:`UnreadableArticle` saying why there is none."""
    from trafilatura.utils import load_html

    _quiet_libraries()
    try:
        # Control characters and escape sequences out before parsing, also
        # when written as character references (&#27;): lxml gives up on
        # some, and none may reach the text.
        if _CONTROL_OR_ENTITY.search(html):  # rare: skip two regex passes over 150 KB when clean
            html = _CONTROL_ENTITY.sub(_drop_control_entity, strip_controls(html))
        tree = load_html(html)
    except (ValueError, TypeError) as error:
        raise UnreadableArticle(f"not HTML ({error})") from None
    if tree is None:
        raise UnreadableArticle("not HTML (nothing a parser could read)")
    document = _extract(tree, url or None, fast=True)
    if _words(document) < _SHORT_TEXT_WORDS:
        fuller = _extract(tree, url or None, fast=False)
        if _words(fuller) > _words(document):
            document = fuller
    if document is None or document.body is None:
        raise UnreadableArticle("no article text found in the page")
    metadata = _metadata(tree, url or None)
    site = clean_inline(metadata.sitename or "")
    linked_headings, link_texts = page_links(tree)
    blocks, teasers, rows = _blocks(document.body, linked_headings)
    paragraphs = [" ".join(strip_controls(p).split()) for p in blocks]
    names = {fold(name): name for name in reversed(split_names(metadata.author or ""))}  # first spelling wins
    # A one-word "author" is a user name or a label ("Username", "admin"), not a byline.
    authors = tuple(name for name in reversed(names.values()) if " " in name and len(name) <= 100)[:20]
    title = choose_title(metadata.title or "", tree, site)[:500]
    dek = standfirst(tree, title, " ".join(paragraphs))
    marks = PageMarks(frozenset(teasers), frozenset(link_texts), frozenset(rows), page_embeds(tree))
    if dek:
        paragraphs.insert(0, dek)
        marks = marks.shifted(1)
    return Page(
        title=title,
        paragraphs=tuple(trim_page_debris(paragraphs, title, authors, marks)),
        authors=authors,
        date=normalise_date(metadata.date or ""),
        site=site[:200],
        url=_safe_url(metadata.url or url),
        description=clean_inline(metadata.description or "")[:1000],
    )


def _safe_url(url: str) -> str:
    url = clean_inline(url)
    return url if re.match(r"^https?://[^\s]+$", url, re.I) else ""


def not_an_article(page: Page) -> str | None:
    """Why a page is not an article (a login wall, two sentences), or None."""
    words = page.word_count
    if words >= MIN_ARTICLE_WORDS:
        return None
    text = " ".join(page.paragraphs)
    if _LOGIN_WALL.search(text):
        return f"not an article: a sign-in or subscription wall ({words} words of text)"
    if not words:
        return "not an article: no article text found in the page"
    return f"not an article: only {words} words of text (at least {MIN_ARTICLE_WORDS} expected)"


def parse_html_article(data: bytes, relpath: str) -> Article:
    """An ``.html``/``.htm``/``.html.gz`` file in the articles folder as an article."""
    raw = gunzip_capped(data) if relpath.lower().endswith(".gz") else data
    page = extract_page(decode_html(raw))
    problem = not_an_article(page)
    if problem:
        raise UnreadableArticle(problem)
    return page_article(page, relpath, hashlib.blake2b(data, digest_size=16).hexdigest())


def page_article(page: Page, relpath: str, content_hash: str) -> Article:
    """The article record for an extracted page (headline, byline, dateline found as for text)."""
    from . import article_id_for

    parsed = parse_text(
        "\n\n".join(page.paragraphs),
        title=page.title,
        authors=list(page.authors),
        date=page.date,
        source=page.site,
    )
    return build_article(parsed, article_id=article_id_for(relpath), path=relpath, content_hash=content_hash, url=page.url)
