"""The user-state database: bookmarks and reading state, the user data kept next to the search index.

Standard library only; importing this package is cheap::

    from reader.bookmarks import BookmarkStore, store_path

    with BookmarkStore(store_path(index_dir)) as store:
        bookmark = store.add_for_article(article, "much work remains")

Where things live: :mod:`.store` lists the modules.

The names below are imported on first use (PEP 562): ``reader search`` only
asks where the database is and, when it exists, for the entity corrections,
so a new process does not load the store, transfer and Markdown modules it
never calls (~15 ms of a cold search). Type checkers see them through the
``TYPE_CHECKING`` imports.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .anchor import Anchor, find_quote, locate, normalise
    from .database import BOOKMARKS_FILENAME, is_user_state_file, store_path
    from .errors import (
        BookmarkNotFound,
        BookmarkStoreError,
        MigrationError,
        NotABookmarkStoreError,
        QuoteNotFound,
        StoreBusyError,
        StoreReadOnlyError,
        StoreTooNewError,
    )
    from .record import Bookmark
    from .schema import SCHEMA_VERSION
    from .store import BookmarkStore
    from .transfer import ImportReport

#: Each name of ``__all__`` -> the module of this package that defines it.
_HOMES = {
    "Anchor": "anchor",
    "find_quote": "anchor",
    "locate": "anchor",
    "normalise": "anchor",
    "BOOKMARKS_FILENAME": "database",
    "is_user_state_file": "database",
    "store_path": "database",
    "BookmarkNotFound": "errors",
    "BookmarkStoreError": "errors",
    "MigrationError": "errors",
    "NotABookmarkStoreError": "errors",
    "QuoteNotFound": "errors",
    "StoreBusyError": "errors",
    "StoreReadOnlyError": "errors",
    "StoreTooNewError": "errors",
    "Bookmark": "record",
    "SCHEMA_VERSION": "schema",
    "BookmarkStore": "store",
    "ImportReport": "transfer",
}

__all__ = [
    "BOOKMARKS_FILENAME",
    "SCHEMA_VERSION",
    "Anchor",
    "Bookmark",
    "BookmarkNotFound",
    "BookmarkStore",
    "BookmarkStoreError",
    "ImportReport",
    "MigrationError",
    "NotABookmarkStoreError",
    "QuoteNotFound",
    "StoreBusyError",
    "StoreReadOnlyError",
    "StoreTooNewError",
    "find_quote",
    "is_user_state_file",
    "locate",
    "normalise",
    "store_path",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:  # a submodule (``from reader.bookmarks import schema``) is imported by the import system
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value  # once: later lookups are plain attribute reads
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})
