"""``reader saved …``: saved searches that keep watch, from the command line.

Kept apart from ``cli.py`` (as ``cli_web.py`` is); ``cli.py`` registers these
with :func:`add_parsers` and :data:`HANDLERS`. Same conventions: results on
stdout, one line per problem on stderr, stored text through :func:`printable`.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from .cli_output import EXIT_NOTHING, EXIT_OK, EXIT_USAGE, error_line
from .errors import QueryError
from .text.controls import printable

if TYPE_CHECKING:
    from .library import Library
    from .saved_searches import SavedSearchStatus



def add_parsers(commands: Any) -> None:
    saved = commands.add_parser(
        "saved",
        help="saved searches: add, list (with new matches since you last looked), show, remove",
        description="A saved search keeps watch: `saved list` tells how many matching articles arrived "
        "since you last looked, `saved show` prints them and marks them seen. Kept with bookmarks "
        "(never touched by `index --rebuild`) and in `bookmarks export --format json`.",
    )
    actions = saved.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="save a search (what it matches now counts as seen)")
    add.add_argument("name")
    add.add_argument("query", nargs="+", help="the query (words are joined), as for `reader search`")
    listing = actions.add_parser("list", help="every saved search with its total and new matches")
    listing.add_argument("--json", action="store_true", help="print one JSON object")
    show = actions.add_parser("show", help="run a saved search: new matches first; marks them seen")
    show.add_argument("name")
    show.add_argument("-n", "--limit", type=int, default=10, help="how many hits in all, at least every new one")
    show.add_argument("--json", action="store_true", help="print one JSON object")
    remove = actions.add_parser("remove", help="forget a saved search")
    remove.add_argument("name")


def _counts(status: SavedSearchStatus) -> str:
    noun = "article" if status.total == 1 else "articles"
    return f"{status.total} {noun}, {status.new} new"


def _status_json(status: SavedSearchStatus) -> dict[str, Any]:
    search = status.search
    return {
        "name": search.name,
        "query": search.query,
        "total": status.total,
        "new": status.new,
        "added": search.added,
        "last_looked": search.last_looked or None,
        "problem": status.problem or None,
    }


def cmd_saved(library: Library, args: argparse.Namespace) -> int:
    from . import saved_searches
    from .bookmarks import BookmarkStoreError
    from .bookmarks.saved import SavedSearchExists, SavedSearchNotFound

    try:
        if args.action == "add":
            query = " ".join(args.query)
            try:
                status = saved_searches.add(library, args.name, query)
            except QueryError as error:
                error_line(f"reader saved add: bad query, nothing saved: {printable(str(error))}")
                return EXIT_USAGE
            except SavedSearchExists as error:
                existing = library.bookmarks.saved_search(str(error))
                shown = f" (query: {printable(existing.query)})" if existing else ""
                error_line(f"reader saved add: a saved search named {printable(str(error))!r} exists already{shown}; "
                     "pick another name or `reader saved remove` it first")
                return EXIT_NOTHING
            print(f"saved {printable(status.search.name)}: {printable(status.search.query)} ({_counts(status)})")
            return EXIT_OK
        if args.action == "list":
            return _list(library, args.json)
        if args.action == "show":
            return _show(library, args)
        if args.action == "remove":
            removed = library.bookmarks.remove_saved_search(args.name)
            error_line(f"removed saved search {printable(removed.name)} ({printable(removed.query)})")
            return EXIT_OK
    except SavedSearchNotFound:
        error_line(f"reader saved: no saved search named {printable(args.name)!r} (see `reader saved list`)")
        return EXIT_NOTHING
    except (BookmarkStoreError, ValueError) as error:
        error_line(f"reader saved: {printable(str(error))}")
        return EXIT_USAGE
    return EXIT_USAGE


def _list(library: Library, as_json: bool) -> int:
    from . import saved_searches

    found = saved_searches.statuses(library)
    if as_json:
        sys.stdout.write(json.dumps({"saved_searches": [_status_json(s) for s in found]}, ensure_ascii=True) + "\n")
    for status in found:
        name, query = printable(status.search.name), printable(status.search.query)
        if status.problem:
            error_line(f"saved search {name!r} ({query}) cannot run: {printable(status.problem)}; it is kept", "yellow")
        elif not as_json:
            print(f"{name}\t{query}\t{_counts(status)}")
    return EXIT_OK if found else EXIT_NOTHING


def _show(library: Library, args: argparse.Namespace) -> int:
    from . import saved_searches

    search = library.bookmarks.saved_search(args.name)
    try:
        status, hits, new_ids = saved_searches.show(library, args.name, max(1, args.limit))
    except QueryError as error:
        shown = printable(search.name if search else args.name)
        error_line(f"reader saved show: saved search {shown!r} cannot run: its query no longer parses "
             f"({printable(str(error))}); it is kept")
        return EXIT_USAGE
    if args.json:
        payload = _status_json(status) | {
            "hits": [
                {"id": h.id, "path": h.path, "title": h.title, "date": h.date, "source": h.source, "new": h.id in new_ids}
                for h in hits
            ]
        }
        sys.stdout.write(json.dumps(payload, ensure_ascii=True) + "\n")
    else:
        print(f"{printable(status.search.name)}: {printable(status.search.query)} ({_counts(status)})")
        for hit in hits:
            mark = "new " if hit.id in new_ids else "    "
            details = " · ".join(printable(part) for part in (hit.date, hit.source, hit.id) if part)
            print(f"{mark}{printable(hit.title or hit.id)}  {details}")
    return EXIT_OK if status.total else EXIT_NOTHING


HANDLERS = {"saved": cmd_saved}
