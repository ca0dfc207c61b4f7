"""Why the index cannot be used or written right now, in one line for users.

Every error here is about the rebuildable index (``search/`` and
``catalog.sqlite``), never about the user's files: a damaged index is rebuilt
from ``articles/`` by the next sync, and bookmarks live in a file of their own.
No imports, so the CLI and the app can catch these cheaply.
"""

from __future__ import annotations


class IndexProblem(Exception):
    """Base class; ``str()`` is one line that names what is wrong."""


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
