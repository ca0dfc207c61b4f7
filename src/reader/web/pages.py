"""A web page, by link or from a file, written into the articles folder as Markdown.

The file is ``articles/<site>/<YYYY-MM-DD>-<slug>.md`` with YAML front matter
(title, authors, date, source, url, fetched, and the feed when there is one)
and the article's paragraphs as the body, so it reads and re-indexes without
the network. A file is only ever created, never replaced: a name that is taken
gets ``-2``, ``-3`` … and the write is atomic (a hidden temporary file, hard-
linked into place only if the name is still free).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from ..ingest import UnreadableArticle
from ..ingest.decode import MAX_FILE_BYTES
from ..ingest.html import Page, decode_html, extract_page, gunzip_capped, not_an_article
from ..text.controls import clean_inline
from . import http

_SLUG_WORDS = 10
_SLUG_CHARS = 80


@dataclass(frozen=True, slots=True)
class FetchedPage:
    page: Page
    url: str  # canonical: the page's own, else where the request ended up
    fetched: str  # ISO 8601 UTC


def canonical_url(url: str) -> str:
    """One spelling per page: host lower-cased, tracking parameters and fragment gone, query sorted."""
    from courlan import normalize_url

    url = clean_inline(url)
    if not url.lower().startswith(("http://", "https://")):
        return ""
    try:
        url = normalize_url(url)
    except (ValueError, TypeError):
        pass
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


def now_utc() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def page_from_response(response: http.Response) -> FetchedPage:
    """The article in a downloaded page, or :class:`UnreadableArticle` saying why not."""
    media_type = response.content_type
    looks_like_html = response.content.lstrip()[:1] == b"<"
    if media_type and media_type not in http.HTML_TYPES and not (media_type == "text/plain" and looks_like_html):
        raise UnreadableArticle(f"not a web page (the server sent {media_type})")
    if not media_type and not looks_like_html:
        raise UnreadableArticle("not a web page (no content type, and not HTML)")
    page = extract_page(decode_html(response.content, response.charset), url=response.url)
    problem = not_an_article(page)
    if problem:
        raise UnreadableArticle(problem)
    url = canonical_url(page.url) or canonical_url(response.url)
    return FetchedPage(page, url, now_utc())


def fetch_page(url: str, *, client: http.Client | None = None) -> FetchedPage:
    """Download and extract; raises :class:`http.FetchError` or :class:`UnreadableArticle`."""
    return page_from_response(http.get(url, client=client))


def read_page_file(path: str | os.PathLike[str]) -> FetchedPage:
    """A saved page on disk, as if fetched now (its canonical URL from the page itself)."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise UnreadableArticle(f"cannot read ({error.strerror or error})") from None
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableArticle(f"too large (limit {MAX_FILE_BYTES // (1024 * 1024)} MB)")
    if path.name.lower().endswith(".gz"):
        data = gunzip_capped(data)
    page = extract_page(decode_html(data))
    problem = not_an_article(page)
    if problem:
        raise UnreadableArticle(problem)
    return FetchedPage(page, canonical_url(page.url), now_utc())


def slug(text: str, *, limit_words: int = _SLUG_WORDS) -> str:
    """A file-name-safe slug: letters and digits (any script) joined by hyphens."""
    text = unicodedata.normalize("NFKC", text).casefold()
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    if len(ascii_text.strip()) >= len(text.strip()) * 0.6:
        text = ascii_text  # Latin scripts lose their accents; others keep their letters
    words = re.findall(r"\w+", text)
    joined = "-".join(words[:limit_words]).strip("-_")[:_SLUG_CHARS].strip("-_")
    return joined


def folder_name(name: str, url: str = "") -> str:
    """The collection folder: the site's or feed's name, else the host without ``www.``."""
    folder = slug(name, limit_words=6)
    if not folder and url:
        host = urlsplit(url).hostname or ""
        folder = slug(host.removeprefix("www.").replace(".", "-"), limit_words=6)
    return folder or "web"


def _yaml_front_matter(fields: dict[str, object]) -> str:
    import yaml

    kept = {key: value for key, value in fields.items() if value not in ("", [], (), None)}
    return str(yaml.safe_dump(kept, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=False))


def article_markdown(fetched: FetchedPage, *, feed: str = "") -> str:
    page = fetched.page
    front = _yaml_front_matter(
        {
            "title": page.title,
            "authors": list(page.authors),
            "date": page.date,
            "source": page.site,
            "url": fetched.url,
            "fetched": fetched.fetched,
            "feed": feed,
        }
    )
    # The reader takes a leading "# Heading" of a body as its title: keep
    # a first paragraph that happens to start with "#" a paragraph.
    paragraphs = list(page.paragraphs)
    if paragraphs and paragraphs[0].lstrip().startswith("#"):
        paragraphs[0] = "\\" + paragraphs[0].lstrip()
    return f"---\n{front}---\n\n" + "\n\n".join(paragraphs) + "\n"


def write_article(articles_dir: str | os.PathLike[str], fetched: FetchedPage, *, folder: str = "", feed: str = "") -> str:
    """Create the article file; returns its path relative to ``articles_dir``. Never overwrites."""
    root = Path(articles_dir)
    page = fetched.page
    day = page.date if re.fullmatch(r"\d{4}-\d{2}-\d{2}", page.date) else fetched.fetched[:10]
    name = slug(page.title) or slug(urlsplit(fetched.url).path.replace("/", " ")) or "article"
    directory = root / (folder or folder_name(page.site, fetched.url))
    directory.mkdir(parents=True, exist_ok=True)
    data = article_markdown(fetched, feed=feed).encode("utf-8")
    temporary = directory / f".{name}.{os.getpid()}.tmp"
    with open(temporary, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    try:
        for attempt in range(1, 1000):
            target = directory / (f"{day}-{name}.md" if attempt == 1 else f"{day}-{name}-{attempt}.md")
            try:
                os.link(temporary, target)  # fails if the name is taken: nothing is ever replaced
            except FileExistsError:
                continue
            except OSError:  # no hard links here (some network and FAT file systems)
                try:
                    with open(target, "xb") as handle:
                        handle.write(data)
                except FileExistsError:
                    continue
            return target.relative_to(root).as_posix()
        raise OSError(f"no free file name for {day}-{name}.md in {directory}")
    finally:
        temporary.unlink(missing_ok=True)
