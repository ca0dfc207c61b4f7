"""The ``reader`` command: argparse for the words, Rich for the output.

Results go to stdout, messages to stderr. Exit status: 0 success, 1 nothing
found, 2 a usage or query error. Article text is always handed to Rich as
``Text`` objects, never as markup. Nothing here imports Textual or spaCy
unless the subcommand needs them.

Why this file is over ~500 lines: it holds the parser of every command (about
110 lines, one table a reader can scan) and the handlers of the core commands
(app, index, search, entities, extract, bookmarks). The other command groups live
in ``cli_web``, ``cli_saved``, ``cli_entities`` and ``cli_habits``; printing in
``cli_output``.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from . import __version__, cli_entities, cli_habits, cli_saved, cli_web
from .backend import uses_cluster
from .cli_output import (
    EXIT_NOTHING,
    EXIT_OK,
    EXIT_USAGE,
    LazyProgress,
    as_json,
    console_for,
    plain,
    print_bookmarks,
    print_explanation,
    print_results,
    shown,
)
from .cli_parsers import LazySubcommands
from .config import Settings, load_config, resolve
from .console import (
    OutputFailed,
    ReaderConsole,
    Terminated,
    check_terminated,
    discard_stdout,
    flush_stdout,
    guarded_streams,
    interrupts_ignored,
    signals_as_exceptions,
)
from .errors import ArticleNotFound, ArticlesFolderMissing, IndexCorrupt, IndexProblem
from .library import ARTICLES_ENV, INDEX_ENV, Library, QueryError
from .model import ENTITY_KIND_LABELS, ENTITY_KINDS
from .text.controls import printable, strip_controls, valid_unicode

if TYPE_CHECKING:

    from .bookmarks import BookmarkStore

DEBUG_ENV = "READER_DEBUG"

QUERY_HELP = """\
query syntax:
  cloud computing          all words (stemmed: "computing" finds "compute")
  trade OR tariff          either word        NOT huawei / -huawei   exclude
  "trade secrets"          exact phrase       lighth*                prefix
  Lightizer~               fuzzy (one edit; ~2 for two)
  title:deal  author:wei  source:reuters  tag:tech
  date:2019-03  date:[2019-01 to 2019-06]
  person:lighthizer  org:amazon  place:beijing  group:chinese
  =computing  ="trade talks"   exactly as written (no stemming; case ignored)
Up to three words must all match. Longer queries rank articles with most of
the words first (graded); "No article has every word" says when none has all.
"""

TEAM_HELP = """team archives (an OpenSearch cluster instead of the local index):
  READER_OPENSEARCH_URL=http://host:9200 (several nodes: comma-separated)
  READER_OPENSEARCH_USER, READER_OPENSEARCH_PASSWORD or READER_OPENSEARCH_PASSWORD_FILE
  READER_OPENSEARCH_INDEX (index name prefix, default "reader"); TLS verified unless READER_OPENSEARCH_VERIFY=0
  a local two-node test cluster: python tests/opensearch/cluster.py  (needs Java 17 and Maven)
Bookmarks and read marks stay in the local index folder whichever is used.
"""


class _Parser(argparse.ArgumentParser):
    """argparse whose errors are one line on stderr (not usage plus error), as the README says."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {printable(message)} (see: {self.prog} --help)\n")


