"""A dossier on one entity: everything the collection says about it, ready to paste into a report.

Built from the entity page (:meth:`reader.Library.entity_page`: counts,
timeline, who is named with it, its articles newest first) plus, per
article, every sentence naming the entity and the user's bookmarks and
notes there. The CLI (``reader entities dossier``) and the app's entity page
(``x``) write it as Markdown or JSON.

Every string in it comes from article files or the user's notes, so it is
untrusted: control characters, escape sequences and bidi overrides are
removed, and in Markdown each value is escaped so that it stays text (no
heading, link, image, HTML or table cell a title or note could open).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from .text.controls import safe_text

if TYPE_CHECKING:
    from .index.entity_page import EntityPage
    from .library import Library

#: Formats :func:`render` writes.
FORMATS = ("markdown", "json")
#: Co-occurring entities listed.
TOGETHER_LIMIT = 15

#: Characters Markdown reads as markup anywhere in a line (``&`` opens an entity such as ``&#x202e;``).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|!~&])")
#: What opens a list, a thematic break or a setext heading at the start of a line.
_LINE_START = re.compile(r"^([-+=])")
_ORDERED = re.compile(r"^(\d+)([.)])")
_SAFE_URL = re.compile(r"https?://[^\s<>()\[\]`\\]+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class DossierBookmark:
    quote: str
    note: str
    tags: tuple[str, ...]
    created: str


@dataclass(frozen=True, slots=True)
class DossierArticle:
    article_id: str
    title: str
    date: str
    source: str
    url: str
    path: str
    authors: tuple[str, ...]
    mentions: int
    sentences: tuple[str, ...]
    bookmarks: tuple[DossierBookmark, ...] = ()


@dataclass
class Dossier:
    page: EntityPage
    articles: list[DossierArticle] = field(default_factory=list)
    compiled: str = ""

    def to_json(self) -> dict[str, Any]:
        page = self.page.to_json()
        return {
            "format": "reader-entity-dossier",
            "version": 1,
            "compiled": self.compiled,
            "entity": {key: page[key] for key in ("name", "kind", "aliases", "mentions", "article_count")},
            "timeline": page["timeline"],
            "together": page["together"][:TOGETHER_LIMIT],
            "articles": [
                {
                    "id": a.article_id,
                    "title": _plain(a.title),
                    "date": a.date,
                    "source": _plain(a.source),
                    "url": _plain(a.url),
                    "path": _plain(a.path),
                    "authors": [_plain(x) for x in a.authors],
                    "mentions": a.mentions,
                    "sentences": [_plain(s) for s in a.sentences],
                    "bookmarks": [
                        {"quote": _lines(b.quote), "note": _lines(b.note), "tags": list(b.tags), "created": b.created}
                        for b in a.bookmarks
                    ],
                }
                for a in self.articles
            ],
        }

    def to_markdown(self) -> str:
        page = self.page
        out = [f"# {_md(page.name)}", ""]
        facts = [page.kind, _count(len(page.articles), "article"), _count(page.mentions, "mention")]
        out.append(" · ".join(facts))
        if page.aliases:
            out += ["", "Also written: " + ", ".join(_md(a) for a in page.aliases)]
        out += ["", f"Compiled {self.compiled} by reader from the local collection.", ""]
        out += [f"## Mentions per {page.timeline_unit}", "", f"| {page.timeline_unit} | mentions |", "| --- | ---: |"]
        out += [f"| {period} | {count} |" for period, count in page.timeline]
        if page.undated_articles:
            out.append(f"| undated | {page.undated} (in {_count(page.undated_articles, 'article')}) |")
        together = [c for c in page.together if c.score > 0][:TOGETHER_LIMIT]
        if together:
            out += ["", "## Named with it", "", "Ranked by the log-likelihood ratio (G²) of sharing a sentence.", ""]
            out += ["| entity | kind | score | articles together |", "| --- | --- | ---: | ---: |"]
            out += [f"| {_md(c.name)} | {c.kind} | {c.score:.1f} | {c.shared} of {c.articles} |" for c in together]
        out += ["", "## Articles, newest first"]
        for number, article in enumerate(self.articles, 1):
            out += ["", f"### {number}. {_md(article.title or article.article_id)}", ""]
            meta = [_md(", ".join(article.authors)), _md(article.source), article.date or "undated"]
            out.append(" · ".join(part for part in meta if part))
            where = _link(article.url) or (f"file: {_md(article.path)}" if article.path else "")
            found = (where, f"id: {_md(article.article_id)}", _count(article.mentions, "mention"))
            out.append(" · ".join(part for part in found if part))
            for sentence in article.sentences:  # one quote each: consecutive "> " lines would run together
                out += ["", f"> {_md(sentence)}"]
            for bookmark in article.bookmarks:
                out += ["", "Bookmarked:", ""]
                out += [f"> {_md(line)}" if line else ">" for line in _lines(bookmark.quote).split("\n")]
                if bookmark.note.strip():
                    out += ["", "Note: " + "  \n".join(_md(line) for line in _lines(bookmark.note).split("\n"))]
                if bookmark.tags:
                    out += ["", "Tags: " + " ".join(_md("#" + tag) for tag in bookmark.tags)]
        return "\n".join(out).rstrip() + "\n"


def build(library: Library, name: str, kind: str | None = None) -> Dossier:
    """The dossier of the entity ``name``; raises CurationError (one line, closest names
    suggested) for a name no entity has."""
    from .bookmarks import store_path
    from .errors import ArticleNotFound

    page = library.entity_page(name, kind)
    marks: dict[str, list[Any]] = {}
    if store_path(library.index_dir).exists():
        for bookmark in library.bookmarks.list():
            marks.setdefault(bookmark.article, []).append(bookmark)
    articles = []
    for row in page.articles:
        try:
            article = library.article(row.article_id)
        except ArticleNotFound:  # gone since the page was read
            continue
        bookmarks = sorted(marks.get(row.article_id, ()), key=lambda b: (b.start, b.end))
        articles.append(
            DossierArticle(
                row.article_id,
                row.title,
                row.date,
                row.source,
                row.url,
                article.path,
                article.authors,
                row.mentions,
                row.sentences or ((row.sentence,) if row.sentence else ()),
                tuple(DossierBookmark(b.quote, b.note, tuple(b.tags), b.created) for b in bookmarks),
            )
        )
    compiled = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return Dossier(page, articles, compiled)


def render(dossier: Dossier, form: str = "markdown") -> str:
    if form == "json":
        from .cli_output import as_json

        return as_json(dossier.to_json(), indent=2) + "\n"
    if form == "markdown":
        return dossier.to_markdown()
    raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {form!r}")


def file_name(name: str, form: str = "markdown") -> str:
    """``dossier-robert-lighthizer-20261130.md``: a name any file system takes."""
    slug = re.sub(r"[^a-z0-9]+", "-", _plain(name).casefold()).strip("-")[:60] or "entity"
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return f"dossier-{slug}-{stamp}.{'json' if form == 'json' else 'md'}"


# -- untrusted text ---------------------------------------------------------------------------


def _plain(text: str) -> str:
    """One line, without control characters, escape sequences or bidi overrides."""
    return " ".join(safe_text(text or "").split())


def _lines(text: str) -> str:
    """Several lines (a quote, a note), each cleaned like :func:`_plain`, blank ones kept."""
    return "\n".join(" ".join(line.split()) for line in safe_text(text or "").strip().split("\n"))


def _md(text: str) -> str:
    """Plain text that Markdown shows as written: every character it could read as markup escaped."""
    escaped = _LINE_START.sub(r"\\\1", _MARKDOWN_SPECIAL.sub(r"\\\1", _plain(text)))
    return _ORDERED.sub(r"\1\\\2", escaped)


def _link(url: str) -> str:
    """An http(s) address as an autolink; anything else (a ``javascript:`` link) as escaped text."""
    url = _plain(url)
    if not url:
        return ""
    return f"<{url}>" if _SAFE_URL.fullmatch(url) else _md(url)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
