"""The commands that reach the web: ``add``, ``feeds …`` and ``fetch``.

Kept apart from ``cli.py`` so the network-facing commands have one home;
``cli.py`` registers them with :func:`add_parsers` and :data:`HANDLERS`.
Same conventions: results on stdout, one line per problem on stderr, every
string from a page or feed passed through :func:`printable` before printing.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from .cli_output import EXIT_FAILED, EXIT_OK, EXIT_USAGE, error_line
from .text.controls import printable

if TYPE_CHECKING:
    from .library import Library



def add_parsers(commands: Any) -> None:
    add = commands.add_parser(
        "add",
        help="add web pages by link (or saved .html files) as articles",
        description="Fetch each page (or read each saved .html file), keep the article, write it to "
        "articles/<site>/<date>-<slug>.md and index it. The same page twice is refused.",
    )
    add.add_argument("sources", nargs="+", metavar="SOURCE", help="an http(s) URL or a local .html file")
    add.add_argument("--json", action="store_true", help="print one JSON object")
    add.add_argument("--no-entities", action="store_true", help="skip entity extraction while indexing (faster)")

    feeds = commands.add_parser("feeds", help="follow, list, remove, import and export news feeds")
    actions = feeds.add_subparsers(dest="action", metavar="ACTION", required=True)
    follow = actions.add_parser("add", help="follow a feed (a page URL finds its feed through <link rel=alternate>)")
    follow.add_argument("url")
    follow.add_argument("--name", help="what to call it (default: the feed's title)")
    listing = actions.add_parser("list", help="the feeds: name, URL, last fetch, last status, articles")
    listing.add_argument("--json", action="store_true", help="print one JSON object")
    remove = actions.add_parser("remove", help="stop following a feed (its articles stay)")
    remove.add_argument("name")
    importing = actions.add_parser("import", help="follow every feed in an OPML file")
    importing.add_argument("file", metavar="FILE.opml")
    actions.add_parser("export", help="print the feeds as OPML 2.0 (for newsboat and other readers)")

    fetch = commands.add_parser("fetch", help="read every feed (or the named ones); new entries become articles")
    fetch.add_argument("names", nargs="*", metavar="NAME", help="only these feeds")
    fetch.add_argument("--json", action="store_true", help="print one JSON object")
    fetch.add_argument("--no-entities", action="store_true", help="skip entity extraction while indexing (faster)")


def cmd_add(library: Library, args: argparse.Namespace) -> int:
    from .web.add import add_sources

    results, report = add_sources(library, list(args.sources), entities=not args.no_entities)
    if args.json:
        payload = {
            "added": [{"id": r.id, "path": r.path, "title": r.title, "url": r.url} for r in results if r.id],
            "refused": [{"source": r.source, "reason": r.problem, "duplicate": r.duplicate} for r in results if r.problem],
        }
        print(json.dumps(payload, ensure_ascii=True))
    for result in results:
        if result.problem:
            error_line(f"reader add: {printable(result.source)}: {printable(result.problem)}", "yellow")
        elif not args.json:
            sys.stdout.write(printable(result.id) + "\n")
            error_line(f"added {printable(result.path)}: {printable(result.title)}")
    if report is not None:
        for warning in report.warnings:
            error_line(f"warning: {printable(warning)}", "yellow")
    return EXIT_OK if all(r.id for r in results) else EXIT_FAILED


def _feed_name(wanted: str, title: str, url: str) -> str:
    from .text.controls import clean_inline
    from .web.pages import folder_name

    name = clean_inline(wanted or title)[:80].strip(" /\\.")
    return name or folder_name("", url)


def cmd_feeds(library: Library, args: argparse.Namespace) -> int:
    from .bookmarks.feeds import FeedExists, FeedNotFound

    store = library.bookmarks
    if args.action == "add":
        from .web import http
        from .web.feeds import FeedError, discover

        try:
            url, parsed = discover(args.url)
        except (http.FetchError, FeedError) as error:
            error_line(f"reader feeds add: {printable(args.url)}: {printable(str(error))}")
            return EXIT_FAILED
        name = _feed_name(args.name or "", parsed.title, url)
        try:
            store.add_feed(name, url, parsed.title)
        except FeedExists as error:
            error_line(f"reader feeds add: already following that feed or that name, as {printable(str(error))}")
            return EXIT_FAILED
        if parsed.warning:
            error_line(f"warning: {printable(name)}: {printable(parsed.warning)}", "yellow")
        count = len(parsed.entries)
        entries = f"{count} entr{'y' if count == 1 else 'ies'}"
        print(f"following {printable(name)}: {printable(url)} ({entries}; `reader fetch` reads them)")
        return EXIT_OK
    if args.action == "list":
        feeds = store.feeds()
        if args.json:
            print(json.dumps({"feeds": [_feed_json(feed) for feed in feeds]}, ensure_ascii=True))
            return EXIT_OK
        for feed in feeds:
            when = feed.last_fetch[:16].replace("T", " ") if feed.last_fetch else "never fetched"
            status = f", {feed.last_status}" if feed.last_status else ""
            fields = (feed.name, feed.url, f"{when}{status}", f"{feed.articles} articles")
            print("\t".join(printable(field) for field in fields))
        if not feeds:
            error_line("no feeds yet: `reader feeds add URL` follows one")
        return EXIT_OK if feeds else EXIT_FAILED
    if args.action == "remove":
        try:
            feed = store.remove_feed(args.name)
        except FeedNotFound:
            error_line(f"reader feeds remove: no feed named {printable(args.name)} (see `reader feeds list`)")
            return EXIT_FAILED
        print(f"stopped following {printable(feed.name)} (its articles stay in the articles folder)")
        return EXIT_OK
    if args.action == "import":
        return _import_opml(store, args.file)
    from .web.opml import Outline, to_opml

    sys.stdout.write(to_opml([Outline(feed.title or feed.name, feed.url) for feed in store.feeds()]))
    return EXIT_OK


def _feed_json(feed: Any) -> dict[str, Any]:
    return {
        "name": feed.name,
        "url": feed.url,
        "title": feed.title,
        "last_fetch": feed.last_fetch,
        "last_status": feed.last_status,
        "articles": feed.articles,
    }


def _import_opml(store: Any, path: str) -> int:
    from .bookmarks.feeds import FeedExists
    from .web.opml import MAX_OPML_BYTES, parse_opml

    try:
        with open(path, "rb") as handle:
            outlines = parse_opml(handle.read(MAX_OPML_BYTES + 1))
    except OSError as error:
        error_line(f"reader feeds import: cannot read {printable(path)}: {printable(error.strerror or str(error))}")
        return EXIT_USAGE
    except ValueError as error:
        error_line(f"reader feeds import: {printable(path)}: {printable(str(error))}")
        return EXIT_USAGE
    added = skipped = 0
    for outline in outlines:
        try:
            store.add_feed(_feed_name("", outline.title, outline.url), outline.url, outline.title)
            added += 1
        except FeedExists:
            skipped += 1
    print(f"following {added} new feeds from {printable(path)}; {skipped} already followed")
    return EXIT_OK


def cmd_fetch(library: Library, args: argparse.Namespace) -> int:
    from .ingest import article_id_for
    from .web.fetching import fetch_feeds

    store = library.bookmarks
    if not store.feeds():
        error_line("no feeds yet: `reader feeds add URL` follows one")
        return EXIT_FAILED
    preferences = args.settings.preferences  # the config file's [feeds]
    outcomes, report, unknown = fetch_feeds(
        library,
        store,
        args.names or None,
        entities=not args.no_entities,
        workers=preferences.feed_concurrency,
        deadline=preferences.feed_timeout,
    )
    for name in unknown:
        error_line(f"reader fetch: no feed named {printable(name)} (see `reader feeds list`)")
    if args.json:
        payload = {
            "feeds": [
                {
                    "name": o.name,
                    "status": o.status,
                    "added": [article_id_for(path) for path in o.added],
                    "skipped": [{"entry": entry, "reason": reason} for entry, reason in o.skipped],
                    "error": o.error,
                    "warning": o.warning,
                }
                for o in outcomes
            ],
            "unknown": unknown,
        }
        print(json.dumps(payload, ensure_ascii=True))
    for outcome in outcomes:
        if outcome.warning:
            error_line(f"warning: {printable(outcome.name)}: {printable(outcome.warning)}", "yellow")
        for entry, reason in outcome.skipped:
            error_line(f"skipped {printable(outcome.name)}: {printable(entry)}: {printable(reason)}", "yellow")
        if outcome.status == "failed":
            error_line(f"reader fetch: {printable(outcome.line())}")
        elif not args.json:
            print(printable(outcome.line()))
    if report is not None:
        for skipped in report.skipped:
            error_line(f"skipped {printable(skipped.path)}: {printable(skipped.reason)}", "yellow")
    failed = unknown or any(outcome.status == "failed" for outcome in outcomes)
    return EXIT_FAILED if failed else EXIT_OK


HANDLERS = {
    "add": cmd_add,
    "feeds": cmd_feeds,
    "fetch": cmd_fetch,
}
