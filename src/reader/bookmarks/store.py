"""The user-state database: bookmarks, read marks and reading positions.

Bookmarks are the one thing in the index folder that cannot be rebuilt, so:

* they live in their own SQLite file, ``<index_dir>/bookmarks.sqlite``
  (plus its ``-wal``/``-shm`` companions and migration backups, see
  :func:`is_user_state_file`), which a search-index rebuild never touches;
* WAL mode with ``synchronous=FULL``: a method that changes something
  returns only after the change is on disk, and every change is a single
  ``BEGIN IMMEDIATE`` transaction, so a crash loses at most the change in
  flight and two app instances queue for the write lock (``busy_timeout``)
  instead of failing or overwriting each other;
* nothing deletes a bookmark except :meth:`BookmarkStore.purge_deleted`
  (soft-deleted ones, on request); vanished passages and articles only mark
  bookmarks *orphaned*;
* the schema is versioned (``PRAGMA user_version``); an older store is
  backed up next to itself and migrated in one transaction, a newer one is
  refused without writing to it.

Standard library only, so importing it is cheap.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .anchor import CONTEXT_CHARS, context, find_quote, locate, normalise
from .schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION

if TYPE_CHECKING:
    from ..model import Article

BOOKMARKS_FILENAME = "bookmarks.sqlite"
DEFAULT_TIMEOUT = 15.0  # seconds to wait for another instance's write to finish


# -- errors -------------------------------------------------------------------


class BookmarkStoreError(Exception):
    """The store cannot be opened or written; the message is one line for users."""


class StoreTooNewError(BookmarkStoreError):
    """The file was written by a newer reader; refused without writing to it."""


class NotABookmarkStoreError(BookmarkStoreError):
    """The file is not a reader bookmark store (or is unreadable); left untouched."""


class MigrationError(BookmarkStoreError):
    """Upgrading an older store failed; it was left at its old version."""


class StoreBusyError(BookmarkStoreError):
    """Another process held the write lock for longer than the timeout; nothing was saved."""


class BookmarkNotFound(KeyError):
    def __str__(self) -> str:  # KeyError would show the repr of the message
        return str(self.args[0]) if self.args else "bookmark not found"


class QuoteNotFound(ValueError):
    """The quoted text does not occur in the article."""


# -- helpers ------------------------------------------------------------------


def store_path(index_dir: str | os.PathLike) -> Path:
    """Where the user-state database of an index folder lives."""
    return Path(index_dir) / BOOKMARKS_FILENAME


def is_user_state_file(path: str | os.PathLike) -> bool:
    """True for files an index rebuild must never delete or move.

    That is the database, its ``-wal`` and ``-shm`` files (the WAL holds
    committed bookmarks until a checkpoint) and migration backups.
    """
    return Path(path).name.startswith(BOOKMARKS_FILENAME)


def _now() -> str:
    return _format(datetime.now(UTC))


def _format(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _parse(value: str) -> datetime:
    moment = datetime.fromisoformat(value.strip())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _clean_tags(tags: Iterable[str] | str | None) -> tuple[str, ...]:
    """Stripped, ``#``-less, non-empty, de-duplicated ignoring case, first spelling kept."""
    if tags is None:
        return ()
    if isinstance(tags, str):
        tags = tags.split(",")
    seen, out = set(), []
    for tag in tags:
        if not isinstance(tag, str):
            raise TypeError(f"tags must be strings, got {tag!r}")
        tag = " ".join(tag.strip().lstrip("#").split())
        if tag and tag.casefold() not in seen:
            seen.add(tag.casefold())
            out.append(tag)
    return tuple(out)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# -- the record ---------------------------------------------------------------


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


_COLUMNS = (
    'id, article, quote, start, "end", note, tags, created, updated, orphaned, '
    "prefix, suffix, title, date, source, deleted"
)


