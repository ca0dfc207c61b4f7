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

from .ingest.sanitize import printable

if TYPE_CHECKING:
    from .library import Library

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


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


def _err(message: str, style: str = "") -> None:
    from .cli import _console, _plain

    _console(stderr=True).print(_plain(message), style=style or None)


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
            _err(f"reader add: {printable(result.source)}: {printable(result.problem)}", "yellow")
        elif not args.json:
            sys.stdout.write(printable(result.id) + "\n")
            _err(f"added {printable(result.path)}: {printable(result.title)}")
    if report is not None:
        for warning in report.warnings:
            _err(f"warning: {printable(warning)}", "yellow")
    return EXIT_OK if all(r.id for r in results) else EXIT_FAILED


HANDLERS = {
    "add": cmd_add,
}
