"""Feeds: finding one from a page, reading it with feedparser, and an entry's full text.

feedparser reads RSS 0.9x/1.0/2.0, Atom and JSON Feed, and copes with broken
XML as far as it can: what it could read is used and the damage reported as
a warning. An entry becomes an article from its own full content when the
feed carries it, else from the linked page (most feeds carry a summary only),
else from its summary when that is long enough to be one.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass, field
from typing import Any

from ..ingest import UnreadableArticle
from ..ingest.html import MIN_ARTICLE_WORDS, Page, extract_page, not_an_article
from ..ingest.page_debris import WORD
from ..ingest.parse import split_names
from ..text.controls import clean_inline
from ..text.dates import normalise_date
from . import http
from .pages import FetchedPage, canonical_url, now_utc, page_from_response

#: An entry whose own content has this many words needs no page download.
FULL_CONTENT_WORDS = 150
_ALTERNATE = re.compile(r"<link\b[^>]*>", re.I)
_ATTRIBUTE = re.compile(r"""([a-zA-Z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")


class FeedError(Exception):
    """The feed cannot be read; ``str()`` is one line for users."""


@dataclass(frozen=True, slots=True)
class Entry:
    keys: tuple[str, ...]  # "id:…", "link:…", "hash:…": seen if any was seen
    title: str
    link: str
    content_html: str
    summary_html: str
    date: str
    authors: tuple[str, ...]


@dataclass(slots=True)
class ParsedFeed:
    title: str
    link: str
    entries: list[Entry] = field(default_factory=list)
    warning: str = ""  # broken XML that feedparser read past


def _text_words(markup: str) -> int:
    return len(WORD.findall(re.sub(r"<[^>]+>", " ", markup)))


def _entry(raw: Any) -> Entry:
    link = canonical_url(str(raw.get("link") or ""))
    contents = [c.get("value", "") for c in raw.get("content", []) or [] if isinstance(c, dict)]
    content = max(contents, key=len, default="")
    summary = str(raw.get("summary") or "")
    date = ""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = raw.get(key)
        if parsed:
            date = normalise_date(f"{parsed.tm_year:04d}-{parsed.tm_mon:02d}-{parsed.tm_mday:02d}")
            break
    names = [str(a.get("name", "")) for a in raw.get("authors", []) or [] if isinstance(a, dict)]
    if not any(names) and raw.get("author"):
        names = split_names(str(raw.get("author")))
    title = clean_inline(html.unescape(str(raw.get("title") or "")))[:500]
    digest = hashlib.blake2b((title + "\n" + (content or summary)).encode("utf-8", "replace"), digest_size=16).hexdigest()
    keys = []
    if raw.get("id"):
        keys.append("id:" + clean_inline(str(raw.get("id")))[:1000])
    if link:
        keys.append("link:" + link)
    keys.append("hash:" + digest)
    return Entry(tuple(keys), title, link, content, summary, date, tuple(clean_inline(n) for n in names if n.strip())[:20])


def parse_feed(data: bytes, url: str, content_type: str = "") -> ParsedFeed:
    """Entries of a feed document; :class:`FeedError` when it is not a feed at all."""
    import feedparser

    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(data, response_headers=headers, sanitize_html=True, resolve_relative_uris=True)
    if not parsed.get("version") and not parsed.entries:
        if data.lstrip()[:1] == b"<" and b"<html" in data[:2048].lower():
            raise FeedError("not a feed (a web page; `reader feeds add` finds a page's feed)")
        raise FeedError("not a feed (neither RSS, Atom nor JSON Feed)")
    warning = ""
    if parsed.get("bozo") and parsed.get("bozo_exception") is not None:
        problem = clean_inline(str(parsed.bozo_exception))[:160] or type(parsed.bozo_exception).__name__
        warning = f"the feed is damaged ({problem}); read what could be read: {len(parsed.entries)} entries"
    feed = parsed.get("feed", {})
    return ParsedFeed(
        title=clean_inline(html.unescape(str(feed.get("title") or "")))[:200],
        link=canonical_url(str(feed.get("link") or "")),
        entries=[_entry(raw) for raw in parsed.entries],
        warning=warning,
    )


def alternate_feeds(page_html: str, base_url: str) -> list[str]:
    """The feed URLs a page names with ``<link rel="alternate" type="application/rss+xml" …>``."""
    from urllib.parse import urljoin

    found = []
    for tag in _ALTERNATE.findall(page_html[:500_000]):
        attributes = {
            match.group(1).lower(): html.unescape(match.group(2) or match.group(3) or match.group(4) or "")
            for match in _ATTRIBUTE.finditer(tag)
        }
        rel = attributes.get("rel", "").lower().split()
        kind = attributes.get("type", "").lower()
        if "alternate" in rel and kind in http.FEED_TYPES and attributes.get("href"):
            url = urljoin(base_url, attributes["href"])
            if url.lower().startswith(("http://", "https://")) and url not in found:
                found.append(url)
    return found


def discover(url: str, *, client: http.Client | None = None) -> tuple[str, ParsedFeed]:
    """``(feed URL, feed)`` for a feed URL or a page that names its feed."""
    response = http.get(url, client=client)
    try:
        return response.url, parse_feed(response.content, response.url, response.content_type)
    except FeedError:
        if response.content_type not in http.HTML_TYPES and response.content.lstrip()[:1] != b"<":
            raise
    from ..ingest.html import decode_html

    candidates = alternate_feeds(decode_html(response.content, response.charset), response.url)
    if not candidates:
        raise FeedError("not a feed, and the page names no feed (no <link rel=\"alternate\">)")
    feed_response = http.get(candidates[0], client=client)
    return feed_response.url, parse_feed(feed_response.content, feed_response.url, feed_response.content_type)


def _page_from_markup(markup: str, entry: Entry) -> Page:
    document = f"<html><head><title>{html.escape(entry.title)}</title></head><body><article>{markup}</article></body></html>"
    return extract_page(document, url=entry.link)


def entry_article(entry: Entry, feed_title: str, *, client: http.Client | None = None) -> FetchedPage:
    """The entry's article: its own content when full, else the linked page, else its summary.

    Raises :class:`http.FetchError` (the linked page failed for now and the
    summary is too short to stand in: try again next time) or
    :class:`UnreadableArticle` (the entry is not an article).
    """
    fetched: FetchedPage | None = None
    own = entry.content_html if _text_words(entry.content_html) >= FULL_CONTENT_WORDS else ""
    problem = ""
    transient: http.FetchError | None = None
    if not own and entry.link:
        try:
            fetched = page_from_response(http.get(entry.link, client=client))
        except UnreadableArticle as error:
            problem = f"linked page: {error}"
        except http.FetchError as error:
            problem = f"linked page: {error}"
            transient = None if error.permanent else error
    if fetched is None:
        markup = own or max((entry.content_html, entry.summary_html), key=_text_words)
        if not markup or _text_words(markup) < MIN_ARTICLE_WORDS:
            if transient is not None:
                raise transient  # the page may load next time
            if problem:
                raise UnreadableArticle(problem)
            raise UnreadableArticle("only a short summary, and no link to the article" if not entry.link else "not an article")
        page = _page_from_markup(markup, entry)
        reason = not_an_article(page)
        if reason:
            raise UnreadableArticle(problem or reason)
        fetched = FetchedPage(page, entry.link, now_utc())
    page = fetched.page
    page = Page(
        title=entry.title or page.title,
        paragraphs=page.paragraphs,
        authors=page.authors or entry.authors,
        date=page.date or entry.date,
        site=page.site or feed_title,
        url=fetched.url or entry.link,
        description=page.description,
    )
    return FetchedPage(page, fetched.url or entry.link, fetched.fetched)
