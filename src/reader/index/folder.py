"""The index folder on disk: which files are ours, the sync lock, cleaning up.

Layout::

    index/reader-index.json  the marker: this folder is a reader index (format version)
    index/search/            Whoosh segments (rebuildable)
    index/catalog.sqlite     article catalog and entity counts (rebuildable)
    index/sync.lock          one sync at a time
    index/bookmarks.sqlite   the user's bookmarks (never touched here)

A user may point ``--index`` anywhere, so nothing is written in a folder
before it is known to be ours (:meth:`IndexFolder.claim`), and nothing is
deleted but files whose names reader writes: a reset or a clean-up never
removes a whole folder tree.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from ..errors import ForeignIndexFolder, IndexBusy, IndexWriteError
from .catalog import CATALOG_FILES
from .sync_memo import SYNC_MEMO

SEARCH_DIR = "search"
CATALOG_FILE = "catalog.sqlite"
SYNC_LOCK = "sync.lock"
MARKER = "reader-index.json"
#: The layout's version in the marker; a folder marked with a newer one is left alone.
FORMAT_VERSION = 1
INDEX_NAME = "articles"
FINGERPRINT = "fingerprint.json"  # size, mtime and hash of each segment file, written after our commits
_TOC = re.compile(rf"^_{INDEX_NAME}_([0-9]+)\.toc$")
_TOC_TEMP = re.compile(rf"^_{INDEX_NAME}_([0-9]+)\.toc\..+$")  # left by a commit killed before its rename
_SEGMENT_FILE = re.compile(rf"^{INDEX_NAME}_[0-9a-z]+\.[A-Za-z0-9_.]+$")  # as Whoosh's clean_files knows them
_WHOOSH_LOCK = f"{INDEX_NAME}_WRITELOCK"
_WHOOSH_TEMP = f"{INDEX_NAME}.tmp"  # a folder of a writer's temporary files (left by a killed one)
#: A writer's temporary files: a compound file being assembled, or postings spilled to disk (a pool "run").
_WHOOSH_TEMP_FILE = re.compile(r"^[0-9a-z]+\.(?:ctmp|run)$")
_OLD_SEARCH = "search.old-"  # a search index being thrown away (see discard_search)
_USER_STATE_PREFIX = "bookmarks.sqlite"  # the user-state database and its companions (see reader.bookmarks)


def write_error(error: OSError, where: object) -> IndexWriteError:
    """An OSError while writing the index, as one line that says where and why."""
    reason = error.strerror or str(error)
    return IndexWriteError(f"cannot write the index in {where}: {reason}")


def is_search_file(name: str) -> bool:
    """A name Whoosh or our fingerprint writes inside ``search/``."""
    return bool(
        _TOC.match(name)
        or _TOC_TEMP.match(name)
        or _SEGMENT_FILE.match(name)
        or name == _WHOOSH_LOCK
        or name == _WHOOSH_TEMP
        or name == FINGERPRINT
        or name.startswith(FINGERPRINT + ".tmp-")
    )


#: Files a folder may hold and still be taken for an empty one (never written or removed by reader).
_TOLERATED = ("README", "README.md", "README.txt")


def _is_index_entry(name: str) -> bool:
    """A name reader writes at the top of an index folder (hidden files such as .gitkeep and a README are let be)."""
    return (
        name in (MARKER, SYNC_LOCK, SEARCH_DIR, SYNC_MEMO, *_TOLERATED)
        or name in CATALOG_FILES
        or name.startswith((_OLD_SEARCH, _USER_STATE_PREFIX, SYNC_MEMO + ".tmp-", "."))
    )


def _listing(path: Path) -> list[str]:
    try:
        return sorted(os.listdir(path))
    except OSError:  # missing or unreadable: nothing there we could touch
        return []


def _is_our_catalog(path: Path) -> bool:
    """Whether an SQLite file has the catalog's tables (opened read-only, never written)."""
    try:
        db = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)
        try:
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            db.close()
    except sqlite3.Error:
        return False
    return {"articles", "skipped", "meta"} <= tables


def _foreign_search_files(folder: Path) -> list[str]:
    """Names in a ``search/`` folder that neither Whoosh nor reader writes."""
    foreign = []
    for name in _listing(folder):
        if not is_search_file(name):
            foreign.append(name)
        elif name == _WHOOSH_TEMP:
            foreign += [f"{name}/{inner}" for inner in _listing(folder / name) if not _WHOOSH_TEMP_FILE.match(inner)]
    return foreign


