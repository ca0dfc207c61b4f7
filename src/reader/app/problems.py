"""What the app expects to go wrong, and what it does with everything else.

Expected: the files under us (a missing, busy, damaged or read-only index
or bookmark store, a full disk). Those are said as they are, in the pane or
a notification. Anything else is a bug, ours or the library's:
:func:`unexpected` writes it to the debug log (``reader.debuglog``) and
gives one line for the user, and in a headless app (the tests, the
benchmarks) raises it, so a bug fails a test instead of becoming a
notification nobody reads.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from ..bookmarks import BookmarkStoreError
from ..debuglog import log_exception
from ..errors import IndexProblem

if TYPE_CHECKING:
    from textual.app import App

#: Errors of the files under us; anything else is a bug.
EXPECTED: tuple[type[Exception], ...] = (OSError, sqlite3.Error, IndexProblem, BookmarkStoreError)


def describe(error: BaseException) -> str:
    """An expected error in one line."""
    return str(error) or type(error).__name__


def unexpected(app: App[object] | None, what: str, error: Exception) -> str:
    """Log a bug in full; raise it when headless, else tell the user in one line (returned too).

    ``what`` says what was being done ("searching"). Safe from a worker thread
    (a notification is a message). With no app (a background thread of our own)
    it is only logged.
    """
    line = log_exception(what, error)
    if app is not None:
        if app.is_headless:
            raise error
        app.notify(line, title="Something went wrong", severity="error", timeout=10, markup=False)
    return line
