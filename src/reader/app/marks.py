"""Read marks and scroll positions, as the app sees them.

The real store is the bookmark store next to the index (durable: every write
is a synced transaction), so the app never writes on the event loop: writes
go, in order, to one background thread; reads are quick indexed lookups.
When no store can be opened the app keeps marks in memory for the session.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

from .problems import EXPECTED, describe, unexpected


@runtime_checkable
class ReadMarks(Protocol):
    def mark_read(self, article_id: str, read: bool = True) -> None: ...

    def read_ids(self) -> set[str]: ...

    def set_position(self, article_id: str, offset: int) -> None: ...

    def position(self, article_id: str) -> int: ...


class MemoryMarks:
    """Read marks kept for this session only."""

    def __init__(self) -> None:
        self._read: set[str] = set()
        self._positions: dict[str, int] = {}

    def mark_read(self, article_id: str, read: bool = True) -> None:
        if read:
            self._read.add(article_id)
        else:
            self._read.discard(article_id)

    def read_ids(self) -> set[str]:
        return set(self._read)

    def set_position(self, article_id: str, offset: int) -> None:
        self._positions[article_id] = offset

    def position(self, article_id: str) -> int:
        return self._positions.get(article_id, 0)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass


class BackgroundMarks:
    """A durable store whose writes happen in order on one background thread."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self._queue: queue.Queue[Callable[[], None] | None] = queue.Queue()
        self._read = set(store.read_ids())  # answers read_ids() without a query
        self._positions: dict[str, int] = {}
        self.errors: list[str] = []
        self._thread = threading.Thread(target=self._run, name="reader-marks", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            job = self._queue.get()
            try:
                if job is None:
                    return
                job()
            except EXPECTED as exc:  # a busy or read-only disk must not stop reading
                self.errors.append(f"{type(exc).__name__}: {exc}")
            except Exception as exc:  # noqa: BLE001 - a bug: logged, and reading goes on
                self.errors.append(unexpected(None, "saving a read mark or position", exc))
            finally:
                self._queue.task_done()

    def mark_read(self, article_id: str, read: bool = True) -> None:
        if read:
            self._read.add(article_id)
        else:
            self._read.discard(article_id)
        self._queue.put(lambda: self.store.mark_read(article_id, read))

    def read_ids(self) -> set[str]:
        return set(self._read)

    def set_position(self, article_id: str, offset: int) -> None:
        self._positions[article_id] = offset
        self._queue.put(lambda: self.store.set_position(article_id, offset))

    def position(self, article_id: str) -> int:
        if article_id in self._positions:
            return self._positions[article_id]
        try:
            return self.store.position(article_id) or 0
        except EXPECTED:  # the article opens at the top
            return 0

    def flush(self) -> None:
        """Wait until every write so far is on disk."""
        self._queue.join()

    def close(self) -> None:
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join(timeout=10)
        try:
            self.store.close()
        except EXPECTED as exc:  # the writes were flushed above; closing a damaged store is not news
            self.errors.append(describe(exc))


def open_marks(library: Any) -> tuple[ReadMarks, str]:
    """The bookmark store next to the index, or memory; and why not, if not."""
    index_dir = getattr(library, "index_dir", None)
    if index_dir is None:
        return MemoryMarks(), ""
    try:
        from ..bookmarks import BookmarkStore, store_path

        path = getattr(library, "user_state_path", None) or store_path(index_dir)
        if path == store_path(index_dir):
            library.claim_index_folder()  # never a bookmarks file in a folder that is not reader's
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
        return BackgroundMarks(BookmarkStore(path)), ""
    except EXPECTED as exc:  # too new, damaged, busy, read-only…
        return MemoryMarks(), describe(exc)
