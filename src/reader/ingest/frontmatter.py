"""YAML front matter of Markdown articles, read with python-frontmatter.

Front matter is untrusted too: only known keys are taken, each coerced to a
short plain value, and anything malformed leaves the body readable as plain
text rather than losing the article.
"""

from __future__ import annotations

import re

from .parse import normalise_date
from .sanitize import clean_inline

_MAX_FRONT_MATTER = 64 * 1024
_MAX_FIELD = 500
_HEADING = re.compile(r"^\s{0,3}#{1,2}\s+(?P<title>[^\n]+?)\s*#*\s*$", re.M)


def _as_text(value: object) -> str:
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return clean_inline(str(value))[:_MAX_FIELD]
    return ""


def _as_list(value: object) -> list[str]:
    if isinstance(value, str):
        items = re.split(r"\s*(?:,|;|\band\b)\s*", value)
    elif isinstance(value, (list, tuple)):
        items = value[:50]
    else:
        return []
    return [text for text in (_as_text(item) for item in items) if text]


def split_front_matter(text: str) -> tuple[dict, str]:
    """``(metadata, body)``; metadata has only title/date/authors/source/url/tags."""
    meta: dict = {}
    head = text[: _MAX_FRONT_MATTER + 8]
    if not re.match(r"^---[ \t]*\n", head):
        return meta, _take_heading(meta, text)
    end = re.search(r"^(?:---|\.\.\.)[ \t]*$", head[4:], re.M)
    if end is None:
        return meta, _take_heading(meta, text)  # no closing fence within the limit: plain text
    import frontmatter

    try:
        post = frontmatter.loads(text)
        raw = dict(post.metadata) if isinstance(post.metadata, dict) else {}
        body = post.content
    except Exception:  # noqa: BLE001 - any YAML error means "no usable metadata"
        return meta, _take_heading(meta, text[4 + end.end() :])
    title = _as_text(raw.get("title") or raw.get("headline") or "")
    if title:
        meta["title"] = title
    date = normalise_date(raw.get("date") or raw.get("published") or "")
    if date:
        meta["date"] = date
    authors = _as_list(raw.get("authors") or raw.get("author") or raw.get("byline") or [])
    if authors:
        meta["authors"] = authors
    for key in ("source", "url"):
        value = _as_text(raw.get(key) or "")
        if value:
            meta[key] = value
    tags = _as_list(raw.get("tags") or raw.get("keywords") or [])
    if tags:
        meta["tags"] = tags
    return meta, _take_heading(meta, body)


def _take_heading(meta: dict, body: str) -> str:
    """A leading ``# Heading`` is the title when front matter gave none."""
    match = _HEADING.match(body.lstrip("\n"))
    if match:
        if not meta.get("title"):
            meta["title"] = clean_inline(match.group("title"))
        return body.lstrip("\n")[match.end() :]
    return body
