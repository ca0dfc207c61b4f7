"""Saved searches in the app: the pane's list with new counts (again after every sync),
running one (its matches become seen), and saving the search being shown.

Every call to the library runs in a worker; the statuses come back as
SavedLoaded. Saved searches are user data: nothing here deletes or rewrites one,
and one whose query no longer parses is listed with why, and kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...errors import QueryError
from ..messages import SavedLoaded, SavedLooked
from ..safe import safe_inline
from ..screens.save_search import SaveSearchDialog
from .base import EXPECTED, Controller, describe

if TYPE_CHECKING:
    from ..widgets.saved_pane import SavedPane
    from ..widgets.search_pane import SearchPane


#: What marking a saved search seen can meet: a broken store, a query that no longer parses, the search gone.
_LOOK_ERRORS: tuple[type[Exception], ...] = (*EXPECTED, QueryError, KeyError)
#: What saving one can meet besides a taken name or a bad query: a broken store, an unusable name.
_SAVE_ERRORS: tuple[type[Exception], ...] = (*EXPECTED, ValueError)


class Saved(Controller):
    """The saved-searches pane and saving from the search pane."""

    def reload(self) -> None:
        self.run(self._load, group="saved")

    def _load(self) -> None:
        from ... import saved_searches

        try:
            self.post(SavedLoaded(saved_searches.statuses(self.library)))
        except EXPECTED as exc:
            self.post(SavedLoaded([], f"Saved searches unavailable: {describe(exc)}"))

    def loaded(self, message: SavedLoaded) -> None:
        self.screen.saved_pane.show(message.statuses, message.error)

    def sync_finished(self) -> None:
        """New articles may match: the counts again, if the pane shows them."""
        if self.screen.saved_open:
            self.reload()

    def chosen(self, message: SavedPane.Chosen) -> None:
        """Run it in the search pane; what it matches now counts as seen."""
        search = message.status.search
        self.screen.search_for(search.query + " ")  # a finished query: the last word is not a prefix
        self.run(self._look, search.name, group="saved-write", exclusive=False)

    def _look(self, name: str) -> None:
        from ... import saved_searches

        try:
            status, _matches, new = saved_searches.look(self.library, name)
        except _LOOK_ERRORS as exc:  # not marked seen; the pane says why when next shown
            self.post(SavedLoaded([], f"Could not mark {name!r} as seen: {describe(exc)}"))
            return
        self.post(SavedLooked(status.search.query, new))
        self._load()

    def looked(self, message: SavedLooked) -> None:
        self.screen.search.mark_new(message.query, message.new)

    # -- saving the search in the search pane ----------------------------------------------

    def save_requested(self, message: SearchPane.SaveRequested) -> None:
        query = message.text
        if message.exact:  # saved as it was searched
            from ...library import exact_query

            query = exact_query(query)
        self.screen.app.push_screen(SaveSearchDialog(query, self._save), self._saved)

    def _save(self, dialog: SaveSearchDialog, name: str) -> None:
        self.run(self._add, dialog, name, dialog.search_query, group="saved-write", exclusive=False)

    def _add(self, dialog: SaveSearchDialog, name: str, query: str) -> None:
        from ... import saved_searches
        from ...bookmarks.saved import SavedSearchExists

        try:
            status = saved_searches.add(self.library, name, query)
        except SavedSearchExists as exc:
            existing = self.library.bookmarks.saved_search(str(exc))
            shown = f" (for {safe_inline(existing.query, 80)})" if existing else ""
            dialog.post_message(dialog.Outcome(f"A saved search named {str(exc)!r} exists already{shown}: pick another name."))
        except QueryError as exc:
            dialog.post_message(dialog.Outcome(f"This query cannot be saved: {describe(exc)}"))
        except _SAVE_ERRORS as exc:
            dialog.post_message(dialog.Outcome(f"Not saved: {describe(exc)}"))
        else:
            noun = "article" if status.total == 1 else "articles"
            note = f"Saved {status.search.name!r}: {status.total:,} {noun} now; w lists it with what arrives."
            dialog.post_message(dialog.Outcome("", note))

    def _saved(self, note: str | None) -> None:
        if note:
            self.screen.notify(safe_inline(note, 200), markup=False)
            if self.screen.saved_open:
                self.reload()
