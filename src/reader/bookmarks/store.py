"""The user-state database as the app and the CLI use it: one object, one file.

:class:`BookmarkStore` puts together what lives in ``<index_dir>/bookmarks.sqlite``,
each part in its own module:

* :mod:`.database`  opening, versions and migrations, durable transactions
* :mod:`.table`     bookmarks: add, edit, soft delete, purge, list
* :mod:`.reanchor`  keeping bookmarks on their passages as articles change, and
                    which version of each article they are anchored to
* :mod:`.transfer`  JSON export/import (one section per kind of data), Markdown
* :mod:`.reading`   read marks and reading positions
* :mod:`.schema`    every table and its migrations (where a new table goes)
* :mod:`.record`    a bookmark as a value, and strict reading of its JSON
* :mod:`.anchor`    finding a quote again in changed text (pure functions)
* :mod:`.feeds`     the feeds followed and the entries already taken from them
* :mod:`.corrections` the user's corrections to extracted entities
* :mod:`.saved`     saved searches and the matches each has already shown
* :mod:`.history`   the search box's history

Nothing deletes a bookmark except purging those soft-deleted more than
:data:`.table.KEEP_DELETED` ago; vanished passages and articles only mark
bookmarks *orphaned*.
"""

from __future__ import annotations

from .corrections import CorrectionTable
from .feeds import FeedTable
from .history import SearchHistoryTable
from .reading import ReadingState
from .reanchor import Reanchoring
from .saved import SavedSearchTable
from .transfer import Transfer


class BookmarkStore(
    Reanchoring, Transfer, ReadingState, FeedTable, CorrectionTable, SavedSearchTable, SearchHistoryTable
):
    """Bookmarks, reading state, feeds, entity corrections, saved searches and the search history in one SQLite file;
    safe to share between processes.

    One instance may be used from several threads (calls are serialised).
    Methods that change something return after the change is durable.
    """
