"""Where the user-state database lives, and moving it there without losing a change.

By default it sits beside the index (``<index>/bookmarks.sqlite``); the config
key ``user_data = "data"`` puts it in the platform's data folder instead
(``platformdirs``; ``~/.local/share/reader`` on Linux, ``$READER_DATA_DIR``
to override), where it no longer follows whichever ``./index`` the user runs in.

Changing the key moves the file on the next run: SQLite's backup API copies it
(committed changes still in the ``-wal`` file included) to a temporary file
beside the new place, which is checked and then renamed into place; only then
is the old file (with its ``-wal``/``-shm``) renamed to a dated backup beside
itself, never deleted. When both places hold a database and they differ,
nothing is moved or opened: :class:`UserStateConflict` says which two files,
and the user chooses.

Standard library only (``platformdirs`` when asked for the data folder).
"""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from .database import BOOKMARKS_FILENAME

DATA_DIR_ENV = "READER_DATA_DIR"
_COMPANIONS = ("-wal", "-shm", "-journal")


class UserStateConflict(Exception):
    """Both places hold a user-state database and they differ; ``str()`` is one line."""


def data_folder() -> Path:
    """The platform's per-user data folder for reader (``$READER_DATA_DIR`` overrides it)."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path("reader", appauthor=False)


def data_folder_store() -> Path:
    return data_folder() / BOOKMARKS_FILENAME


def _connect_read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def _dump(path: Path) -> list[str]:
    connection = _connect_read_only(path)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


def same_content(first: Path, second: Path) -> bool:
    """Whether two databases hold the same schema and rows (their bytes may differ)."""
    try:
        return _dump(first) == _dump(second)
    except sqlite3.Error:
        return False  # one cannot be read: treat as different, never overwrite


def _backup_name(path: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    return path.with_name(f"{path.name}.moved-{stamp}.bak")


def _set_aside(path: Path) -> Path:
    """Rename the old database and its companions to a dated backup (SQLite still pairs them)."""
    backup = _backup_name(path)
    for suffix in _COMPANIONS:
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            companion.replace(backup.with_name(backup.name + suffix))
    path.replace(backup)
    return backup


def _fsync_folder(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _copy(source: Path, target: Path) -> None:
    """A checked copy through SQLite's backup API, renamed into place only when whole."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    reading = _connect_read_only(source)
    writing = sqlite3.connect(partial)
    try:
        reading.backup(writing)
        writing.execute("PRAGMA journal_mode=DELETE")  # one self-contained file until the store opens it
        if writing.execute("PRAGMA integrity_check").fetchone() != ("ok",):
            raise sqlite3.DatabaseError("the copy failed its integrity check")
        writing.commit()
    finally:
        writing.close()
        reading.close()
    with partial.open("rb+") as handle:
        os.fsync(handle.fileno())
    if not same_content(source, partial):
        partial.unlink(missing_ok=True)
        raise sqlite3.DatabaseError("the copy differs from the original")
    partial.replace(target)
    _fsync_folder(target.parent)


def place_user_state(chosen: Path, other: Path) -> str:
    """Make sure the user-state database is at ``chosen`` when it is only at ``other``.

    Returns one line saying what was moved ("" when nothing was); raises
    :class:`UserStateConflict` when both exist and differ, and ``OSError`` or
    ``sqlite3.Error`` (nothing lost: the old file is untouched) when the copy fails.
    """
    if chosen.resolve() == other.resolve() or not other.exists():
        return ""
    if chosen.exists():
        if not same_content(chosen, other):
            raise UserStateConflict(
                f"your bookmarks, feeds and read marks are in two files that differ: {chosen} (the one the config's "
                f"user_data chooses) and {other}; reader opens neither until you move one of them away"
            )
        backup = _set_aside(other)
        return f"reader: {other} held the same user data as {chosen}; it is kept as {backup}"
    _copy(other, chosen)
    backup = _set_aside(other)
    return f"reader: moved your bookmarks, feeds and read marks to {chosen} (the old file is kept as {backup})"
