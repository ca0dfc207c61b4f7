"""Saved searches that keep watch: the index's matches against what the user has seen.

The saved queries and the seen sets are user data (:mod:`reader.bookmarks.saved`);
the matches come from the index. This is where the two meet, for the CLI and
(later) the app, through :class:`reader.Library`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import QueryError

if TYPE_CHECKING:
    from .bookmarks.saved import SavedSearch
    from .library import Library
    from .model import Hit


@dataclass(frozen=True, slots=True)
class SavedSearchStatus:
    """A saved search as it stands now: how many articles match, how many the user has not seen."""

    search: SavedSearch
    total: int = 0
    new: int = 0
    problem: str = ""  # why the stored query cannot run (it no longer parses); the search is kept


def status_of(library: Library, search: SavedSearch) -> SavedSearchStatus:
    try:
        matches = library.matching_ids(search.query)
    except QueryError as error:
        return SavedSearchStatus(search, problem=f"its query no longer parses ({error})")
    seen = library.bookmarks.seen_by_search(search.name)
    return SavedSearchStatus(search, len(matches), len(matches - seen))


def statuses(library: Library) -> list[SavedSearchStatus]:
    return [status_of(library, search) for search in library.bookmarks.saved_searches()]


def add(library: Library, name: str, query: str) -> SavedSearchStatus:
    """Save ``query`` as ``name``; what it matches now counts as seen.

    Raises QueryError when the query does not parse (nothing is saved),
    :class:`~reader.bookmarks.saved.SavedSearchExists` when the name is taken.
    """
    matches = library.matching_ids(query)
    search = library.bookmarks.add_saved_search(name, query, matches)
    return SavedSearchStatus(search, len(matches), 0)


def look(library: Library, name: str) -> tuple[SavedSearchStatus, set[str], set[str]]:
    """The user looks at saved search ``name`` (``saved show``, Enter in the app): every match
    is marked seen. Returns its status before, its matches and which of them were new.
    Raises SavedSearchNotFound or QueryError (the search is kept)."""
    from .bookmarks.saved import SavedSearchNotFound

    search = library.bookmarks.saved_search(name)
    if search is None:
        raise SavedSearchNotFound(name)
    matches = library.matching_ids(search.query)
    new = matches - library.bookmarks.seen_by_search(search.name)
    library.bookmarks.mark_search_seen(search.name, matches)
    return SavedSearchStatus(search, len(matches), len(new)), matches, new


def show(library: Library, name: str, limit: int) -> tuple[SavedSearchStatus, list[Hit], set[str]]:
    """Run a saved search: its status before, then every new match (best first)
    followed by the best of the others up to ``limit`` hits in all; every match
    is then marked seen; the ids that were new come third. Raises SavedSearchNotFound or QueryError."""
    status, matches, new = look(library, name)
    ranked = library.search(status.search.query, limit=max(1, len(matches)), snippets=False).hits if matches else []
    fresh = [hit for hit in ranked if hit.id in new]
    others = [hit for hit in ranked if hit.id not in new][: max(0, limit - len(fresh))]
    return status, fresh + others, new
