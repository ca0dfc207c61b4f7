"""YAML front matter of Markdown articles, read with PyYAML's safe loader.

Front matter is untrusted too: only known keys are taken, each coerced to a
short plain value, and anything malformed leaves the body readable as plain
text rather than losing the article, and one unusable field loses only itself.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TypedDict

from ..text.controls import clean_inline
from ..text.dates import normalise_date


class FrontMatter(TypedDict, total=False):
    """The fields reader takes from front matter (or a leading ``# Heading``)."""

    title: str
    date: str
    authors: list[str]
    source: str
    url: str
    tags: list[str]


_MAX_FRONT_MATTER = 64 * 1024
_MAX_FIELD = 500
_HEADING = re.compile(r"^\s{0,3}#{1,2}\s+(?P<title>[^\n]+?)\s*#*\s*$", re.M)


def _as_text(value: object) -> str:
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return clean_inline(str(value))[:_MAX_FIELD]
    return ""


def _as_list(value: object) -> list[str]:
    items: list[object] | tuple[object, ...]
    if isinstance(value, str):
        items = re.split(r"\s*(?:,|;|\band\b)\s*", value)
    elif isinstance(value, (list, tuple)):
        items = value[:50]
    else:
        return []
    return [text for text in (_as_text(item) for item in items) if text]


@cache
def _yaml_loader() -> type:
    """SafeLoader that keeps dates as the text written: PyYAML turns
    ``date: 2019-02-30`` into an error for the whole block, losing every field."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    timestamp = "tag:yaml.org,2002:timestamp"

    class _TextDates(base):  # type: ignore[misc, valid-type]  # PyYAML's loaders are untyped
        yaml_implicit_resolvers = {
            first: [(tag, regexp) for tag, regexp in resolvers if tag != timestamp]
            for first, resolvers in base.yaml_implicit_resolvers.items()
        }

    return _TextDates


def _load_yaml(block: str) -> object:
    import yaml

    return yaml.load(block, Loader=_yaml_loader())  # noqa: S506 - a SafeLoader subclass


_TOP_LEVEL_KEY = re.compile(r"^(?P<key>[^\s#:-][^:\n]*):(?:[ \t]|$)")


def _entries_one_by_one(block: str, notes: list[str] | None) -> dict[str, object]:
    """Top-level fields of a block that is not valid YAML as a whole, each
    parsed on its own: one bad field loses only itself."""
    entries: list[list[str]] = []
    for line in block.split("\n"):
        if _TOP_LEVEL_KEY.match(line) or not entries:
            entries.append([line])
        else:
            entries[-1].append(line)
    raw: dict[str, object] = {}
    for lines in entries:
        match = _TOP_LEVEL_KEY.match(lines[0])
        if not match:
            continue
        key = match.group("key").strip()
        try:
            value = _load_yaml("\n".join(lines))
        except Exception:  # noqa: BLE001 - any YAML error: this field is unusable
            if notes is not None and key.lower() in _KNOWN_KEYS:
                notes.append(f"front matter field {clean_inline(key)[:40]!r} is not valid YAML (ignored)")
            continue
        if isinstance(value, dict):
            raw.update(value)
    return raw


_KNOWN_KEYS = frozenset(
    "title headline date published authors author byline source url tags keywords".split()
)


def split_front_matter(text: str, notes: list[str] | None = None) -> tuple[FrontMatter, str]:
    """``(metadata, body)``; metadata has only title/date/authors/source/url/tags.

    A field that cannot be used (not YAML, an impossible date) is left out
    and said in ``notes``; the other fields are kept.
    """
    meta: FrontMatter = {}
    head = text[: _MAX_FRONT_MATTER + 8]
    if not re.match(r"^---[ \t]*\n", head):
        return meta, _take_heading(meta, text)
    end = re.search(r"^(?:---|\.\.\.)[ \t]*$", head[4:], re.M)
    if end is None:
        return meta, _take_heading(meta, text)  # no closing fence within the limit: plain text
    block = head[4 : 4 + end.start()]
    body = text[4 + end.end() :]
    if body.startswith("\n"):
        body = body[1:]
    try:
        loaded = _load_yaml(block)
    except Exception:  # noqa: BLE001 - any YAML error: read the fields one by one
        loaded = _entries_one_by_one(block, notes)
    raw: dict[str, object] = loaded if isinstance(loaded, dict) else {}
    title = _as_text(raw.get("title") or raw.get("headline") or "")
    if title:
        meta["title"] = title
    written_date = raw.get("date") or raw.get("published") or ""
    date = normalise_date(written_date)
    if date:
        meta["date"] = date
    elif written_date and notes is not None:
        shown = _as_text(written_date)[:40]  # never str() of a list: YAML aliases can make it billions long
        if not shown:
            notes.append("front matter date is not a single value (ignored)")
        elif re.match(r"\d{4}-\d{1,2}-\d{1,2}$", shown):
            notes.append(f"front matter date {shown!r} is not a real date (ignored)")
        else:
            notes.append(f"front matter date {shown!r} is not a date reader can read, use YYYY-MM-DD (ignored)")
    authors = _as_list(raw.get("authors") or raw.get("author") or raw.get("byline") or [])
    if authors:
        meta["authors"] = authors
    source = _as_text(raw.get("source") or "")
    if source:
        meta["source"] = source
    url = _as_text(raw.get("url") or "")
    if url:
        meta["url"] = url
    tags = _as_list(raw.get("tags") or raw.get("keywords") or [])
    if tags:
        meta["tags"] = tags
    return meta, _take_heading(meta, body)


def _take_heading(meta: FrontMatter, body: str) -> str:
    """A leading ``# Heading`` is the title when front matter gave none."""
    match = _HEADING.match(body.lstrip("\n"))
    if match:
        if not meta.get("title"):
            meta["title"] = clean_inline(match.group("title"))
        return body.lstrip("\n")[match.end() :]
    return body
