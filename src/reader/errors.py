"""Every error the library raises on purpose, each with one line for users.

Low in the tree and free of imports, so that any layer (the index, the CLI,
the app) can raise or catch these without importing the layer that raises
them. ``reader.library`` re-exports them; ``from reader import QueryError``
works too.

Index errors are about the rebuildable index (``search/`` and
``catalog.sqlite``), never about the user's files: a damaged index is
rebuilt from ``articles/`` by the next sync, and bookmarks live in a file
of their own.
"""

from __future__ import annotations


class QueryError(ValueError):
    """A query the parser cannot make sense of; ``str()`` is one line for users."""


class QueryTooLong(QueryError):
    """A query longer than reader searches (characters or words); the message gives the limits."""


class ArticleNotFound(KeyError):
    """No article with this id is indexed."""


class IndexProblem(Exception):
    """Base class of the index's errors; ``str()`` is one line that names what is wrong."""


class IndexCorrupt(IndexProblem):
    """The index is damaged, missing a part, or was written by another version.

    The next :meth:`Library.sync` (``reader index``) rebuilds it from the
    articles folder.
    """


class IndexBusy(IndexProblem):
    """Another process is updating the index and did not finish in time."""


class IndexWriteError(IndexProblem):
    """The index could not be written (disk full, read-only folder ...).

    Whatever was committed before stays readable.
    """


class ForeignIndexFolder(IndexProblem):
    """The index folder cannot be used without risking files reader did not create.

    A non-empty folder that is not a reader index, the articles folder
    itself, a path that is a file: nothing in it was touched.
    """


class ArticlesFolderEmpty(IndexProblem):
    """The articles folder has no articles while the index has some: refused (an unmounted disk?).

    ``Library.sync(allow_empty=True)`` (``reader index --allow-empty``) empties the index.
    """


class ArticlesFolderMissing(FileNotFoundError):
    """The articles folder does not exist (or is not a folder)."""