def _remove_search_files(folder: Path) -> None:
    """Delete what Whoosh and the fingerprint wrote in ``folder``, then the folder if that emptied it."""
    for name in _listing(folder):
        path = folder / name
        try:
            if name == _WHOOSH_TEMP and path.is_dir():
                for inner in _listing(path):
                    if _WHOOSH_TEMP_FILE.match(inner):
                        os.unlink(path / inner)
                path.rmdir()
            elif is_search_file(name):
                os.unlink(path)
        except OSError:
            pass  # gone already, or something of someone else's is in it: it stays
    try:
        folder.rmdir()
    except OSError:
        pass  # something of someone else's is in it: it stays, and so does the folder


_process_locks: dict[str, threading.Lock] = {}
_process_locks_guard = threading.Lock()


def _process_lock(path: Path) -> threading.Lock:
    """One lock per lock file within this process (POSIX record locks do not exclude our own threads)."""
    with _process_locks_guard:
        return _process_locks.setdefault(os.path.realpath(path), threading.Lock())


class IndexFolder:
    """The files of one index folder, by name; opens nothing but the lock."""

    def __init__(self, path: Path, articles_dir: Path | None = None) -> None:
        self.path = path
        self.articles_dir = articles_dir
        self._claimed = False

    @property
    def search_dir(self) -> Path:
        return self.path / SEARCH_DIR

    @property
    def catalog_path(self) -> Path:
        return self.path / CATALOG_FILE

    # -- is it ours? ---------------------------------------------------------------

    def claim(self) -> None:
        """Make sure the folder is a reader index before anything is written in it.

        A missing or empty folder is created and marked. A folder marked by
        us is used as it is; an unmarked one written by an earlier version
        of reader (only our file names, a catalog with our tables) is
        adopted and marked. Anything else raises :class:`ForeignIndexFolder`
        and nothing is touched: the articles folder itself, a folder inside
        it, a path that is a file, a folder with files of someone else's.
        """
        if self._claimed:
            return
        self._refuse_articles_folder()
        if self.path.exists() and not self.path.is_dir():
            raise ForeignIndexFolder(f"the index path {self.path} is a file, not a folder; choose a folder for --index")
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            raise ForeignIndexFolder(
                f"cannot make the index folder {self.path}: part of that path is a file; choose a folder for --index"
            ) from None
        except OSError as error:
            raise write_error(error, self.path) from None
        marker = self._read_marker()
        if marker is not None:
            if marker > FORMAT_VERSION:
                raise ForeignIndexFolder(
                    f"{self.path} is an index of a newer version of reader (format {marker}, this version"
                    f" reads {FORMAT_VERSION}); use that version or another --index folder"
                )
        else:
            foreign = self._foreign_entries()
            if foreign:
                shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
                raise ForeignIndexFolder(
                    f"{self.path} is not a reader index and is not empty ({shown});"
                    " nothing was touched: choose an empty or new folder for --index"
                )
            self._write_marker()
        self._claimed = True

    def _refuse_articles_folder(self) -> None:
        if self.articles_dir is None:
            return
        index = os.path.realpath(self.path)
        articles = os.path.realpath(self.articles_dir)
        if index == articles:
            raise ForeignIndexFolder(
                f"the index folder {self.path} is the articles folder; choose another folder for --index"
            )
        if index.startswith(articles.rstrip(os.sep) + os.sep):
            raise ForeignIndexFolder(
                f"the index folder {self.path} is inside the articles folder {self.articles_dir};"
                " choose a folder outside it for --index"
            )
        ours = [os.path.join(index, SEARCH_DIR)]
        ours += [os.path.join(index, name) for name in _listing(self.path) if name.startswith(_OLD_SEARCH)]
        if any(articles == folder or articles.startswith(folder + os.sep) for folder in ours):
            raise ForeignIndexFolder(
                f"the articles folder {self.articles_dir} is inside the index's own {SEARCH_DIR}/ folder,"
                " where reader writes and deletes its files; keep articles elsewhere"
            )

    def _read_marker(self) -> int | None:
        """The marker's format version, or None when there is no (readable) marker."""
        try:
            data = json.loads((self.path / MARKER).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        version = data.get("format") if isinstance(data, dict) else None
        return version if isinstance(version, int) and not isinstance(version, bool) and version > 0 else None

    def _write_marker(self) -> None:
        text = json.dumps({"reader-index": True, "format": FORMAT_VERSION}) + "\n"
        temporary = self.path / f".{MARKER}.tmp-{os.getpid()}"
        try:
            temporary.write_text(text, encoding="utf-8")
            os.replace(temporary, self.path / MARKER)
        except OSError as error:
            try:
                temporary.unlink()
            except OSError:
                pass
            if error.errno not in (errno.EROFS, errno.EACCES, errno.EPERM):
                raise write_error(error, self.path) from None
            # A read-only earlier-version index stays readable; it is marked when it can be written.

    def _foreign_entries(self) -> list[str]:
        """What in an unmarked folder reader did not write (empty: the folder is ours to use)."""
        foreign = [name for name in _listing(self.path) if not _is_index_entry(name)]
        search = self.search_dir
        has_toc = False
        if search.is_dir():
            foreign += [f"{SEARCH_DIR}/{name}" for name in _foreign_search_files(search)]
            has_toc = bool(self.toc_names())
        elif search.exists():
            foreign.append(SEARCH_DIR)
        catalog = self.catalog_path
        if catalog.exists() and not has_toc and not _is_our_catalog(catalog):
            foreign.append(CATALOG_FILE)
        return foreign

    # -- the search index's files ------------------------------------------------------

    def has_search_index(self) -> bool:
        """Whether a search index is there (a table of contents; nothing is parsed)."""
        return bool(self.toc_names())

    def toc_names(self) -> tuple[str, ...]:
        """The search index's tables of contents: one per generation not yet cleaned up."""
        try:
            return tuple(sorted(name for name in os.listdir(self.search_dir) if _TOC.match(name)))
        except OSError:
            return ()

    def refuse_foreign_search_files(self) -> None:
        """Raise :class:`ForeignIndexFolder` when ``search/`` holds a file reader did not write."""
        foreign = _foreign_search_files(self.search_dir)
        if foreign:
            raise ForeignIndexFolder(
                f"{self.search_dir} holds files reader did not write ({', '.join(foreign[:3])});"
                " nothing was removed: move them out of it and try again"
            )

    def discard_search(self) -> None:
        """Throw the search index away: renamed first, then its files deleted by name.

        A reset killed half-way leaves an untouched-but-hidden index (removed
        by the next :meth:`remove_leftovers`), never a half-deleted one. A
        ``search/`` holding a file reader did not write is refused whole.
        """
        self.refuse_foreign_search_files()
        if self.search_dir.is_dir():
            doomed = self.path / f"{_OLD_SEARCH}{os.getpid()}-{time.monotonic_ns()}"
            os.replace(self.search_dir, doomed)
        self.remove_leftovers()

    def remove_catalog_files(self) -> None:
        """The catalog and SQLite's companions (for a catalog too damaged to empty)."""
        for name in CATALOG_FILES:
            try:
                (self.path / name).unlink()
            except FileNotFoundError:
                pass

    def remove_leftovers(self) -> None:
        """What a killed writer left behind: temporary TOCs, a writer's spilled postings, search folders being deleted.

        Called holding the sync lock, so no writer of ours is running. A merge
        in the app's idle time is killed at the next key by design, and each
        such kill used to leave its spilled postings (7.4 GB after an
        afternoon at 100k articles).
        """
        for name in _listing(self.search_dir):
            if _TOC_TEMP.match(name) or name.startswith(FINGERPRINT + ".tmp-"):
                try:
                    os.unlink(self.search_dir / name)
                except OSError:
                    pass
        temporary = self.search_dir / _WHOOSH_TEMP
        for name in _listing(temporary):
            if _WHOOSH_TEMP_FILE.match(name):
                try:
                    os.unlink(temporary / name)
                except OSError:
                    pass
        for name in _listing(self.path):
            if name.startswith(_OLD_SEARCH) and (self.path / name).is_dir():
                _remove_search_files(self.path / name)

    # -- one sync at a time ------------------------------------------------------------

    @contextmanager
    def writing(self, timeout: float) -> Iterator[None]:
        """Exclusive right to update this index, across processes, waiting up to ``timeout`` s.

        A POSIX record lock (``lockf``) on ``index/sync.lock``, through a
        descriptor opened ``O_CLOEXEC``: the kernel drops it when its process
        dies, and neither forked children (spaCy's workers) nor started
        programs inherit it, so no process but a live sync can hold it.
        Threads of this process take turns on an in-process lock first.
        """
        self.claim()
        path = self.path / SYNC_LOCK
        deadline = time.monotonic() + timeout
        in_process = _process_lock(path)
        if not in_process.acquire(timeout=max(0.0, timeout)):
            raise self._busy(timeout)
        try:
            try:
                fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            except OSError as error:
                raise write_error(error, self.path) from None
            try:
                while True:
                    try:
                        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        break
                    except OSError as error:
                        if error.errno not in (errno.EACCES, errno.EAGAIN):
                            raise write_error(error, self.path) from None
                    if time.monotonic() >= deadline:
                        raise self._busy(timeout)
                    time.sleep(0.05)
                yield
            finally:
                os.close(fd)  # releases the lock
        finally:
            in_process.release()

    def _busy(self, timeout: float) -> IndexBusy:
        return IndexBusy(
            f"another process is updating the index in {self.path} (waited {timeout:g} s); try again when it has finished"
        )
