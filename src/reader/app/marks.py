"""Read marks and scroll positions, as the app sees them.

The real store is the bookmarks database next to the index; the app only
needs four calls, so it talks to anything with this shape and falls back to
memory when no store can be opened (the session still works, nothing lasts).
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable


@runtime_checkable
class ReadMarks(Protocol):
    def mark_read(self, article_id: str) -> None: ...

    def read_ids(self) -> set[str]: ...

    def set_position(self, article_id: str, offset: int) -> None: ...

    def position(self, article_id: str) -> int | None: ...


class MemoryMarks:
    """Read marks kept for this session only."""

    persistent = False

    def __init__(self) -> None:
        self._read: set[str] = set()
        self._positions: dict[str, int] = {}

    def mark_read(self, article_id: str) -> None:
        self._read.add(article_id)

    def mark_unread(self, article_id: str) -> None:
        self._read.discard(article_id)

    def read_ids(self) -> set[str]:
        return set(self._read)

    def set_position(self, article_id: str, offset: int) -> None:
        self._positions[article_id] = offset

    def position(self, article_id: str) -> int | None:
        return self._positions.get(article_id)


def open_marks(library) -> ReadMarks:
    """The library's bookmark store if there is one, else :class:`MemoryMarks`."""
    store = getattr(library, "bookmarks", None)
    if callable(store):
        store = store()
    if isinstance(store, ReadMarks):
        return store
    try:
        from ..bookmarks import BookmarkStore  # type: ignore[attr-defined]

        index_dir = getattr(library, "index_dir", None)
        if index_dir is not None:
            store = BookmarkStore(index_dir / "bookmarks.sqlite")
            if isinstance(store, ReadMarks):
                return store
    except Exception:  # not written yet, unreadable database, read-only disk…
        pass
    return MemoryMarks()
