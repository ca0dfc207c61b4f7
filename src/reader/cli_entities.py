"""``reader entities VERB …``: correcting entities (merge, rename, kind, hide, unhide, undo, curation).

``reader entities`` lists entities (in ``cli.py``); ``reader entities NAME``
prints the entity's page, like ``entities show NAME`` (:func:`print_page`);
a first word that is one of :data:`VERBS` is routed here instead
(:func:`route` turns ``entities merge`` into the hidden command
``entities-merge`` before argparse sees it, so an entity may still be called
anything but a verb). Bad input is one line on stderr, exit 2, nothing changed.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .cli_output import EXIT_NOTHING, EXIT_OK, EXIT_USAGE
from .model import ENTITY_KINDS
from .text.controls import printable

if TYPE_CHECKING:
    from .library import Library

VERBS = ("merge", "rename", "kind", "hide", "unhide", "undo", "curation", "show", "dossier")
_VALUE_OPTIONS = ("--articles", "--index")

VERBS_HELP = """\
following one entity:
  reader entities NAME [--json]                aliases, counts, timeline, who appears with it, articles
  reader entities show NAME [--json]           the same (NAME may be a verb: entities show merge)
  reader entities dossier NAME [--format F]    everything on it for a report: markdown (default) or json

corrections (kept in the user-state database, applied everywhere, kept by index --rebuild):
  reader entities merge NAME... --into NAME    make several entities one
  reader entities rename NAME NEW              change the name shown
  reader entities kind NAME KIND               person, org, place, group, ... other
  reader entities hide NAME                    not an entity: out of every list and search
  reader entities unhide NAME                  show a hidden entity again
  reader entities undo [ID]                    undo the newest correction (or that one)
  reader entities curation [--json]            every correction, newest first
"""


def route(argv: Sequence[str]) -> list[str]:
    """``… entities VERB …`` becomes ``… entities-VERB …``; anything else is unchanged."""
    args = list(argv)
    i = 0
    while i < len(args) and args[i].startswith("-"):
        i += 2 if args[i] in _VALUE_OPTIONS else 1
    if i + 1 < len(args) and args[i] == "entities" and args[i + 1] in VERBS:
        args[i : i + 2] = [f"entities-{args[i + 1]}"]
    return args


def add_parsers(commands: Any) -> None:
    def verb(name: str, help_text: str) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = commands.add_parser(f"entities-{name}", help=help_text, prog=f"reader entities {name}")
        return parser

    merge = verb("merge", "make several entities one")
    merge.add_argument("names", nargs="+", metavar="NAME")
    merge.add_argument("--into", required=True, metavar="NAME", help="the entity they become")
    rename = verb("rename", "change the name an entity is shown by")
    rename.add_argument("name")
    rename.add_argument("new_name", metavar="NEW")
    kind = verb("kind", "change an entity's kind")
    kind.add_argument("name")
    kind.add_argument("kind", metavar="KIND", help=f"one of {', '.join(ENTITY_KINDS)}")
    verb("hide", "not an entity: leave it out of every list and search").add_argument("name")
    verb("unhide", "show a hidden entity again").add_argument("name")
    verb("undo", "undo the newest correction, or the one with this id").add_argument("id", nargs="?")
    verb("curation", "every entity correction, newest first").add_argument("--json", action="store_true", help="print JSON")
    show = verb("show", "one entity's page: aliases, counts, timeline, who appears with it, its articles")
    show.add_argument("name")
    show.add_argument("--json", action="store_true", help="print the page's data as JSON")
    show.add_argument("-n", "--limit", type=int, default=10, help="articles shown (default 10; JSON has all)")
    dossier = verb("dossier", "everything the collection says about one entity, to paste into a report")
    dossier.add_argument("name")
    dossier.add_argument("--format", choices=("markdown", "json"), default="markdown", help="default markdown")


def cmd_correct(library: Library, args: argparse.Namespace) -> int:
    from . import curating
    from .bookmarks import BookmarkStoreError

    verb = args.command.removeprefix("entities-")
    try:
        if verb == "merge":
            done = curating.merge(library, args.names, args.into)
        elif verb == "rename":
            done = [curating.rename(library, args.name, args.new_name)]
        elif verb == "kind":
            done = [curating.change_kind(library, args.name, args.kind)]
        elif verb == "hide":
            done = [curating.hide(library, args.name)]
        elif verb == "unhide":
            done = [curating.unhide(library, args.name)]
        else:
            done = [curating.undo(library, args.id)]
    except (curating.CurationError, BookmarkStoreError) as error:
        _say(f"reader: {error}")
        return EXIT_USAGE
    for correction in done:
        what = f"undid {correction.id}: {correction.describe()}" if verb in ("undo", "unhide") else correction.describe()
        hint = "" if verb in ("undo", "unhide") else f" (undo: reader entities undo {correction.id})"
        _say(what + hint)
    return EXIT_OK


def cmd_curation(library: Library, args: argparse.Namespace) -> int:
    corrections = library.bookmarks.corrections() if library.has_user_state() else []
    if args.json:
        from .cli_output import as_json as _json  # JSON safe on a terminal

        sys.stdout.write(_json([c.to_json() for c in corrections], indent=2) + "\n")
    else:
        for correction in corrections:
            sys.stdout.write(printable(f"{correction.id}  {correction.created}  {correction.describe()}") + "\n")
    return EXIT_OK if corrections else EXIT_NOTHING


def cmd_show(library: Library, args: argparse.Namespace) -> int:
    return print_page(library, args.name, as_json=args.json, limit=args.limit)


def print_page(library: Library, name: str, *, kind: str | None = None, as_json: bool = False, limit: int = 10) -> int:
    """``reader entities NAME`` and ``entities show NAME``: the entity's page, or one line and
    exit 2 for a name no entity has (the closest ones suggested)."""
    from .curating import CurationError

    try:
        page = library.entity_page(name, kind)
    except CurationError as error:
        _say(f"reader: {error}")
        return EXIT_USAGE
    if as_json:
        from .cli_output import as_json as _json  # JSON safe on a terminal

        sys.stdout.write(_json(page.to_json(), indent=2) + "\n")
        return EXIT_OK
    for line in page_lines(page, limit=limit):
        sys.stdout.write(printable(line) + "\n")
    return EXIT_OK


def cmd_dossier(library: Library, args: argparse.Namespace) -> int:
    """The dossier on stdout: its articles with dates, sources and URLs, the sentences naming
    the entity, who is named with it, the user's bookmarks and notes on those articles."""
    from . import dossier
    from .curating import CurationError

    try:
        built = dossier.build(library, args.name)
    except CurationError as error:
        _say(f"reader: {error}")
        return EXIT_USAGE
    sys.stdout.write(dossier.render(built, args.format))
    return EXIT_OK


