"""A quote with enough around it to cite: title, source, authors, date, link.

One home for the citation format, used by the app's ``y`` and by the JSON
bookmark export (the Markdown export has its own layout in
``bookmarks.markdown``, fed by :func:`details_from`). Every field comes from an article file, so control and
escape characters are made visible with ``printable`` and Markdown's own
characters in the title are escaped; the result is text for a clipboard or
a notes file, never terminal output or markup.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .text.controls import printable

if TYPE_CHECKING:
    from .library import Library

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


@dataclass(frozen=True, slots=True)
class CitedWork:
    """What a citation says about where a quote is from."""

    title: str = ""
    source: str = ""
    authors: tuple[str, ...] = ()
    date: str = ""
    url: str = ""
    path: str = ""


def _md(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(printable(text).split()))


def _reference(work: CitedWork, *, markdown: bool) -> str:
    clean = _md if markdown else (lambda text: " ".join(printable(text).split()))
    title = clean(work.title)
    parts = [f"*{title}*" if markdown and title else title]
    parts += [clean(", ".join(work.authors)), clean(work.source), clean(work.date)]
    reference = ", ".join(part for part in parts if part)
    link = printable(work.url) if work.url else printable(work.path)
    if link:
        link = f"<{link}>" if markdown and work.url else link
        reference = f"{reference}. {link}" if reference else link
    return reference


def _lines(quote: str) -> list[str]:
    return [" ".join(printable(line).split()) for line in quote.strip().splitlines()]


def plain_quote(quote: str) -> str:
    """The quote alone in typographic quotes, one line per paragraph."""
    return "“" + "\n".join(_lines(quote)) + "”"


def markdown_citation(quote: str, work: CitedWork) -> str:
    """A Markdown block quote followed by the reference line."""
    lines = [f"> {_md(line)}" if line else ">" for line in _lines(quote)]
    return "\n".join(lines) + "\n>\n> — " + _reference(work, markdown=True) + "\n"


def details_from(library: Library) -> Callable[[str], tuple[tuple[str, ...], str, str] | None]:
    """Authors, URL and path of an article for bookmark exports; None once it is gone."""
    from .errors import ArticleNotFound

    def details(article_id: str) -> tuple[tuple[str, ...], str, str] | None:
        try:
            article = library.article(article_id)
        except ArticleNotFound:
            return None
        return article.authors, article.url, article.path

    return details


def add_citations(
    items: Iterable[dict[str, Any]], details: Callable[[str], tuple[tuple[str, ...], str, str] | None]
) -> None:
    """Give each exported bookmark record a ``citation``: title, source, authors, date, URL
    and path, and the reference as one line. Title, source and date are the bookmark's own
    (kept when the article is gone); authors, URL and path come from the article when it is there.
    Import ignores the key, so an export with citations imports as before."""
    for item in items:
        authors, url, path = details(str(item.get("article", ""))) or ((), "", "")
        work = CitedWork(
            title=str(item.get("title") or item.get("article") or ""),
            source=str(item.get("source") or ""),
            authors=tuple(authors),
            date=str(item.get("date") or ""),
            url=url,
            path=path,
        )
        item["citation"] = {
            "title": work.title,
            "source": work.source,
            "authors": list(work.authors),
            "date": work.date,
            "url": work.url,
            "path": work.path,
            "reference": _reference(work, markdown=False),
        }
