"""The user-state database: bookmarks and reading state, the user data kept next to the search index.

Standard library only; importing this package is cheap::

    from reader.bookmarks import BookmarkStore, store_path

    with BookmarkStore(store_path(index_dir)) as store:
        bookmark = store.add_for_article(article, "much work remains")

Where things live: :mod:`.store` lists the modules.
"""

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
