"""Bookmarks as Markdown, ready to paste into a notes app."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .record import Bookmark, tag_label

#: article id -> (authors, url, path) from the library, when the article is still there.
ArticleDetails = Callable[[str], tuple[tuple[str, ...], str, str] | None]


def _blockquote(text: str) -> str:
    lines = text.strip("\n").splitlines() or [""]
    return "\n".join(f"> {line}".rstrip() for line in lines)


def to_markdown(bookmarks: Iterable[Bookmark], details: ArticleDetails | None = None) -> str:
    """One ``##`` section per article (in first-bookmarked order), passages in reading order.

    Each passage is a blockquote followed by its note and tags; the heading
    carries the article title (or id), its source and date, so orphaned
    bookmarks of deleted articles still say where they came from.
    """
    groups: dict[str, list[Bookmark]] = {}
    for bookmark in bookmarks:
        groups.setdefault(bookmark.article, []).append(bookmark)
    sections = []
    for article, items in groups.items():
        items.sort(key=lambda b: (b.start, b.end, b.created))
        title = next((b.title for b in items if b.title), "") or article
        source = next((b.source for b in items if b.source), "")
        date = next((b.date for b in items if b.date), "")
        lines = [f"## {' '.join(title.split())}", ""]
        authors, url, path = (details(article) if details else None) or ((), "", "")
        meta = " · ".join(part for part in (", ".join(authors), source, date) if part)
        lines.append(f"{meta} · article `{article}`" if meta else f"article `{article}`")
        if url or path:
            lines.append(f"<{url}>" if url else f"`{path}`")
        for bookmark in items:
            lines += ["", _blockquote(bookmark.quote)]
            if bookmark.orphaned:
                lines += ["", "*(passage no longer found in the article)*"]
            if bookmark.note.strip():
                lines += ["", bookmark.note.strip()]
            if bookmark.tags:
                lines += ["", "Tags: " + " ".join(tag_label(t) for t in bookmark.tags)]
        sections.append("\n".join(lines))
    return "\n\n".join(sections) + "\n" if sections else ""