def _from_row(row: tuple) -> Bookmark:
    (id_, article, quote, start, end, note, tags, created, updated, orphaned,
     prefix, suffix, title, date, source, deleted) = row
    return Bookmark(
        id=id_, article=article, quote=quote, start=start, end=end, note=note,
        tags=tuple(json.loads(tags)), created=created, updated=updated,
        orphaned=bool(orphaned), prefix=prefix, suffix=suffix, title=title,
        date=date, source=source, deleted=deleted or "",
    )


# -- the store ----------------------------------------------------------------


class BookmarkStore:
    """Bookmarks and reading state in one SQLite file; safe to share between processes.

    One instance may be used from several threads (calls are serialised).
    Methods that change something return after the change is durable.
    """

    def __init__(self, path: str | os.PathLike, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.path = Path(path)
        self.timeout = timeout
        self.backup_path: Path | None = None  # set when opening migrated an older store
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        self._conn = self._open()

    # -- opening and migrating ----------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(
            self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False
        )

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = self._connect()
        try:
            version = self._check(conn)  # reads only: a refused file is not written to
            mode = self._switch_to_wal(conn)
            if str(mode).lower() != "wal":  # e.g. a filesystem without shared memory
                conn.execute("PRAGMA journal_mode = DELETE")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA fullfsync = ON")  # macOS: really reach the disk
            if version < SCHEMA_VERSION:
                self._migrate(conn)
        except sqlite3.OperationalError as exc:
            conn.close()
            if "locked" in str(exc) or "busy" in str(exc):
                raise StoreBusyError(f"{self.path} is busy in another program ({exc}); try again") from exc
            raise BookmarkStoreError(f"could not open the bookmark store {self.path} ({exc})") from exc
        except sqlite3.DatabaseError as exc:  # "file is not a database" and other damage
            conn.close()
            raise NotABookmarkStoreError(
                f"{self.path} could not be opened as a bookmark store ({exc}); it was left as it is"
            ) from exc
        except BaseException:
            conn.close()
            raise
        return conn

    def _switch_to_wal(self, conn: sqlite3.Connection) -> str:
        """``journal_mode = WAL``, retried: SQLite does not call the busy handler
        for it, so a second process opening while another migrates got "locked"."""
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                return conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            except sqlite3.OperationalError as exc:
                if ("locked" in str(exc) or "busy" in str(exc)) and time.monotonic() < deadline:
                    time.sleep(0.05)
                    continue
                raise

    def _check(self, conn: sqlite3.Connection) -> int:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreTooNewError(
                f"{self.path} was written by a newer version of reader (bookmark store "
                f"version {version}, this one knows up to {SCHEMA_VERSION}); upgrade reader "
                "to open it. The file was not changed."
            )
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        foreign = app_id != APPLICATION_ID if version > 0 else (app_id not in (0, APPLICATION_ID) or tables)
        if foreign:
            raise NotABookmarkStoreError(
                f"{self.path} is an SQLite file but not a reader bookmark store; it was left as it is"
            )
        return version

    def _migrate(self, conn: sqlite3.Connection) -> None:
        """Upgrade in one transaction, on a second connection holding the write lock.

        The backup is read through ``conn`` while that lock is held, so it is
        exactly the state being migrated.  (A connection cannot back itself
        up from inside its own write transaction.)
        """
        writer = self._connect()
        try:
            writer.execute("PRAGMA synchronous = FULL")
            writer.execute("BEGIN IMMEDIATE")
            version = self._check(writer)  # another instance may have migrated meanwhile
            if version >= SCHEMA_VERSION:
                writer.execute("ROLLBACK")
                return
            if version > 0:
                self.backup_path = self._backup(conn, version)
            try:
                for step in range(version, SCHEMA_VERSION):
                    for statement in MIGRATIONS[step]:
                        writer.execute(statement)
                writer.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                writer.execute("COMMIT")
            except sqlite3.Error as exc:
                raise MigrationError(
                    f"could not upgrade {self.path} from version {version} to {SCHEMA_VERSION} "
                    f"({exc}); it was left at version {version}"
                    + (f", backup at {self.backup_path}" if self.backup_path else "")
                ) from exc
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise StoreBusyError(
                    f"{self.path} is being written by another program; try again"
                ) from exc
            raise
        finally:
            if writer.in_transaction:
                writer.execute("ROLLBACK")
            writer.close()

    def _backup(self, conn: sqlite3.Connection, version: int) -> Path:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        target = self.path.with_name(f"{self.path.name}.v{version}-{stamp}.bak")
        counter = 1
        while target.exists():
            counter += 1
            target = self.path.with_name(f"{self.path.name}.v{version}-{stamp}-{counter}.bak")
        partial = target.with_name(target.name + ".partial")
        dest = sqlite3.connect(partial)
        try:
            conn.backup(dest)
        finally:
            dest.close()
        os.replace(partial, target)
        return target

    # -- plumbing -------------------------------------------------------------

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise BookmarkStoreError("the bookmark store is closed")
        return self._conn

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One durable transaction; waits up to ``timeout`` for other writers."""
        with self._lock:
            conn = self.conn
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise StoreBusyError(
                    f"{self.path} is locked by another program ({exc}); nothing was saved"
                ) from exc
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    def _read(self, sql: str, params: Iterable[Any] = ()) -> list[tuple]:
        with self._lock:
            return self.conn.execute(sql, tuple(params)).fetchall()

    def _resolve(self, conn: sqlite3.Connection, bookmark_id: str) -> Bookmark:
        """Exact id, or a unique prefix of at least four characters (like git)."""
        if not isinstance(bookmark_id, str) or not bookmark_id:
            raise BookmarkNotFound(f"no bookmark {bookmark_id!r}")
        row = conn.execute(f"SELECT {_COLUMNS} FROM bookmarks WHERE id = ?", (bookmark_id,)).fetchone()
        if row:
            return _from_row(row)
        if len(bookmark_id) >= 4:
            rows = conn.execute(
                f"SELECT {_COLUMNS} FROM bookmarks WHERE substr(id, 1, ?) = ? LIMIT 2",
                (len(bookmark_id), bookmark_id),
            ).fetchall()
            if len(rows) == 1:
                return _from_row(rows[0])
            if len(rows) > 1:
                raise BookmarkNotFound(f"bookmark id {bookmark_id!r} is ambiguous; give more of it")
        raise BookmarkNotFound(f"no bookmark {bookmark_id!r}")

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                try:
                    self._conn.execute("PRAGMA optimize")
                except sqlite3.Error:
                    pass
                self._conn.close()
                self._conn = None

    def __enter__(self) -> BookmarkStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def version(self) -> int:
        return self._read("PRAGMA user_version")[0][0]

    def integrity_check(self) -> str:
        """``"ok"`` or SQLite's description of the damage."""
        return "\n".join(str(r[0]) for r in self._read("PRAGMA integrity_check"))

    # -- bookmarks: writing ---------------------------------------------------

    def add(
        self,
        article_id: str,
        quote: str,
        start: int,
        end: int,
        *,
        body: str | None = None,
        prefix: str | None = None,
        suffix: str | None = None,
        note: str = "",
        tags: Iterable[str] | str = (),
        title: str = "",
        date: str = "",
        source: str = "",
    ) -> Bookmark:
        """Bookmark ``quote`` = ``body[start:end]`` of an article.

        With ``body`` the quote is checked against it and prefix/suffix are
        taken from it; otherwise pass ``prefix``/``suffix`` yourself.  Adding
        a passage that already has a live bookmark returns that bookmark,
        with the new tags and note merged in, instead of a duplicate.
        """
        if not isinstance(article_id, str) or not article_id:
            raise ValueError("article id must be a non-empty string")
        if not isinstance(quote, str) or not quote.strip():
            raise ValueError("quote must be non-empty text")
        if not (_is_int(start) and _is_int(end)) or not 0 <= start < end:
            raise ValueError(f"bad offsets {start!r}..{end!r}")
        if end - start != len(quote):
            raise ValueError(f"offsets {start}..{end} span {end - start} characters, quote has {len(quote)}")
        if body is not None:
            if body[start:end] != quote:
                raise ValueError(f"the article text at {start}..{end} is not the quote")
            got_prefix, got_suffix = context(body, start, end, CONTEXT_CHARS)
            prefix = got_prefix if prefix is None else prefix
            suffix = got_suffix if suffix is None else suffix
        tags = _clean_tags(tags)
        note = note or ""
        now = _now()
        with self._write() as conn:
            row = conn.execute(
                f"SELECT {_COLUMNS} FROM bookmarks WHERE article = ? AND start = ? AND \"end\" = ? "
                "AND quote = ? AND deleted IS NULL ORDER BY seq LIMIT 1",
                (article_id, start, end, quote),
            ).fetchone()
            if row:
                existing = _from_row(row)
                merged_tags = _clean_tags(existing.tags + tags)
                merged_note = existing.note
                if note and note not in existing.note:
                    merged_note = f"{existing.note}\n\n{note}" if existing.note else note
                if (merged_tags, merged_note) == (existing.tags, existing.note):
                    return existing
                conn.execute(
                    "UPDATE bookmarks SET tags = ?, note = ?, updated = ? WHERE id = ?",
                    (json.dumps(list(merged_tags)), merged_note, now, existing.id),
                )
                return self._resolve(conn, existing.id)
            bookmark = Bookmark(
                id=uuid.uuid4().hex, article=article_id, quote=quote, start=start, end=end,
                note=note, tags=tags, created=now, updated=now, orphaned=False,
                prefix=prefix or "", suffix=suffix or "", title=title or "",
                date=date or "", source=source or "",
            )
            self._insert(conn, bookmark)
            return bookmark

    def add_for_article(
        self,
        article: Article,
        quote: str,
        *,
        start: int | None = None,
        end: int | None = None,
        note: str = "",
        tags: Iterable[str] | str = (),
    ) -> Bookmark:
        """Bookmark a passage of a :class:`reader.model.Article`.

        Without offsets the quote is looked up with :func:`find_quote`
        (whitespace, quote marks and case tolerated) and the article's own
        text is stored; raises :class:`QuoteNotFound` when it is not there.
        """
        body = article.body
        if start is None or end is None:
            found = find_quote(body, quote)
            if found is None:
                raise QuoteNotFound(f"the quote does not occur in article {article.id}")
            start, end = found
        return self.add(
            article.id, body[start:end], start, end, body=body, note=note, tags=tags,
            title=article.title, date=article.date, source=article.source,
        )

    @staticmethod
    def _insert(conn: sqlite3.Connection, b: Bookmark) -> None:
        conn.execute(
            f"INSERT INTO bookmarks ({_COLUMNS}) VALUES ({', '.join('?' * 16)})",
            (
                b.id, b.article, b.quote, b.start, b.end, b.note, json.dumps(list(b.tags)),
                b.created, b.updated, int(b.orphaned), b.prefix, b.suffix, b.title, b.date,
                b.source, b.deleted or None,
            ),
        )

    def update(
        self,
        bookmark_id: str,
        note: str | None = None,
        tags: Iterable[str] | str | None = None,
    ) -> Bookmark:
        """Replace the note and/or the tags (``None`` leaves a field alone)."""
        with self._write() as conn:
            bookmark = self._resolve(conn, bookmark_id)
            if bookmark.deleted:
                raise BookmarkNotFound(f"bookmark {bookmark.short_id} is deleted; undo the delete first")
            new_note = bookmark.note if note is None else note
            new_tags = bookmark.tags if tags is None else _clean_tags(tags)
            if (new_note, new_tags) == (bookmark.note, bookmark.tags):
                return bookmark
            conn.execute(
                "UPDATE bookmarks SET note = ?, tags = ?, updated = ? WHERE id = ?",
                (new_note, json.dumps(list(new_tags)), _now(), bookmark.id),
            )
            return self._resolve(conn, bookmark.id)

    def delete(self, bookmark_id: str) -> Bookmark:
        """Soft delete (hidden from lists, kept for :meth:`undo_delete`)."""
        with self._write() as conn:
            bookmark = self._resolve(conn, bookmark_id)
            if not bookmark.deleted:
                now = _now()
                conn.execute("UPDATE bookmarks SET deleted = ?, updated = ? WHERE id = ?", (now, now, bookmark.id))
                bookmark = self._resolve(conn, bookmark.id)
            return bookmark

    def undo_delete(self, bookmark_id: str) -> Bookmark:
        with self._write() as conn:
            bookmark = self._resolve(conn, bookmark_id)
            if bookmark.deleted:
                conn.execute(
                    "UPDATE bookmarks SET deleted = NULL, updated = ? WHERE id = ?", (_now(), bookmark.id)
                )
                bookmark = self._resolve(conn, bookmark.id)
            return bookmark

    def purge_deleted(self, older_than: timedelta | float = timedelta(days=30)) -> int:
        """Really remove bookmarks soft-deleted longer ago than ``older_than`` (seconds or timedelta).

        The only operation that removes bookmarks; returns how many went.
        """
        if not isinstance(older_than, timedelta):
            older_than = timedelta(seconds=float(older_than))
        cutoff = datetime.now(UTC) - older_than
        with self._write() as conn:
            rows = conn.execute("SELECT id, deleted FROM bookmarks WHERE deleted IS NOT NULL").fetchall()
            doomed = [(id_,) for id_, deleted in rows if _parse(deleted) <= cutoff]
            conn.executemany("DELETE FROM bookmarks WHERE id = ?", doomed)
        return len(doomed)

    # -- bookmarks: reading ---------------------------------------------------

    def get(self, bookmark_id: str) -> Bookmark:
        """A bookmark by id (or unique id prefix), deleted ones included; raises :class:`BookmarkNotFound`."""
        with self._lock:
            return self._resolve(self.conn, bookmark_id)

    def list(
        self,
        tag: str | None = None,
        article: str | None = None,
        text: str | None = None,
        include_deleted: bool = False,
        orphaned: bool | None = None,
    ) -> list[Bookmark]:
        """Bookmarks, newest first; with ``article`` in reading order.

        ``tag`` matches ignoring case and a leading ``#``; ``text`` as in
        :meth:`search`; ``orphaned`` True/False keeps only (non-)orphans.
        """
        sql, params = f"SELECT {_COLUMNS} FROM bookmarks WHERE 1", []
        if article is not None:
            sql += " AND article = ?"
            params.append(article)
        if not include_deleted:
            sql += " AND deleted IS NULL"
        if orphaned is not None:
            sql += " AND orphaned = ?"
            params.append(int(orphaned))
        sql += ' ORDER BY start, "end", seq' if article is not None else " ORDER BY created DESC, seq DESC"
        found = [_from_row(r) for r in self._read(sql, params)]
        if tag is not None:
            wanted = _clean_tags([tag])
            wanted_key = wanted[0].casefold() if wanted else ""
            found = [b for b in found if any(t.casefold() == wanted_key for t in b.tags)]
        if text:
            found = _matching(found, text)
        return found

    def search(self, text: str) -> list[Bookmark]:
        """Live bookmarks whose quote, note, tags or article title contain every word of ``text``."""
        return self.list(text=text)

    def __len__(self) -> int:
        return self._read("SELECT count(*) FROM bookmarks WHERE deleted IS NULL")[0][0]

    def articles(self) -> set[str]:
        """Ids of articles with at least one live bookmark."""
        return {r[0] for r in self._read("SELECT DISTINCT article FROM bookmarks WHERE deleted IS NULL")}

    # -- anchoring ------------------------------------------------------------

    def reanchor(
        self,
        article_id: str,
        body: str,
        *,
        title: str | None = None,
        date: str | None = None,
        source: str | None = None,
    ) -> list[Bookmark]:
        """Re-find every bookmark of an article in its current ``body``.

        Moved passages get new offsets (and, after a fuzzy match, the new
        text as quote); passages not found are marked orphaned but kept with
        their last anchor, and un-orphaned when found again later.  Given
        ``title``/``date``/``source`` refresh the snapshot.  Writes only when
        something changed.  Returns the article's live bookmarks in reading order.
        """
        rows = self._read(f"SELECT {_COLUMNS} FROM bookmarks WHERE article = ?", (article_id,))
        changes = []
        for bookmark in map(_from_row, rows):
            anchor = locate(body, bookmark.quote, bookmark.start, bookmark.end, bookmark.prefix, bookmark.suffix)
            if anchor is None:
                new = (bookmark.quote, bookmark.start, bookmark.end, bookmark.prefix, bookmark.suffix, True)
            else:
                prefix, suffix = context(body, anchor.start, anchor.end)
                new = (body[anchor.start : anchor.end], anchor.start, anchor.end, prefix, suffix, False)
            snapshot = (
                bookmark.title if title is None else title,
                bookmark.date if date is None else date,
                bookmark.source if source is None else source,
            )
            old = (bookmark.quote, bookmark.start, bookmark.end, bookmark.prefix, bookmark.suffix, bookmark.orphaned)
            if new != old or snapshot != (bookmark.title, bookmark.date, bookmark.source):
                changes.append((bookmark, new, snapshot))
        if changes:
            with self._write() as conn:
                for bookmark, (quote, start, end, prefix, suffix, orphaned), snapshot in changes:
                    # Only if the anchor is still the one we computed from (another
                    # instance may have re-anchored meanwhile); notes and tags untouched.
                    conn.execute(
                        'UPDATE bookmarks SET quote = ?, start = ?, "end" = ?, prefix = ?, suffix = ?, '
                        "orphaned = ?, title = ?, date = ?, source = ? "
                        'WHERE id = ? AND quote = ? AND start = ? AND "end" = ?',
                        (quote, start, end, prefix, suffix, int(orphaned), *snapshot,
                         bookmark.id, bookmark.quote, bookmark.start, bookmark.end),
                    )
        return self.list(article=article_id)

    def reanchor_article(self, article: Article) -> list[Bookmark]:
        """:meth:`reanchor` with the body and snapshot of a :class:`reader.model.Article`."""
        return self.reanchor(article.id, article.body, title=article.title, date=article.date, source=article.source)

    def orphan_missing(self, existing_article_ids: Iterable[str]) -> int:
        """Mark bookmarks of articles not in ``existing_article_ids`` orphaned (never deletes).

        Returns how many were newly orphaned.  Bookmarks come back when
        :meth:`reanchor` finds their passage again.
        """
        existing = set(existing_article_ids)
        with self._write() as conn:
            rows = conn.execute("SELECT id, article FROM bookmarks WHERE orphaned = 0").fetchall()
            gone = [(id_,) for id_, article in rows if article not in existing]
            conn.executemany("UPDATE bookmarks SET orphaned = 1 WHERE id = ?", gone)
        return len(gone)

    # -- export and import ----------------------------------------------------

    def export_json(self, bookmarks: Iterable[Bookmark] | None = None) -> list[dict[str, Any]]:
        """Live bookmarks (or the given ones) as JSON-ready dicts, oldest first."""
        if bookmarks is None:
            bookmarks = reversed(self.list())
        return [b.to_json() for b in bookmarks]

    def export_markdown(self, bookmarks: Iterable[Bookmark] | None = None) -> str:
        """Live bookmarks (or the given ones) as Markdown to paste into notes, grouped by article."""
        from .export import to_markdown

        if bookmarks is None:
            bookmarks = reversed(self.list())
        return to_markdown(bookmarks)

    def import_json(self, items: Iterable[Mapping[str, Any]] | Mapping[str, Any]) -> tuple[int, int]:
        """Merge exported bookmarks in; returns ``(added, skipped)``.

        An item is skipped when a bookmark with the same id, or the same
        article, quote and start, already exists (deleted ones included) or
        came earlier in ``items``.  Ids, timestamps, notes and tags are kept.
        All items are checked first: one malformed item raises
        :class:`ValueError` and nothing is imported.
        """
        if isinstance(items, Mapping):  # {"bookmarks": [...]} envelopes too
            items = items.get("bookmarks", [])
        incoming = [_bookmark_from_json(item, index) for index, item in enumerate(items)]
        added = skipped = 0
        with self._write() as conn:
            ids = {r[0] for r in conn.execute("SELECT id FROM bookmarks")}
            keys = set(conn.execute("SELECT article, quote, start FROM bookmarks").fetchall())
            for bookmark in incoming:
                key = (bookmark.article, bookmark.quote, bookmark.start)
                if bookmark.id in ids or key in keys:
                    skipped += 1
                    continue
                self._insert(conn, bookmark)
                ids.add(bookmark.id)
                keys.add(key)
                added += 1
        return added, skipped

    # -- reading state --------------------------------------------------------

    def mark_read(self, article_id: str, read: bool = True) -> None:
        with self._write() as conn:
            conn.execute(
                "INSERT INTO article_state (article, read, read_at) VALUES (?, ?, ?) "
                "ON CONFLICT (article) DO UPDATE SET read = excluded.read, read_at = excluded.read_at",
                (article_id, int(bool(read)), _now()),
            )

    def read_ids(self) -> set[str]:
        return {r[0] for r in self._read("SELECT article FROM article_state WHERE read = 1")}

    def is_read(self, article_id: str) -> bool:
        rows = self._read("SELECT read FROM article_state WHERE article = ?", (article_id,))
        return bool(rows and rows[0][0])

    def set_position(self, article_id: str, offset: int) -> None:
        """Remember where the reader was (a character offset); no write when unchanged.

        Each call is a durable transaction: save on leaving an article or
        after scrolling settles, not on every scroll event.
        """
        if not _is_int(offset) or offset < 0:
            raise ValueError(f"bad position {offset!r}")
        if self.position(article_id) == offset:
            return
        with self._write() as conn:
            conn.execute(
                "INSERT INTO article_state (article, position, position_at) VALUES (?, ?, ?) "
                "ON CONFLICT (article) DO UPDATE SET position = excluded.position, "
                "position_at = excluded.position_at",
                (article_id, offset, _now()),
            )

    def position(self, article_id: str) -> int:
        """The remembered offset, 0 when none."""
        rows = self._read("SELECT position FROM article_state WHERE article = ?", (article_id,))
        return rows[0][0] if rows else 0


