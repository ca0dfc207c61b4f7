"""The user-state database file: finding it, opening it, migrating it, transactions.

The user-state database (``<index_dir>/bookmarks.sqlite``, named for its
first tenant) holds everything of the user's that cannot be rebuilt:
bookmarks, read marks and reading positions, and later feeds, entity
corrections and saved searches.  This module knows nothing about any of
those tables; it only guarantees, for all of them:

* its own SQLite file, which a search-index rebuild never touches (see
  :func:`is_user_state_file` for its ``-wal``/``-shm`` companions and
  migration backups);
* WAL mode with ``synchronous=FULL``: a method that changes something
  returns only after the change is on disk, and every change is a single
  ``BEGIN IMMEDIATE`` transaction (:meth:`UserStateDatabase.write`), so a
  crash loses at most the change in flight and two app instances queue for
  the write lock (``busy_timeout``) instead of failing or overwriting each
  other;
* the schema is versioned (``PRAGMA user_version``, steps in
  :mod:`.schema`); an older file is backed up next to itself and migrated in
  one transaction, a newer one is refused without writing to it;
* a file or folder that cannot be written is read into memory instead
  (:attr:`UserStateDatabase.read_only` says why): reading works, changes are
  refused with :class:`.errors.StoreReadOnlyError`; every SQLite error comes
  out as a one-line :class:`.errors.BookmarkStoreError` (locked, read-only,
  disk full).

Adding a table: append a migration to :data:`.schema.MIGRATIONS` (that is
all this module needs), then put the code that reads and writes the table
in a module of its own, as a subclass of :class:`UserStateDatabase` using
:meth:`~UserStateDatabase.write` and :meth:`~UserStateDatabase.read`.

Standard library only, so importing it is cheap.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self

from . import schema
from .errors import (
    BookmarkStoreError,
    MigrationError,
    NotABookmarkStoreError,
    StoreBusyError,
    StoreReadOnlyError,
    StoreTooNewError,
)

BOOKMARKS_FILENAME = "bookmarks.sqlite"
DEFAULT_TIMEOUT = 15.0  # seconds to wait for another instance's write to finish

Row = tuple[Any, ...]


def store_path(index_dir: str | os.PathLike[str]) -> Path:
    """Where the user-state database of an index folder lives."""
    return Path(index_dir) / BOOKMARKS_FILENAME


def is_user_state_file(path: str | os.PathLike[str]) -> bool:
    """True for files an index rebuild must never delete or move.

    That is the database, its ``-wal`` and ``-shm`` files (the WAL holds
    committed bookmarks until a checkpoint) and migration backups.
    """
    return Path(path).name.startswith(BOOKMARKS_FILENAME)


def _is_busy(error: sqlite3.Error) -> bool:
    return "locked" in str(error) or "busy" in str(error)


def _is_read_only(error: BaseException) -> bool:
    if isinstance(error, OSError):
        return error.errno in (errno.EROFS, errno.EACCES, errno.EPERM)
    text = str(error).lower()
    return "readonly" in text or "read-only" in text or "unable to open database file" in text


def _can_write(path: Path) -> bool:
    return os.access(path, os.W_OK)


class _ReadOnly(Exception):
    """Internal: the file or its folder cannot be written (the message says why)."""


def _run_migrations(conn: sqlite3.Connection, version: int) -> None:
    """Every step from ``version`` to the current one, in the caller's transaction."""
    for step in range(version, schema.SCHEMA_VERSION):
        for statement in schema.MIGRATIONS[step]:
            conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION}")


