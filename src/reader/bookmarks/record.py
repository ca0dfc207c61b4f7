"""One bookmark as a value, and its JSON: what export writes and import accepts.

No SQL here and nothing from the rest of the package, so the Markdown
renderer, the store and the import code can all depend on it without
depending on each other.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any


def now() -> str:
    """The current moment as the store writes timestamps (UTC, milliseconds, ``Z``)."""
    return format_time(datetime.now(UTC))


def format_time(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_time(value: str) -> datetime:
    """An ISO timestamp; a naive one is taken as UTC.  Raises ValueError."""
    moment = datetime.fromisoformat(value.strip())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def clean_tags(tags: Iterable[str] | str | None) -> tuple[str, ...]:
    """Stripped, ``#``-less, non-empty, de-duplicated ignoring case, first spelling kept."""
    if tags is None:
        return ()
    if isinstance(tags, str):
        tags = tags.split(",")
    seen: set[str] = set()
    out: list[str] = []
    for tag in tags:
        if not isinstance(tag, str):
            raise TypeError(f"tags must be strings, got {tag!r}")
        tag = " ".join(tag.strip().lstrip("#").split())
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            out.append(tag)
    return tuple(out)


def is_int(value: object) -> bool:
    """A real integer (``True`` is not an offset)."""
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True, slots=True)
class Bookmark:
    """One bookmarked passage: ``article.body[start:end] == quote`` when not orphaned."""

    id: str
    article: str
    quote: str
    start: int
    end: int
    note: str = ""
    tags: tuple[str, ...] = ()
    created: str = ""
    updated: str = ""
    orphaned: bool = False
    prefix: str = ""
    suffix: str = ""
    title: str = ""
    date: str = ""
    source: str = ""
    deleted: str = ""  # ISO timestamp of the soft delete, "" when live

    @property
    def short_id(self) -> str:
        return self.id[:8]

    def to_json(self) -> dict[str, Any]:
        """The export record; the first ten keys are the stable contract."""
        return {
            "id": self.id,
            "article": self.article,
            "quote": self.quote,
            "note": self.note,
            "tags": list(self.tags),
            "start": self.start,
            "end": self.end,
            "orphaned": self.orphaned,
            "created": self.created,
            "updated": self.updated,
            "title": self.title,
            "date": self.date,
            "source": self.source,
            "prefix": self.prefix,
            "suffix": self.suffix,
        }

    @classmethod
    def from_json(cls, item: Any, index: int) -> Bookmark:
        """A bookmark from an export record (the ``index``-th, for messages); raises ValueError."""
        return _bookmark_from_json(item, index)


def _bookmark_from_json(item: Any, index: int) -> Bookmark:
    def bad(why: str) -> ValueError:
        return ValueError(f"bookmark #{index + 1} in the import: {why}")

    if not isinstance(item, Mapping):
        raise bad("not an object")
    article, quote = item.get("article"), item.get("quote")
    start, end = item.get("start"), item.get("end")
    if not isinstance(article, str) or not article:
        raise bad("missing article id")
    if not isinstance(quote, str) or not quote:
        raise bad("missing quote")
    if not isinstance(start, int) or not is_int(start) or start < 0:
        raise bad(f"bad start {start!r}")
    if end is None:
        end = start + len(quote)
    if not isinstance(end, int) or not is_int(end) or end - start != len(quote):
        raise bad(f"end {end!r} does not match start {start} and the quote length {len(quote)}")
    id_ = item.get("id") or uuid.uuid4().hex
    if not isinstance(id_, str):
        id_ = str(id_)
    tags = item.get("tags") or ()
    if isinstance(tags, str):
        tags = [tags]
    if not isinstance(tags, (list, tuple)) or not all(isinstance(t, str) for t in tags):
        raise bad("tags must be a list of text")
    created_default = now()

    def stamp(key: str, default: str) -> str:
        value = item.get(key)
        if not value:
            return default
        try:
            return format_time(parse_time(str(value)))
        except ValueError:
            raise bad(f"{key} is not an ISO timestamp: {value!r}") from None

    def text(key: str) -> str:
        value = item.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            raise bad(f"{key} must be text")
        return value

    created = stamp("created", created_default)
    return Bookmark(
        id=id_, article=article, quote=quote, start=start, end=end, note=text("note"),
        tags=clean_tags(tags), created=created, updated=stamp("updated", created),
        orphaned=bool(item.get("orphaned", False)), prefix=text("prefix"), suffix=text("suffix"),
        title=text("title"), date=text("date"), source=text("source"),
    )
