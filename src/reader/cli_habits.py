"""The commands that fit reader into a user's setup: ``config``, ``completion``, ``show``, ``help``.

Kept apart from ``cli.py`` (which registers them through :func:`add_parsers`
and :data:`HANDLERS`); same conventions: results on stdout, one line per
problem on stderr, article text printed as Rich ``Text``, never markup.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .cli_output import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from .model import ENTITY_KINDS
from .text.controls import printable

if TYPE_CHECKING:
    from .library import Library

SHELLS = ("bash", "zsh", "fish")

#: Entity kind -> colour in ``reader show`` on a terminal (NO_COLOR and TERM=dumb drop it; Rich honours both).
KIND_STYLES = {"person": "cyan", "org": "magenta", "place": "green", "group": "yellow"}


def add_parsers(commands: Any) -> None:
    config = commands.add_parser(
        "config",
        help="where the config file is, what it sets, and editing it",
        description="reader reads a TOML config file (see `reader help config`). "
        "Flags win over READER_* environment variables, which win over the file, which wins over the defaults.",
    )
    actions = config.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser("path", help="print the config file's path")
    show = actions.add_parser("show", help="the effective settings and where each came from")
    show.add_argument("--json", action="store_true", help="print JSON")
    actions.add_parser("edit", help="open the config file in $VISUAL or $EDITOR (made from a template if missing)")

    completion = commands.add_parser(
        "completion",
        help="print a shell completion script (bash, zsh, fish)",
        description='Print a completion script. bash: `eval "$(reader completion bash)"` in ~/.bashrc; '
        'zsh: `eval "$(reader completion zsh)"` in ~/.zshrc; '
        "fish: `reader completion fish > ~/.config/fish/completions/reader.fish`.",
    )
    completion.add_argument("shell", choices=SHELLS)

    show_article = commands.add_parser(
        "show",
        help="print an article as text (for less, grep, pipes)",
        description="Print one article: title, date, source, authors, link, then the text. "
        "Wrapped and with entities in colour on a terminal; plain, one paragraph a line, when piped. "
        "NO_COLOR and TERM=dumb turn colour off.",
    )
    show_article.add_argument("article", metavar="ARTICLE_ID")

    status = commands.add_parser(
        "status",
        help="where every file is: config, articles, index, your bookmarks and notes, the debug log",
        description="Print where reader reads and writes, whether each exists, and where each path came from; "
        "which search backend is in use (the local index or an OpenSearch cluster), its index and how many articles it holds. "
        "The user-state database (bookmarks, feeds, read marks, curation) cannot be rebuilt: back it up.",
    )
    status.add_argument("--json", action="store_true", help="print one JSON object")

    names = commands.add_parser(NAMES_COMMAND)  # no help: not listed; for the completion scripts
    names.add_argument("--shell", choices=SHELLS, default="bash")
    names.add_argument("kind", choices=("feeds", "entities"))
    names.add_argument("prefix", nargs="?", default="")

    topics = commands.add_parser("help", help="read about a topic: query, config, keys", description="Help on a topic.")
    topics.add_argument("topic", nargs="?", choices=sorted(HELP_TOPICS), help="query, config or keys")


# -- config --------------------------------------------------------------------


def cmd_config(library: Library, args: argparse.Namespace) -> int:
    from .cli_output import console_for as _console
    from .cli_output import plain as _plain
    from .config import TEMPLATE, load_config
    from .editor import EditorFailed, run_editor

    settings = args.settings
    path = settings.config.path
    if args.action == "path":
        sys.stdout.write(f"{path}\n")
        return EXIT_OK
    if args.action == "show":
        if args.json:
            rows = {name: {"value": value, "from": origin} for name, value, origin in settings.rows()}
            payload = {
                "config": str(path),
                "exists": settings.config.exists,
                "settings": rows,
                "problems": settings.config.problems,
            }
            sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
        else:
            # plain lines, never wrapped: paths stay whole for copying
            state = "" if settings.config.exists else " (not there: every value is a default)"
            lines = [f"config file: {printable(str(path))}{state}"]
            rows = settings.rows()
            width = max(len(name) for name, _, _ in rows)
            for name, value, origin in rows:
                if isinstance(value, dict):
                    shown = ", ".join(f"{k}={v}" for k, v in value.items())
                elif isinstance(value, list):
                    shown = ", ".join(value)
                else:
                    shown = str(value)
                lines.append(f"{name:<{width}} {printable(shown or '-')}    ({printable(origin)})")
            sys.stdout.write("\n".join(lines) + "\n")
        err = _console(stderr=True)
        for problem in settings.config.problems:
            err.print(_plain(f"reader: {printable(problem)}"), style="yellow")
        return EXIT_USAGE if settings.config.problems else EXIT_OK
    # edit
    err = _console(stderr=True)
    if not path.exists():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(TEMPLATE, encoding="utf-8")
        except OSError as error:
            err.print(_plain(f"reader: cannot create {path}: {error.strerror or error}"))
            return EXIT_USAGE
    try:
        run_editor(path)
    except EditorFailed as error:
        err.print(_plain(f"reader: {error}"))
        return EXIT_USAGE
    problems = load_config(path).problems
    for problem in problems:
        err.print(_plain(f"reader: {printable(problem)}"), style="yellow")
    return EXIT_USAGE if problems else EXIT_OK


# -- completion ----------------------------------------------------------------

#: Where a word is a feed or entity name: command path -> which names (asked of `reader __names`).
NAME_SLOTS = {
    "fetch": "feeds",
    "feeds remove": "feeds",
    "entities": "entities",
    **{f"entities {verb}": "entities" for verb in ("show", "hide", "unhide", "rename", "kind", "merge")},
}
#: Options whose value is a name.
NAME_OPTIONS = {"--entity": "entities", "--into": "entities"}
#: Slots that take several names (``reader fetch a b``).
MANY_NAMES = ("fetch", "entities merge")
NAMES_COMMAND = "__names"  # hidden: prints names for completion, never an error


def _tree(parser: argparse.ArgumentParser) -> tuple[list[str], dict[str, Any]]:
    """A parser's options and its subcommands' trees (argparse has no public walk).

    ``entities-merge`` (how argparse holds ``entities merge``, see cli_entities.route)
    is shown as ``merge`` under ``entities``; hidden commands (``__names``) are left out.
    """
    options: list[str] = []
    children: dict[str, Any] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                if not name.startswith("_"):
                    children[name] = _tree(sub)
        else:
            options.extend(o for o in action.option_strings if o.startswith("--"))
    for name in [n for n in children if "-" in n]:
        parent, _, verb = name.partition("-")
        if parent in children:
            children[parent][1][verb] = children.pop(name)
    return sorted(set(options)), children


def _flatten(tree: tuple[list[str], dict[str, Any]], path: tuple[str, ...] = ()) -> list[tuple[str, list[str]]]:
    """``(command path, words that may follow it)`` for every level."""
    options, children = tree
    rows = [(" ".join(path), sorted(children) + options)]
    for name, child in sorted(children.items()):
        rows.extend(_flatten(child, (*path, name)))
    return rows


def _fish_script(rows: list[tuple[str, list[str]]]) -> str:
    lines = ["# reader completion for fish", "complete -c reader -f"]
    for path, words in rows:
        condition = f"__fish_reader_at '{path}'"
        for word in words:
            if word.startswith("--"):
                lines.append(f'complete -c reader -n "{condition}" -l {word[2:]}')
            else:
                lines.append(f'complete -c reader -n "{condition}" -a {word}')
        if path in NAME_SLOTS:
            lines.append(
                f'complete -c reader -n "{condition}" -a "(__fish_reader_names {NAME_SLOTS[path]})"'
            )
    for option, kind in NAME_OPTIONS.items():
        lines.append(f'complete -c reader -l {option[2:]} -x -a "(__fish_reader_names {kind})"')
    helper = (
        "function __fish_reader_at\n"
        "    set -l words (commandline -opc)\n"
        "    set -e words[1]\n"
        "    set -l commands\n"
        "    set -l skip 0\n"
        "    for w in $words\n"
        "        if test $skip = 1\n"
        "            set skip 0\n"
        "        else if contains -- $w --articles --index\n"
        "            set skip 1\n"
        "        else if not string match -q -- '-*' $w\n"
        "            set commands $commands $w\n"
        "        end\n"
        "    end\n"
        '    test "$commands" = "$argv[1]"\n'
        "end\n"
        "function __fish_reader_names\n"
        "    set -l words (commandline -opc)\n"
        "    set -l paths\n"
        "    for i in (seq 2 (count $words))\n"
        "        if contains -- $words[$i] --articles --index; and test $i -lt (count $words)\n"
        "            set paths $paths $words[$i] $words[(math $i + 1)]\n"
        "        end\n"
        "    end\n"
        f"    $words[1] $paths {NAMES_COMMAND} --shell fish $argv[1] -- (commandline -ct) 2>/dev/null\n"
        "end\n"
    )
    return helper + "\n".join(lines) + "\n"


def completion_script(shell: str, parser: argparse.ArgumentParser) -> str:
    """Subcommands and options from a static table (no Python run per TAB); feed and
    entity names from ``reader __names`` (one SQLite read) only where a name goes."""
    rows = _flatten(_tree(parser))
    if shell == "fish":
        return _fish_script(rows)
    cases = "\n".join(f"        '{path}') words='{' '.join(words)}' ;;" for path, words in rows)
    patterns = {path: f"'{path}'|'{path} '*" if path in MANY_NAMES else f"'{path}'" for path in NAME_SLOTS}
    slots = "\n".join(f"        {patterns[path]}) names={kind} ;;" for path, kind in NAME_SLOTS.items())
    options = "|".join(NAME_OPTIONS)
    body = f"""\