class UserStateDatabase:
    """One SQLite file of user data; safe to share between processes.

    One instance may be used from several threads (calls are serialised).
    """

    def __init__(self, path: str | os.PathLike[str], *, timeout: float | None = None) -> None:
        self.path = Path(path)
        self.timeout = DEFAULT_TIMEOUT if timeout is None else timeout
        self.backup_path: Path | None = None  # set when opening migrated an older store
        #: Why the store cannot be written ("" when it can): then it is a snapshot
        #: read into memory, every read works and every change is refused.
        self.read_only = ""
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        self._conn = self._open()

    # -- opening and migrating ----------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False)

    def _open(self) -> sqlite3.Connection:
        try:
            return self._open_writable()
        except _ReadOnly as why:
            return self._open_read_only(str(why))

    def _open_writable(self) -> sqlite3.Connection:
        folder = self.path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            if _is_read_only(exc) or not folder.is_dir():
                raise _ReadOnly(f"cannot create {folder}: {exc.strerror or exc}") from exc
            raise BookmarkStoreError(f"cannot create the folder {folder} for bookmarks: {exc.strerror or exc}") from exc
        if not _can_write(folder):  # SQLite needs the folder for its -wal and -shm files
            raise _ReadOnly(f"the folder {folder} is read-only")
        if self.path.exists() and not _can_write(self.path):
            raise _ReadOnly("the file is read-only")
        try:
            conn = self._connect()
        except sqlite3.Error as exc:
            if _is_read_only(exc):
                raise _ReadOnly(str(exc)) from exc
            raise BookmarkStoreError(f"could not open the bookmark store {self.path} ({exc})") from exc
        try:
            version = self._check(conn)  # reads only: a refused file is not written to
            mode = self._switch_to_wal(conn)
            if mode.lower() != "wal":  # e.g. a filesystem without shared memory
                conn.execute("PRAGMA journal_mode = DELETE")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA fullfsync = ON")  # macOS: really reach the disk
            if version < schema.SCHEMA_VERSION:
                self._migrate(conn)
        except sqlite3.OperationalError as exc:
            conn.close()
            if _is_busy(exc):
                raise StoreBusyError(f"{self.path} is busy in another program ({exc}); try again") from exc
            if _is_read_only(exc):
                raise _ReadOnly(str(exc)) from exc
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
                return str(conn.execute("PRAGMA journal_mode = WAL").fetchone()[0])
            except sqlite3.OperationalError as exc:
                if _is_busy(exc) and time.monotonic() < deadline:
                    time.sleep(0.05)
                    continue
                raise

    def _check(self, conn: sqlite3.Connection) -> int:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        if version > schema.SCHEMA_VERSION:
            raise StoreTooNewError(
                f"{self.path} was written by a newer version of reader (bookmark store "
                f"version {version}, this one knows up to {schema.SCHEMA_VERSION}); upgrade reader "
                "to open it. The file was not changed."
            )
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if version > 0:
            foreign = app_id != schema.APPLICATION_ID
        else:
            foreign = app_id not in (0, schema.APPLICATION_ID) or bool(tables)
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
        target = schema.SCHEMA_VERSION
        writer = self._connect()
        try:
            writer.execute("PRAGMA synchronous = FULL")
            writer.execute("BEGIN IMMEDIATE")
            version = self._check(writer)  # another instance may have migrated meanwhile
            if version >= target:
                writer.execute("ROLLBACK")
                return
            if version > 0:
                self.backup_path = self._backup(conn, version)
            try:
                _run_migrations(writer, version)
                writer.execute("COMMIT")
            except sqlite3.Error as exc:
                raise MigrationError(
                    f"could not upgrade {self.path} from version {version} to {target} "
                    f"({exc}); it was left at version {version}"
                    + (f", backup at {self.backup_path}" if self.backup_path else "")
                ) from exc
        except sqlite3.OperationalError as exc:
            if _is_busy(exc):
                raise StoreBusyError(f"{self.path} is being written by another program; try again") from exc
            raise
        finally:
            if writer.in_transaction:
                writer.execute("ROLLBACK")
            writer.close()

    def _open_read_only(self, why: str) -> sqlite3.Connection:
        """A snapshot of the file in memory, migrated there if older: reading works as
        usual, the file is never written (``write()`` refuses, saying ``why``)."""
        self.read_only = why
        snapshot = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        try:
            if self.path.exists():
                self._copy_read_only(snapshot)
            version = int(snapshot.execute("PRAGMA user_version").fetchone()[0])
            if version < schema.SCHEMA_VERSION:
                snapshot.execute("BEGIN")
                _run_migrations(snapshot, version)
                snapshot.execute("COMMIT")
        except BaseException:
            snapshot.close()
            raise
        return snapshot

    def _copy_read_only(self, snapshot: sqlite3.Connection) -> None:
        # mode=ro reads the WAL too but needs a -shm it may have to create;
        # on read-only media only immutable=1 opens (committed WAL content
        # not yet checkpointed is then not seen; nothing is lost either way).
        last: sqlite3.Error | None = None
        for options in ("mode=ro", "mode=ro&immutable=1"):
            try:
                source = sqlite3.connect(f"{self.path.absolute().as_uri()}?{options}", uri=True, timeout=self.timeout)
            except sqlite3.Error as exc:
                last = exc
                continue
            try:
                self._check(source)
                source.backup(snapshot)
                return
            except sqlite3.OperationalError as exc:
                if _is_busy(exc):
                    raise StoreBusyError(f"{self.path} is busy in another program ({exc}); try again") from exc
                last = exc
            except sqlite3.DatabaseError as exc:
                raise NotABookmarkStoreError(
                    f"{self.path} could not be opened as a bookmark store ({exc}); it was left as it is"
                ) from exc
            finally:
                source.close()
        raise BookmarkStoreError(f"cannot read the bookmark store {self.path} ({last})")

    def _backup(self, conn: sqlite3.Connection, version: int) -> Path:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        target = self.path.with_name(f"{self.path.name}.v{version}-{stamp}.bak")
        counter = 1
        while target.exists():
            counter += 1
            target = self.path.with_name(f"{self.path.name}.v{version}-{stamp}-{counter}.bak")
        partial = target.with_name(target.name + ".partial")
        try:
            dest = sqlite3.connect(partial)
            try:
                conn.backup(dest)
            finally:
                dest.close()
            os.replace(partial, target)
        except (OSError, sqlite3.Error) as exc:  # a full disk: no upgrade without a backup
            partial.unlink(missing_ok=True)
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise MigrationError(
                f"could not back up {self.path} before upgrading it ({reason}); it was left at version {version}"
            ) from exc
        return target

    # -- transactions ---------------------------------------------------------

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise BookmarkStoreError("the bookmark store is closed")
        return self._conn

    @contextmanager
    def write(self, *, derived: bool = False) -> Iterator[sqlite3.Connection]:
        """One durable transaction; waits up to ``timeout`` for other writers.

        Raises :class:`StoreReadOnlyError` on a read-only store, unless the
        change is ``derived`` (re-anchored offsets: recomputed from the
        articles anyway), which then changes only the in-memory snapshot.
        SQLite's errors come out as :class:`BookmarkStoreError` with one line.
        """
        if self.read_only and not derived:
            raise StoreReadOnlyError(f"{self.path} is read-only ({self.read_only}); nothing was saved")
        with self._lock:
            conn = self.conn
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise self._explain(exc, writing=True) from exc
            try:
                yield conn
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                self._rollback(conn)
                raise self._explain(exc, writing=True) from exc
            except BaseException:
                self._rollback(conn)
                raise

    @staticmethod
    def _rollback(conn: sqlite3.Connection) -> None:
        if conn.in_transaction:
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:  # SQLite may have rolled back itself (e.g. disk full)
                pass

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """The connection for queries, with SQLite's errors explained in one line."""
        with self._lock:
            try:
                yield self.conn
            except sqlite3.Error as exc:
                raise self._explain(exc, writing=False) from exc

    def _explain(self, error: sqlite3.Error, *, writing: bool) -> BookmarkStoreError:
        outcome = "nothing was saved" if writing else "try again"
        if _is_busy(error):
            return StoreBusyError(f"{self.path} is locked by another program ({error}); {outcome}")
        if _is_read_only(error):
            return StoreReadOnlyError(f"{self.path} is read-only ({error}); {outcome}")
        if "full" in str(error):
            return BookmarkStoreError(f"{self.path}: the disk is full ({error}); {outcome}")
        return BookmarkStoreError(f"the bookmark store {self.path} failed ({error}); {outcome}")

    def read(self, sql: str, params: Iterable[Any] = ()) -> list[Row]:
        """All rows of one query (a consistent snapshot)."""
        with self.reading() as conn:
            return conn.execute(sql, tuple(params)).fetchall()

    def read_one(self, sql: str, params: Iterable[Any] = ()) -> Any:
        """The first column of the first row of one query (``None`` when no row)."""
        rows = self.read(sql, params)
        return rows[0][0] if rows else None

    # -- lifetime -------------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                try:
                    self._conn.execute("PRAGMA optimize")
                except sqlite3.Error:
                    pass
                self._conn.close()
                self._conn = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def version(self) -> int:
        return int(self.read_one("PRAGMA user_version"))

    def integrity_check(self) -> str:
        """``"ok"`` or SQLite's description of the damage."""
        return "\n".join(str(r[0]) for r in self.read("PRAGMA integrity_check"))
