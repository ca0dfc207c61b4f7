"""What can go wrong with the user-state database, as exceptions with one-line messages.

Every :class:`BookmarkStoreError` carries a message fit to show a user as it
is (the CLI prints it and exits 2); the others are lookups that found nothing.
"""

from __future__ import annotations


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


class StoreReadOnlyError(BookmarkStoreError):
    """The file or its folder cannot be written; reading still works, nothing was saved."""


class BookmarkNotFound(KeyError):
    def __str__(self) -> str:  # KeyError would show the repr of the message
        return str(self.args[0]) if self.args else "bookmark not found"


class QuoteNotFound(ValueError):
    """The quoted text does not occur in the article."""