_reader_complete() {{
    local cur prev path w i names=""
    local -a paths=()
    cur="${{COMP_WORDS[COMP_CWORD]}}"
    prev="${{COMP_WORDS[COMP_CWORD-1]}}"
    path=""
    for ((i = 1; i < COMP_CWORD; i++)); do
        w="${{COMP_WORDS[i]}}"
        case "$w" in
            --articles|--index) paths+=("$w" "${{COMP_WORDS[i+1]}}"); ((i++)) ;;
            {options}) ((i++)) ;;
            -*) ;;
            *) path="${{path:+$path }}$w" ;;
        esac
    done
    case "$prev" in
        {options}) names=entities ;;
        --kind) COMPREPLY=($(compgen -W '{" ".join(ENTITY_KINDS)}' -- "$cur")); return ;;
        --articles|--index) COMPREPLY=($(compgen -d -- "$cur")); return ;;
    esac
    local words=""
    if [[ -z "$names" ]]; then
        case "$path" in
{cases}
        esac
        if [[ "$cur" != -* ]]; then
            case "$path" in
{slots}
            esac
        fi
    fi
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
    if [[ -n "$names" ]]; then
        local IFS=$'\\n'
        COMPREPLY+=($("${{COMP_WORDS[0]}}" "${{paths[@]}}" {NAMES_COMMAND} "$names" -- "$cur" 2>/dev/null))
    fi
}}
"""
    if shell == "bash":
        return "# reader completion for bash\n" + body + "complete -o default -F _reader_complete reader\n"
    return (
        "# reader completion for zsh (uses bash completion)\n"
        "autoload -U +X bashcompinit && bashcompinit\n" + body + "complete -o default -F _reader_complete reader\n"
    )


def cmd_completion(library: Library, args: argparse.Namespace) -> int:
    from .cli import build_parser

    sys.stdout.write(completion_script(args.shell, build_parser()))
    return EXIT_OK


_SHELL_SPECIAL = re.compile(r"""([\s\\'"$`!&|;()<>*?\[\]{}#~])""")


def _names(library: Library, kind: str) -> list[str]:
    """Feed or entity names, read without creating anything (nothing when there is nothing yet)."""
    if kind == "feeds":
        return [feed.name for feed in library.bookmarks.feeds()] if library.has_user_state() else []
    if not library.store.exists():
        return []
    return [entity.name for entity in library.entities()]


def cmd_names(library: Library, args: argparse.Namespace) -> int:
    """``reader __names feeds|entities -- PREFIX``: one name a line, for the completion scripts.
    Silent and successful whatever happens: a TAB must never print an error."""
    typed = args.prefix.replace("\\", "") if args.shell == "bash" else args.prefix
    folded = typed.casefold()
    try:
        names = _names(library, args.kind)
    except Exception:  # noqa: BLE001 - no index, a busy store...: no names, no message
        return EXIT_OK
    for name in names:
        if name.casefold().startswith(folded) and name.isprintable():
            sys.stdout.write((_SHELL_SPECIAL.sub(r"\\\1", name) if args.shell == "bash" else name) + "\n")
    return EXIT_OK


# -- show ----------------------------------------------------------------------


def cmd_show(library: Library, args: argparse.Namespace) -> int:
    from rich.text import Text

    from .cli import ensure_index
    from .cli_output import console_for as _console
    from .cli_output import plain as _plain
    from .errors import ArticleNotFound

    status = ensure_index(library, args.settings)
    if status:
        return status
    try:
        article = library.article(args.article)
    except ArticleNotFound:
        _console(stderr=True).print(
            _plain(f"reader: no article with id {printable(args.article)!r} (see `reader search` for ids)")
        )
        return EXIT_FAILED
    out = _console()
    piped = not out.is_terminal
    preferences = args.settings.preferences  # the config file's wrap_width and highlight
    if not piped:
        out.width = min(out.width, preferences.wrap_width)
    out.print(Text(printable(article.title or article.id), style="bold"), soft_wrap=piped)
    meta = [article.date, article.source, ", ".join(article.authors)]
    meta_line = " · ".join(printable(part) for part in meta if part)
    if meta_line:
        out.print(Text(meta_line, style="dim"), soft_wrap=piped)
    out.print(Text(printable(article.url or article.path), style="dim"), soft_wrap=piped)
    offsets = article.paragraph_offsets()
    for start, paragraph in zip(offsets, article.paragraphs, strict=True):
        text = Text(printable(paragraph))
        if not piped:
            end = start + len(paragraph)
            for mention in article.mentions:
                if mention.kind not in preferences.highlight:
                    continue
                if start <= mention.start and mention.end <= end and len(printable(paragraph)) == len(paragraph):
                    text.stylize(KIND_STYLES.get(mention.kind, "bold"), mention.start - start, mention.end - start)
        out.print()
        out.print(text, soft_wrap=piped)
    return EXIT_OK


# -- status ----------------------------------------------------------------------


def cmd_status(library: Library, args: argparse.Namespace) -> int:
    from .config import CONFIG_ENV
    from .debuglog import log_path

    settings = args.settings
    user_state, elsewhere = settings.user_state_places()
    place = "beside the index" if settings.user_data.value == "index" else "the platform's data folder"
    rows = [
        ("config", settings.config.path, "from READER_CONFIG" if os.environ.get(CONFIG_ENV) else "the platform's config folder"),
        ("articles", settings.articles.value, settings.articles.origin),
        ("index", settings.index.value, settings.index.origin),
        (
            "user data",
            user_state,
            f"bookmarks, feeds, read marks, curation, saved searches: cannot be rebuilt; {place}, "
            f"user_data from {settings.user_data.origin}",
        ),
    ]
    if os.path.exists(elsewhere):
        rows.append(("also", elsewhere, "user data in the other place: the next command moves it, or refuses if both differ"))
    rows.append(("debug log", log_path(), "READER_STATE_DIR moves it"))
    search = library.status()
    if getattr(args, "json", False):
        paths = {name: {"path": os.path.abspath(path), "exists": os.path.exists(path)} for name, path, _ in rows}
        backend = {"backend": search.backend, "location": search.location, "articles": search.articles, "problem": search.problem}
        sys.stdout.write(json.dumps({**backend, "paths": paths}, ensure_ascii=False) + "\n")
        return EXIT_OK
    lines = []
    for name, path, note in rows:
        where = os.path.abspath(path)
        state = "" if os.path.exists(where) else "  (not there yet)"
        lines.append(f"{name:<10} {printable(where)}{state}    ({printable(note)})")
    held = f"{search.articles} articles" if not search.problem else printable(search.problem)
    lines.append(f"{'search':<10} {search.backend}: {printable(search.location)}    ({held})")
    sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_OK


# -- help topics ---------------------------------------------------------------


CONFIG_HELP = """\
reader config file

Where: `reader config path` (platformdirs: $XDG_CONFIG_HOME/reader/config.toml on
Linux; READER_CONFIG names another file). Format: TOML. Create or open it with
`reader config edit` ($VISUAL, else $EDITOR, else vi).

  articles = "~/news"       the articles folder; `reader` then works from any folder
  index = "~/news-index"    the index folder (bookmarks live in it)
  theme = "light"           dark or light
  wrap_width = 76           widest line of article text (the app, `reader show`), 20-400
  highlight = ["person", "org"]   entity kinds coloured in the text
                            (person org place group money percent date other)
  user_data = "data"        where bookmarks, feeds and read marks live: "index"
                            (beside the index, the default) or "data" (the platform's
                            data folder). Changing it moves the file on the next
                            command, keeping the old one as bookmarks.sqlite.moved-*.bak;
                            if both places hold different files reader refuses.

  [feeds]
  timeout = 120             seconds one feed may take, its articles included
  concurrency = 4           feeds fetched at the same time (1-32)

  [keys]                    key overrides by binding id (`reader help keys` lists them)
  "main.search" = "slash,ctrl+f"

  [search]                  a team archive on an OpenSearch cluster (README: Team archives)
  backend = "opensearch"    or "whoosh" (the default: the local index)
  url = "https://search.example.org:9200"   index = "reader"   user = "alice"
  password_file = "~/.config/reader/opensearch-password"   verify = true   ca = "..."
  (READER_OPENSEARCH_URL, _INDEX, _USER, _PASSWORD(_FILE), _VERIFY, _CA win over these)

Relative paths are relative to the config file's folder; ~ is your home.
Which value wins: a flag (--articles, --index), then the environment
(READER_ARTICLES, READER_INDEX, READER_THEME), then this file, then the
defaults (./articles, ./index, dark). `reader config show` prints each value
and where it came from.

A mistake in the file (an unknown key, a wrong type, a file that cannot be
read or parsed) is one line on stderr naming the file, line and key, with a
suggestion for a misspelt key; reader carries on with the defaults for it.
"""


def _query_help() -> str:
    from .cli import QUERY_HELP

    return "reader query language\n\n" + QUERY_HELP


def _config_help() -> str:
    return CONFIG_HELP


def _keys_help() -> str:
    from .app.keymap import keys_table

    rows = keys_table()
    width = max(len(binding_id) for binding_id, _, _ in rows)
    lines = [f"{binding_id:<{width}}  {keys:<22} {description}" for binding_id, keys, description in rows]
    return (
        "reader keys, by binding id (override them in the config file's [keys] table)\n\n"
        + "\n".join(lines)
        + "\n"
    )


HELP_TOPICS: dict[str, Callable[[], str]] = {"query": _query_help, "config": _config_help, "keys": _keys_help}


def cmd_help(library: Library, args: argparse.Namespace) -> int:
    if not args.topic:
        from .cli import build_parser

        build_parser().print_help()
        sys.stdout.write("\ntopics: reader help query, reader help config, reader help keys\n")
        return EXIT_OK
    sys.stdout.write(HELP_TOPICS[args.topic]())
    return EXIT_OK


HANDLERS = {
    NAMES_COMMAND: cmd_names,
    "status": cmd_status,
    "config": cmd_config,
    "completion": cmd_completion,
    "show": cmd_show,
    "help": cmd_help,
}