def build_parser(*, lazy: bool = True) -> argparse.ArgumentParser:
    """Every command's parser; ``lazy``: each subcommand's is built when first used (cli_parsers.py)."""
    parser = _Parser(
        prog="reader",
        description="A terminal reader for a local collection of news articles. "
        "With no command, opens the reader app.",
        epilog=QUERY_HELP + "\n" + TEAM_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"reader {__version__}")
    parser.add_argument(
        "--articles", metavar="DIR", help=f"articles folder (env {ARTICLES_ENV}, config `articles`; default ./articles)"
    )
    parser.add_argument("--index", metavar="DIR", help=f"index folder (env {INDEX_ENV}, config `index`; default ./index)")
    if lazy:
        parser.register("action", "parsers", LazySubcommands)
    commands: Any = parser.add_subparsers(dest="command", metavar="COMMAND")  # declares, or builds when not lazy

    index = commands.add_parser("index", help="bring the index up to date with the articles folder")
    index.add_argument("--rebuild", action="store_true", help="start the search index over (bookmarks are kept)")
    index.add_argument("--no-entities", action="store_true", help="index the text only (entities: a later `reader index`)")
    index.add_argument("--no-merge", action="store_true", help="leave the index's segments unmerged after the sync")
    index.add_argument("--verify", action="store_true", help="read every file again (finds changes that kept size and time)")
    index.add_argument(
        "--allow-empty", action="store_true", help="let an articles folder with no articles empty the index"
    )
    index.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    index.add_argument(
        "--part", type=_part, metavar="I/N", help="a cluster only: index the articles whose id hashes to part I of N"
    )

    search = commands.add_parser(
        "search", help="search the articles", epilog=QUERY_HELP, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    search.add_argument("query", nargs="+", help="the query (words are joined)")
    search.add_argument("-n", "--limit", type=int, default=10, help="how many hits (default 10)")
    search.add_argument("--offset", type=int, default=0, metavar="K", help="skip the first K hits (the next page)")
    search.add_argument(
        "--sort", choices=("relevance", "date"), default="relevance", help="best first (default), or newest first"
    )
    search.add_argument("--json", action="store_true", help="print one JSON object")
    search.add_argument("--explain", action="store_true", help="show how the query was understood and why each hit ranks")
    search.add_argument("--exact", action="store_true", help="the whole query exactly as written (as if each word were =word)")
    search.add_argument(
        "--count", action="store_true", help="count every match even when that is slow (phrases); otherwise N+ results"
    )

    entities = commands.add_parser(
        "entities",
        help="list people, organisations, places ... or one entity's page; correct them",
        epilog=cli_entities.VERBS_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    entities.add_argument("name", nargs="?", help="an entity name: its page (as `entities show NAME`)")
    entities.add_argument("--kind", choices=ENTITY_KINDS, help="only this kind")
    entities.add_argument("--article", metavar="ID", help="only entities of this article")
    entities.add_argument(
        "-n", "--limit", type=int, default=0, help="at most this many rows (default all; with a NAME: articles, default 10)"
    )
    entities.add_argument("--json", action="store_true", help="print JSON")

    extract = commands.add_parser(
        "extract",
        help="run entity extraction on plain-text files",
        description="Find the people, organisations, places ... in plain-text files (not the index): "
        "one JSON line per file with each mention's text, kind and offsets. spaCy when installed, else rules.",
    )
    extract.add_argument("files", nargs="+", metavar="FILE")
    extract.add_argument("--json", action="store_true", help="one JSON line per file (the default)")
    extract.add_argument("--rules", action="store_true", help="use the rule-based extractor, not spaCy")

    bookmarks = commands.add_parser("bookmarks", help="add, list, export and import bookmarked passages")
    actions = bookmarks.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="bookmark a passage (the quote must occur in the article)")
    add.add_argument("article", metavar="ARTICLE_ID")
    add.add_argument("--quote", required=True, help="the exact passage")
    add.add_argument("--note", default="", help="a note to keep with it")
    add.add_argument("--tag", action="append", default=[], help="a tag (repeat for more)")
    listing = actions.add_parser("list", help="list bookmarks, newest first")
    listing.add_argument("--tag", help="only bookmarks with this tag")
    listing.add_argument("--article", metavar="ID", help="only bookmarks of this article")
    listing.add_argument("--text", help="only bookmarks whose quote, note, tags or title have these words")
    listing.add_argument("--orphaned", action="store_true", help="only bookmarks whose passage is no longer found")
    listing.add_argument("--entity", metavar="NAME", help="only bookmarks in articles that mention this entity")
    listing.add_argument("--json", action="store_true", help="print JSON")
    export = actions.add_parser("export", help="print all bookmarks as Markdown or JSON")
    export.add_argument("--format", choices=("markdown", "json"), default="markdown")
    export.add_argument("--tag", help="only bookmarks with this tag")
    importing = actions.add_parser("import", help="merge bookmarks from an exported JSON file (no duplicates)")
    importing.add_argument("file", metavar="FILE.json")
    edit = actions.add_parser(
        "edit",
        help="change a bookmark's note (in $VISUAL/$EDITOR) or tags",
        description="With --note or --tag, set them; with neither, open the note in $VISUAL, else $EDITOR, "
        "else vi. An editor that exits non-zero leaves the note as it was.",
    )
    edit.add_argument("id")
    edit.add_argument("--note", help="the new note (instead of opening the editor)")
    edit.add_argument("--tag", action="append", help="the new tags (repeat for more; replaces the old ones)")
    delete = actions.add_parser("delete", help="delete a bookmark (undo with `bookmarks undo ID`)")
    delete.add_argument("id")
    undo = actions.add_parser("undo", help="bring back a deleted bookmark")
    undo.add_argument("id")

    commands.add_parser(
        "app", help="open the reader app (the default)", description="Open the reader app on the articles folder."
    )
    cli_web.add_parsers(commands)
    cli_entities.add_parsers(commands)
    cli_habits.add_parsers(commands)
    cli_saved.add_parsers(commands)
    _accept_path_options_anywhere(parser)
    _describe_subcommands(parser)
    return parser


def _describe_subcommands(parser: argparse.ArgumentParser) -> None:
    """``reader X --help`` says what X does: a subcommand without a description of its
    own gets the one-line help its parent lists it with (argparse shows only the latter)."""
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction):
            continue
        helps = {choice.dest: str(choice.help) for choice in action._choices_actions if choice.help}

        def describe(name: str, sub: argparse.ArgumentParser, helps: dict[str, str] = helps) -> None:
            if not sub.description and helps.get(name):
                sub.description = helps[name][:1].upper() + helps[name][1:] + "."
            _describe_subcommands(sub)

        _each_subparser(action, describe)