def page_lines(page: Any, *, limit: int = 10, width: int = 40) -> list[str]:
    """The entity page as plain lines (the timeline drawn with block characters)."""
    lines = [f"{page.name}  ({page.kind})", f"{len(page.articles)} articles, {page.mentions} mentions"]
    if page.aliases:
        lines.append("also written: " + ", ".join(page.aliases))
    lines += ["", *page.timeline_lines(width)]
    if page.together:
        lines += ["", "named with it (log-likelihood of sharing a sentence):"]
        for co in [c for c in page.together if c.score > 0][:10]:  # below 0: named apart more than chance
            lines.append(f"  {co.name} ({co.kind})  score {co.score:.1f}, {co.shared} shared articles of {co.articles}")
    lines += ["", "articles, newest first:"]
    for article in page.articles[: limit or None]:
        lines.append(f"  {article.date or 'undated'}  {article.title}  [{article.article_id}, {article.mentions} mentions]")
        lines.append(f"      {article.sentence}")
    if limit and len(page.articles) > limit:
        lines.append(f"  … {len(page.articles) - limit} more (--limit 0 for all)")
    return lines


def with_entity(library: Library, bookmarks: list[Any], name: str) -> list[Any]:
    """The bookmarks in articles that mention the entity ``name`` (its merged spellings too);
    an unknown name raises CurationError, which the caller reports (exit 2)."""
    from .curating import find_entity

    entity = find_entity(library, name)
    articles = set(library.entity_articles(entity.name, entity.kind))
    return [b for b in bookmarks if b.article in articles]


def _say(message: str) -> None:
    sys.stderr.write(printable(message) + "\n")


HANDLERS = {f"entities-{verb}": cmd_correct for verb in VERBS if verb not in ("curation", "show", "dossier")} | {
    "entities-curation": cmd_curation,
    "entities-show": cmd_show,
    "entities-dossier": cmd_dossier,
}
