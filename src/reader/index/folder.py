"""The index folder on disk: which files are ours, the sync lock, cleaning up.

Layout::

    index/search/          Whoosh segments (rebuildable)
    index/catalog.sqlite   article catalog and entity counts (rebuildable)
    index/sync.lock        one sync at a time
    index/bookmarks.sqlite the user's bookmarks (never touched here)
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import IndexBusy, IndexWriteError
from .catalog import CATALOG_FILES

SEARCH_DIR = "search"
CATALOG_FILE = "catalog.sqlite"
SYNC_LOCK = "sync.lock"
INDEX_NAME = "articles"
FINGERPRINT = "fingerprint.json"  # size, mtime and hash of each segment file, written after our commits
_TOC = re.compile(rf"^_{INDEX_NAME}_([0-9]+)\.toc$")
_TOC_TEMP = re.compile(rf"^_{INDEX_NAME}_([0-9]+)\.toc\..+$")  # left by a commit killed before its rename
_OLD_SEARCH = "search.old-"  # a search index being thrown away (see discard_search)


def write_error(error: OSError, where: object) -> IndexWriteError:
    """An OSError while writing the index, as one line that says where and why."""
    reason = error.strerror or str(error)
    return IndexWriteError(f"cannot write the index in {where}: {reason}")


class IndexFolder:
    """The files of one index folder, by name; opens nothing but the lock."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @property
    def search_dir(self) -> Path:
        return self.path / SEARCH_DIR

    @property
    def catalog_path(self) -> Path:
        return self.path / CATALOG_FILE

    def has_search_index(self) -> bool:
        """Whether a search index is there (a table of contents; nothing is parsed)."""
        return bool(self.toc_names())

    def toc_names(self) -> tuple[str, ...]:
        """The search index's tables of contents: one per generation not yet cleaned up."""
        try:
            return tuple(sorted(name for name in os.listdir(self.search_dir) if _TOC.match(name)))
        except OSError:
            return ()

    def discard_search(self) -> None:
        """Throw the search index away: renamed first, then deleted.

        A reset killed half-way leaves an untouched-but-hidden index (removed
        by the next :meth:`remove_leftovers`), never a half-deleted one.
        """
        if self.search_dir.exists():
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
        """What a killed sync left behind: temporary TOCs, search folders being deleted."""
        try:
            for name in os.listdir(self.search_dir):
                if _TOC_TEMP.match(name) or name.startswith(FINGERPRINT + ".tmp"):
                    os.unlink(self.search_dir / name)
        except OSError:
            pass
        try:
            for name in os.listdir(self.path):
                if name.startswith(_OLD_SEARCH):
                    shutil.rmtree(self.path / name, ignore_errors=True)
        except OSError:
            pass

    @contextmanager
    def writing(self, timeout: float) -> Iterator[None]:
        """Exclusive right to update this index, across processes, waiting up to ``timeout`` s.

        An OS lock (``flock`` on ``index/sync.lock``, via Whoosh's FileLock):
        the kernel releases it when its process dies, so a killed sync never
        leaves a stale lock behind. Whoosh's own ``WRITELOCK`` is the same kind.
        """
        from whoosh.util.filelock import FileLock, try_for

        lock = FileLock(str(self.path / SYNC_LOCK))
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            acquired = try_for(lock.acquire, timeout=timeout, delay=0.05)
        except OSError as error:
            raise write_error(error, self.path) from None
        if not acquired:
            raise IndexBusy(
                f"another process is updating the index in {self.path} (waited {timeout:g} s);"
                " try again when it has finished"
            )
        try:
            yield
        finally:
            try:
                lock.release()
            except Exception:  # noqa: BLE001 - closing our own descriptor
                pass