def _matching(bookmarks: list[Bookmark], text: str) -> list[Bookmark]:
    words = normalise(text, fold=True)[0].split()
    if not words:
        return bookmarks
    found = []
    for b in bookmarks:
        haystack = normalise(" ".join((b.quote, b.note, " ".join(b.tags), b.title)), fold=True)[0]
        if all(word in haystack for word in words):
            found.append(b)
    return found


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
    if not _is_int(start) or start < 0:
        raise bad(f"bad start {start!r}")
    if end is None:
        end = start + len(quote)
    if not _is_int(end) or end - start != len(quote):
        raise bad(f"end {end!r} does not match start {start} and the quote length {len(quote)}")
    id_ = item.get("id") or uuid.uuid4().hex
    if not isinstance(id_, str):
        id_ = str(id_)
    tags = item.get("tags") or ()
    if isinstance(tags, str):
        tags = [tags]
    if not isinstance(tags, (list, tuple)) or not all(isinstance(t, str) for t in tags):
        raise bad("tags must be a list of text")
    now = _now()

    def stamp(key: str, default: str) -> str:
        value = item.get(key)
        if not value:
            return default
        try:
            return _format(_parse(str(value)))
        except ValueError:
            raise bad(f"{key} is not an ISO timestamp: {value!r}") from None

    def text(key: str) -> str:
        value = item.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            raise bad(f"{key} must be text")
        return value

    created = stamp("created", now)
    return Bookmark(
        id=id_, article=article, quote=quote, start=start, end=end, note=text("note"),
        tags=_clean_tags(tags), created=created, updated=stamp("updated", created),
        orphaned=bool(item.get("orphaned", False)), prefix=text("prefix"), suffix=text("suffix"),
        title=text("title"), date=text("date"), source=text("source"),
    )
