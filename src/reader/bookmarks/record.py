"""One bookmark as a value, and its JSON: what export writes and import accepts.

No SQL here and nothing from the rest of the package, so the Markdown
renderer, the store and the import code can all depend on it without
depending on each other.
"""

from __future__ import annotations

import re
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


_TAG_SEPARATORS = re.compile(r"[\s\-]+")


def tag_key(tag: str) -> str:
    """The one rule tags are compared by, everywhere: case, spaces and hyphens do not
    matter ("Tech transfer", "tech-transfer" and "#tech  transfer" are one tag)."""
    return _TAG_SEPARATORS.sub("-", tag.casefold().lstrip("#")).strip("-")


def tag_label(tag: str) -> str:
    """How a tag is shown (``#tech-transfer``): what ``--tag`` takes finds it."""
    return "#" + _TAG_SEPARATORS.sub("-", tag.strip().lstrip("#")).strip("-")


def clean_tags(tags: Iterable[str] | str | None) -> tuple[str, ...]:
    """Stripped, ``#``-less, non-empty, de-duplicated by :func:`tag_key`, first spelling kept;
    one line each, without controls or escape sequences."""
    from ..text.controls import clean_inline, valid_unicode

    if tags is None:
        return ()
    if isinstance(tags, str):
        tags = tags.split(",")
    seen: set[str] = set()
    out: list[str] = []
    for tag in tags:
        if not isinstance(tag, str):
            raise TypeError(f"tags must be strings, got {tag!r}")
        tag = clean_inline(valid_unicode(tag)).lstrip("#").strip()
        if tag and tag_key(tag) and tag_key(tag) not in seen:
            seen.add(tag_key(tag))
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
        """A bookmark from an export record (the ``index``-th, for messages).

        Strict, because the file may come from anywhere: raises ValueError
        naming the item and the field for anything but the types the export
        writes.  Text is made safe as article text is at ingest (escape
        sequences, controls but newline and tab, bidi overrides removed;
        titles, sources and tags on one line).
        """
        return _ImportedItem(item, index).bookmark()


#: Offsets beyond any article (and SQLite's integers): refused, not stored.
MAX_OFFSET = 2**40


def brief(value: object) -> str:
    """A short, safe description of an unexpected value for a message: never the
    repr of a deep or huge structure (that can itself fail or flood the terminal)."""
    if value is None or isinstance(value, bool):
        return "null" if value is None else str(value).lower()
    if isinstance(value, float) or (isinstance(value, int) and value.bit_length() < 64):
        return str(value)
    if isinstance(value, int):
        return f"a {value.bit_length()}-bit number"
    if isinstance(value, str):
        from ..text.controls import printable

        return f'text "{printable(value[:40])}' + ('…"' if len(value) > 40 else '"')
    if isinstance(value, list):
        return "a list"
    return "an object" if isinstance(value, Mapping) else type(value).__name__


class _ImportedItem:
    """Checks one export record field by field; each failure names the item and field."""

    def __init__(self, item: Any, index: int) -> None:
        self.item = item
        self.where = f"bookmark #{index + 1} in the import"

    def bad(self, field: str, why: str) -> ValueError:
        return ValueError(f"{self.where}, field {field!r}: {why}")

    def raw(self, field: str) -> Any:
        return self.item.get(field)

    def text(self, field: str, *, required: bool = False, inline: bool = False) -> str:
        from ..text.controls import clean_inline, strip_controls, valid_unicode

        value = self.raw(field)
        if value is None and not required:
            return ""
        if not isinstance(value, str):
            raise self.bad(field, f"must be text, not {brief(value)}")
        value = valid_unicode(value)
        value = clean_inline(value) if inline else strip_controls(value)
        if required and not value.strip():
            raise self.bad(field, "is missing or empty")
        return value

    def offset(self, field: str, value: Any) -> int:
        if not is_int(value):
            raise self.bad(field, f"must be a whole number, not {brief(value)}")
        number = int(value)
        if not 0 <= number <= MAX_OFFSET:
            raise self.bad(field, f"{brief(number)} is out of range")
        return number

    def stamp(self, field: str, default: str) -> str:
        value = self.raw(field)
        if value is None or value == "":
            return default
        if not isinstance(value, str):
            raise self.bad(field, f"must be an ISO timestamp, not {brief(value)}")
        try:
            return format_time(parse_time(value))
        except (ValueError, OverflowError):  # year 9999 at UTC-14 does not fit a datetime
            raise self.bad(field, f"{brief(value)} is not an ISO timestamp") from None

    def flag(self, field: str) -> bool:
        value = self.raw(field)
        if value is None:
            return False
        if not isinstance(value, bool):  # "false" is a non-empty string, hence true to bool()
            raise self.bad(field, f"must be true or false, not {brief(value)}")
        return value

    def tags(self) -> tuple[str, ...]:
        value = self.raw("tags")
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise self.bad("tags", f"must be a list of text, not {brief(value)}")
        for tag in value:
            if not isinstance(tag, str):
                raise self.bad("tags", f"must be a list of text, but holds {brief(tag)}")
        return clean_tags(value)

    def bookmark(self) -> Bookmark:
        if not isinstance(self.item, Mapping):
            raise ValueError(f"{self.where}: must be an object, not {brief(self.item)}")
        raw_quote = self.raw("quote")
        article = self.text("article", required=True)
        quote = self.text("quote", required=True)
        start = self.offset("start", self.raw("start"))
        end_value = self.raw("end")
        if end_value is not None:
            end = self.offset("end", end_value)
            if end - start != len(raw_quote):
                raise self.bad("end", f"{end} does not match start {start} and the quote's length {len(raw_quote)}")
        identity = self.raw("id")
        if identity is None or identity == "":
            identity = uuid.uuid4().hex
        elif not isinstance(identity, str) or not identity.isprintable():
            raise self.bad("id", f"must be printable text, not {brief(identity)}")
        created = self.stamp("created", now())
        return Bookmark(
            id=identity, article=article, quote=quote,
            start=start, end=start + len(quote),  # the quote may have lost controls; re-anchoring settles offsets
            note=self.text("note"), tags=self.tags(), created=created,
            updated=self.stamp("updated", created), orphaned=self.flag("orphaned"),
            prefix=self.text("prefix"), suffix=self.text("suffix"),
            title=self.text("title", inline=True), date=self.text("date", inline=True),
            source=self.text("source", inline=True),
        )