def _each_subparser(action: argparse._SubParsersAction, step: Any) -> None:  # type: ignore[type-arg]
    """``step(name, parser)`` for each subcommand of ``action``: now, or as each is built when built on use."""
    if isinstance(action, LazySubcommands):
        action.when_built(step)
        return
    for name, sub in action.choices.items():
        step(name, sub)


def _accept_path_options_anywhere(parser: argparse.ArgumentParser) -> None:
    """``reader index --articles ~/news`` as well as ``reader --articles ~/news index``.

    Every subcommand gets the two path options with a suppressed default, so
    a value given after the command overrides one given before it and an
    absent one leaves the top-level value alone. argparse has no public way
    to list subparsers, hence ``_SubParsersAction``.
    """
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            _each_subparser(action, _with_path_options)


def _with_path_options(_name: str, sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--articles", metavar="DIR", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    sub.add_argument("--index", metavar="DIR", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    _accept_path_options_anywhere(sub)


def main(argv: Sequence[str] | None = None) -> int:
    with guarded_streams(), signals_as_exceptions():
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(cli_entities.route(sys.argv[1:] if argv is None else argv))
    except SystemExit as exit:
        return int(exit.code or 0)
    _repair_text_arguments(args)
    command = args.command or "app"
    settings = _settings(args, quiet=command == cli_habits.NAMES_COMMAND)  # a TAB prints nothing but names
    if command in _NEED_ARTICLES and not settings.index.value.exists() and not uses_cluster():
        # first run somewhere else: say where we looked, create nothing (no ./index); a team
        # archive's reader needs no articles folder
        if not settings.articles.value.is_dir():
            _say(no_articles_message(settings))
            return EXIT_USAGE
        if command in _NEED_ARTICLE_FILES and not _has_articles(settings.articles.value):
            _say(no_articles_message(settings, empty=True))
            return EXIT_USAGE
    user_state, elsewhere = settings.user_state_places()
    if command not in _NO_USER_STATE:
        status = _place_user_state(user_state, elsewhere)
        if status:
            return status
    library = Library(settings.articles.value, settings.index.value, user_state=user_state)
    args.settings = settings
    try:
        try:
            status = _HANDLERS[command](library, args)
            check_terminated()
            flush_stdout()
            return status
        finally:
            with interrupts_ignored():
                try:
                    library.close()
                except Exception:  # noqa: BLE001 - closing a damaged index must not turn into a traceback
                    pass
    except KeyboardInterrupt:
        _say(_interrupted("interrupted", command))
        return 130
    except Terminated as stop:
        _say(_interrupted(f"stopped by {stop.name}", command))
        return 128 + stop.signum
    except BrokenPipeError:
        discard_stdout()  # the reader of our output has gone: not an error
        return EXIT_OK
    except OutputFailed as error:
        discard_stdout()
        _say(f"reader: cannot write the results: {error}")
        return EXIT_USAGE
    except IndexProblem as error:
        hint = "; `reader index` rebuilds it from the articles folder" if isinstance(error, IndexCorrupt) else ""
        _say(f"reader: {error}{hint}")
        return EXIT_USAGE
    except RecursionError:
        _say("reader: the input is nested too deeply to read")
        return EXIT_USAGE
    except Exception as error:  # noqa: BLE001 - one line, never a traceback (unless asked for)
        if os.environ.get(DEBUG_ENV):
            raise
        from .debuglog import display_path, log_exception, log_path

        log_exception(f"running `reader {command}`", error)
        _say(
            f"reader: unexpected error: {type(error).__name__}: {error} "
            f"(the traceback is in {display_path(log_path())}; {DEBUG_ENV}=1 prints it)"
        )
        return EXIT_USAGE


#: Arguments that are paths: undecodable bytes in them name a real file and are kept.
_PATH_ARGUMENTS = frozenset({"articles", "index", "files", "file", "sources"})


def _repair_text_arguments(args: argparse.Namespace) -> None:
    """Words, names, ids, quotes and notes with undecodable bytes (lone surrogates
    in argv) get U+FFFD: nothing downstream (SQLite, Whoosh, the terminal) can
    encode a lone surrogate, and no stored text can contain one."""
    for name, value in vars(args).items():
        if name in _PATH_ARGUMENTS:
            continue
        if isinstance(value, str):
            setattr(args, name, valid_unicode(value))
        elif isinstance(value, list):
            setattr(args, name, [valid_unicode(item) if isinstance(item, str) else item for item in value])


def _interrupted(what: str, command: str) -> str:
    if command == "index":
        return f"reader: {what}; the index keeps what was finished, `reader index` carries on"
    return f"reader: {what}"


def _say(message: str) -> None:
    """One line on stderr, whatever state the terminal or the pipe is in."""
    try:
        console_for(stderr=True).print(plain(message))
    except Exception:  # noqa: BLE001 - stderr itself is gone: nothing left to tell
        pass


#: Commands that never open the user-state database (so never move it either).
_NO_USER_STATE = frozenset({"config", "completion", "help", "status", "extract", cli_habits.NAMES_COMMAND})


def _place_user_state(chosen: Path, other: Path) -> int:
    """Move the user-state database to where the config's ``user_data`` puts it (one line when it moves)."""
    import sqlite3

    from .bookmarks.location import UserStateConflict, place_user_state

    try:
        note = place_user_state(chosen, other)
    except UserStateConflict as conflict:
        _say(f"reader: {printable(str(conflict))}")
        return EXIT_USAGE
    except (OSError, sqlite3.Error) as error:
        moving = f"from {printable(str(other))} to {printable(str(chosen))}"
        _say(f"reader: cannot move your user data {moving}: {printable(str(error))}; nothing was changed")
        return EXIT_USAGE
    if note:
        _say(printable(note))
    return EXIT_OK


#: Commands with nothing to do without an articles folder or an index (add and fetch make the folder).
_NEED_ARTICLES = frozenset({"app", "index", "search", "show", "entities", "bookmarks"})


#: Of those, the ones with nothing to show before the folder holds an article (bookmarks and
#: curation can still be listed from an index kept elsewhere).
_NEED_ARTICLE_FILES = frozenset({"app", "index", "search", "show", "entities"})


def _has_articles(folder: Path) -> bool:
    """At least one article file in ``folder`` (the walk stops at the first)."""
    from .ingest import scan_articles

    return next(iter(scan_articles(folder)), None) is not None


def no_articles_message(settings: Settings, *, empty: bool = False) -> str:
    """Where reader looked for articles and the three ways to point it elsewhere
    (``empty``: the folder is there but holds no article yet)."""
    articles = settings.articles
    where = os.path.abspath(articles.value)
    why = "the default, in the current folder" if articles.origin == "default" else f"from {articles.origin}"
    found = (
        f"the articles folder {printable(where)} ({printable(why)}) has no articles yet (.txt, .md, .html): "
        "put some there, or `reader add URL` / `reader feeds add URL`, or"
        if empty
        else f"no articles folder at {printable(where)} ({printable(why)});"
    )
    return (
        f"reader: {found} point reader at yours with "
        f"--articles DIR, READER_ARTICLES=DIR, or articles = \"DIR\" in {printable(str(settings.config.path))} "
        "(`reader config edit`)"
    )


def _settings(args: argparse.Namespace, *, quiet: bool = False) -> Settings:
    """Flags, environment, config file, defaults; each config problem is one line on stderr."""
    from .config import environment_problems

    config = load_config()
    if args.command != "config" and not quiet:  # `reader config show` lists them itself
        for problem in [*config.problems, *environment_problems()]:
            _say(f"reader: {problem}")
    return resolve(articles=args.articles, index=args.index, config=config)


# -- commands ------------------------------------------------------------------


def cmd_app(library: Library, args: argparse.Namespace) -> int:
    try:
        from .app import run_app
    except ImportError:
        build_parser().print_help()
        return EXIT_OK
    library.claim_index_folder()  # a folder reader must not use: one line before the app starts
    settings = args.settings
    from .config import environment_problems

    return run_app(
        library,
        theme=settings.theme.value,
        keymap=settings.keys.value,
        preferences=settings.preferences,
        problems=[*settings.config.problems, *environment_problems()],  # stderr is behind the app's screen
    )


def _part(text: str) -> tuple[int, int]:
    from .backend import parse_part

    try:
        return parse_part(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def cmd_index(library: Library, args: argparse.Namespace) -> int:
    """Two phases: the text (searchable as soon as it is done), then the entities."""
    err = console_for(stderr=True)
    part = getattr(args, "part", None)
    if part is not None and (args.rebuild or library.store.backend_name != "opensearch"):
        why = "--rebuild switches the whole index at once" if args.rebuild else "the local index is indexed whole"
        err.print(plain(f"reader: --part is for indexing a shared cluster from several machines; {why}"))
        return EXIT_USAGE
    progress = LazyProgress(err, quiet=args.quiet)
    try:
        two_phases = library.entities_after_text  # else (a cluster) entities come in the same pass
        report = library.sync(
            rebuild=args.rebuild,
            entities=not (two_phases or args.no_entities),
            progress=progress.update,
            verify=getattr(args, "verify", False),
            allow_empty=getattr(args, "allow_empty", False),
            part=part,
        )
    except ArticlesFolderMissing:
        err.print(plain(no_articles_message(args.settings)))
        return EXIT_USAGE
    finally:
        progress.stop()
    for skipped in report.skipped:
        err.print(plain(f"skipped {skipped.path}: {skipped.reason}"), style="yellow")
    announced = getattr(args, "announced", "")
    for warning in report.warnings:
        if announced and announced in warning:
            continue  # `reader search` already said why it rebuilds
        err.print(plain(f"warning: {warning}"), style="yellow")
    if not args.quiet:
        parts = [f"{len(library)} articles indexed"]
        for label, items in (("added", report.added), ("changed", report.changed), ("removed", report.removed)):
            if items:
                parts.append(f"{len(items)} {label}")
        if report.skipped:
            parts.append(f"{len(report.skipped)} skipped")
        parts.append(f"searchable in {report.seconds:.2f} s")
        err.print(plain(", ".join(parts)))
    if two_phases and args.no_entities:
        pending = library.entities_pending()
        if pending and not args.quiet:
            err.print(plain(f"entities: {pending} articles still to come (`reader index` extracts them)"))
    elif two_phases:
        _index_entities(library, args, err)
    if not getattr(args, "no_merge", False):
        started = time.perf_counter()
        before, after = library.merge_segments()
        if after < before and not args.quiet:
            err.print(plain(f"merged {before} index segments into {after} in {time.perf_counter() - started:.2f} s"))
    return EXIT_OK


def _index_entities(library: Library, args: argparse.Namespace, err: ReaderConsole) -> None:
    """The second phase of ``reader index``: entities for the articles that have none yet."""
    entity_progress = LazyProgress(err, quiet=args.quiet, label="entities")
    try:
        entities = library.extract_entities(progress=entity_progress.update)
    finally:
        entity_progress.stop()
    if not args.quiet and (entities.extracted or entities.pending):
        rate = entities.extracted / entities.seconds if entities.seconds > 0 else 0.0
        line = f"entities: {entities.extracted} articles in {entities.seconds:.2f} s ({rate:,.0f}/s, {entities.extractor})"
        if entities.pending:
            line += f"; {entities.pending} still to come"
        err.print(plain(line))


def cmd_search(library: Library, args: argparse.Namespace) -> int:
    text = " ".join(args.query)
    err = console_for(stderr=True)
    status = ensure_index(library, args.settings)
    if status:
        return status
    try:
        offset = max(0, args.offset)
        results = library.search(
            text, limit=max(1, args.limit), exact=args.exact, offset=offset, sort=args.sort, count=args.count
        )
        explanation = library.explain(text, limit=max(1, args.limit), exact=args.exact) if args.explain else None
    except QueryError as error:
        err.print(plain(f"reader: bad query: {error}"))
        return EXIT_USAGE
    if args.json:
        payload: dict[str, object] = {
            "query": results.query,
            "total": results.total,
            "counted": results.counted,
            "fallback": results.fallback,
            "graded": results.graded,
            "suggestion": results.suggestion,
            "offset": offset,
            "sort": args.sort,
            "hits": [
                {
                    "id": hit.id,
                    "path": hit.path,
                    "title": hit.title,
                    "date": hit.date,
                    "source": hit.source,
                    "score": hit.score,
                    "snippets": [snippet.marked("**", "**") for snippet in hit.snippets],
                }
                for hit in results
            ],
        }
        if explanation is not None:
            payload["explain"] = dataclasses.asdict(explanation)
        sys.stdout.write(as_json(payload, indent=2) + "\n")
        return EXIT_OK if len(results) else EXIT_NOTHING  # past the last page: 1, so a paging loop stops
    if explanation is not None:
        print_explanation(explanation)
    print_results(results, explanation, offset=offset, by_date=args.sort == "date")
    return EXIT_OK if len(results) else EXIT_NOTHING


def ensure_index(library: Library, settings: Settings) -> int:
    """Index the articles folder first when there is no usable index (search and show need one)."""
    problem = library.index_problem()
    if library.store.exists() and not problem:
        return EXIT_OK
    why = f"{problem}; rebuilding it" if problem else "no index yet; indexing the articles folder first"
    _say(f"reader: {why}")
    return cmd_index(
        library, argparse.Namespace(rebuild=False, no_entities=False, quiet=True, announced=problem, settings=settings)
    )


def cmd_entities(library: Library, args: argparse.Namespace) -> int:
    from rich.table import Table

    out = console_for()
    if args.name:  # one entity: its page, as `entities show NAME` prints it
        return cli_entities.print_page(library, args.name, kind=args.kind, as_json=args.json, limit=args.limit or 10)
    summaries = library.entities(kind=args.kind, article=args.article)
    if args.limit:
        summaries = summaries[: args.limit]
    if args.json:
        rows = [
            {"name": e.name, "kind": e.kind, "aliases": list(e.aliases), "mentions": e.mentions, "articles": e.articles}
            for e in summaries
        ]
        sys.stdout.write(as_json(rows, indent=2) + "\n")
        return EXIT_OK if rows else EXIT_NOTHING
    table = Table(box=None, header_style="bold")
    # with --article, mentions are the article's own; articles are the collection's
    counts = ("Mentions here", "Articles (all)") if args.article else ("Mentions", "Articles")
    for column in ("Entity", "Kind", *counts, "Also written"):
        table.add_column(column, justify="right" if column in counts else "left")
    for entity in summaries:
        table.add_row(
            shown(entity.name),
            shown(ENTITY_KIND_LABELS.get(entity.kind, entity.kind)),
            str(entity.mentions),
            str(entity.articles),
            shown(", ".join(entity.aliases[:4]), "dim"),
        )
    out.print(table)
    return EXIT_OK if summaries else EXIT_NOTHING


def cmd_extract(library: Library, args: argparse.Namespace) -> int:
    from .entities import extract_files, load_extractor

    status = EXIT_OK
    for item in extract_files(args.files, load_extractor("rules" if args.rules else "auto")):
        if item.get("error"):
            console_for(stderr=True).print(plain(f"skipped {printable(item['file'])}: {printable(item['error'])}"))
            status = EXIT_NOTHING
        sys.stdout.write(as_json(item) + "\n")
    return status


def cmd_bookmarks(library: Library, args: argparse.Namespace) -> int:
    from .bookmarks import BookmarkNotFound, BookmarkStoreError, QuoteNotFound
    from .bookmarks.transfer import load_document

    err = console_for(stderr=True)
    try:
        if args.action == "list" and _nothing_to_list(library):  # listing must not create the store
            sys.stdout.write("[]\n" if args.json else "")
            return EXIT_NOTHING
        store = library.bookmarks
        if args.action == "add":
            bookmark = store.add_for_article(library.article(args.article), args.quote, note=args.note, tags=args.tag)
            err.print(plain(f"bookmarked {bookmark.short_id} in {bookmark.article} at {bookmark.start}-{bookmark.end}"))
            sys.stdout.write(bookmark.short_id + "\n")
            return EXIT_OK
        if args.action == "list":
            found = store.list(tag=args.tag, article=args.article, text=args.text, orphaned=True if args.orphaned else None)
            if args.entity:
                found = cli_entities.with_entity(library, found, args.entity)
            if args.json:
                sys.stdout.write(as_json([b.to_json() for b in found], indent=2) + "\n")
            else:
                print_bookmarks(found)
            return EXIT_OK if found else EXIT_NOTHING
        if args.action == "export":
            from .citation import add_citations, details_from

            chosen = store.list(tag=args.tag) if args.tag else None
            if args.format == "json":
                document = store.export_document(chosen)
                add_citations(document["bookmarks"], details_from(library))
                sys.stdout.write(as_json(document, indent=2) + "\n")
            else:
                sys.stdout.write(strip_controls(store.export_markdown(chosen, details_from(library))))
            return EXIT_OK
        if args.action == "import":
            err.print(plain(store.import_document(load_document(args.file)).summary()))
            return EXIT_OK
        if args.action == "edit":
            return _edit_bookmark(store, args)
        if args.action == "delete":
            bookmark = store.delete(args.id)
            err.print(plain(f"deleted {bookmark.short_id} (undo: reader bookmarks undo {bookmark.short_id})"))
            return EXIT_OK
        if args.action == "undo":
            bookmark = store.undo_delete(args.id)
            err.print(plain(f"restored {bookmark.short_id}"))
            return EXIT_OK
    except ArticleNotFound:
        err.print(plain(f"reader: no article with id {args.article!r} (see `reader search` or the app for ids)"))
        return EXIT_NOTHING
    except QuoteNotFound as error:
        err.print(plain(f"reader: {error}"))
        return EXIT_NOTHING
    except BookmarkNotFound:
        err.print(plain(f"reader: no bookmark {args.id!r}"))
        return EXIT_NOTHING
    except (BookmarkStoreError, ValueError) as error:
        err.print(plain(f"reader: {error}"))
        return EXIT_USAGE
    return EXIT_USAGE


def _nothing_to_list(library: Library) -> bool:
    """No user data yet and no index folder: there is nothing to list, and nothing may be
    created to find that out. An index path reader would refuse (a file, under a file,
    inside the articles folder) is left to the store, which says why in one line."""
    index = library.index_dir
    if library.has_user_state() or index.exists() or not index.parent.is_dir():
        return False
    articles = os.path.realpath(library.articles_dir)
    return not (os.path.realpath(index) + os.sep).startswith(articles.rstrip(os.sep) + os.sep)


def _edit_bookmark(store: BookmarkStore, args: argparse.Namespace) -> int:
    """Set the note/tags given, else edit the note in the user's editor (kept as it was if that fails)."""
    from .editor import EditorFailed, edit_text

    err = console_for(stderr=True)
    note = args.note
    if note is None and args.tag is None:
        bookmark = store.get(args.id)
        try:
            note = edit_text(bookmark.note)
        except EditorFailed as error:
            err.print(plain(f"reader: {error}; the note of {bookmark.short_id} is kept as it was"))
            return EXIT_USAGE
    before = store.get(args.id)
    after = store.update(args.id, note=note, tags=args.tag)
    changed = (after.note, after.tags) != (before.note, before.tags)
    err.print(plain(f"{'updated' if changed else 'unchanged:'} {after.short_id}"))
    return EXIT_OK


_HANDLERS = {
    "bookmarks": cmd_bookmarks,
    "app": cmd_app,
    "index": cmd_index,
    "search": cmd_search,
    "entities": cmd_entities,
    "extract": cmd_extract,
    **cli_web.HANDLERS,
    **cli_entities.HANDLERS,
    **cli_habits.HANDLERS,
    **cli_saved.HANDLERS,
}




