"""The config file: where it lives, what it may say, and which value wins.

One TOML file at the platform's config location (``platformdirs``;
``$XDG_CONFIG_HOME/reader/config.toml`` on Linux), read with ``tomllib``.
Every value has an origin (flag, environment, config line, default) so
``reader config show`` can say where it came from. A bad file never stops
the reader: each problem is one line naming the file, the line and the key,
and the reader carries on with the defaults for whatever was wrong.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CONFIG_ENV = "READER_CONFIG"
ARTICLES_ENV = "READER_ARTICLES"
INDEX_ENV = "READER_INDEX"
THEME_ENV = "READER_THEME"

THEMES = ("dark", "light")
#: Where the user-state database lives: beside the index (the default) or in the platform's data folder.
USER_DATA_PLACES = ("index", "data")

#: Defaults the app and the CLI use when the config file says nothing.
WRAP_WIDTH = 76  # ~66-76 characters a line reads best
WRAP_RANGE = (20, 400)
HIGHLIGHT = ("person", "org", "place", "group")
FEED_TIMEOUT = 120.0  # seconds a feed may take, its entries' pages included
FEED_CONCURRENCY = 4  # feeds read at the same time
FEED_CONCURRENCY_MAX = 32

TEMPLATE = """\
# reader's config file (see `reader help config`).
# Paths may start with ~; relative paths are relative to this file's folder.
# Command-line flags and READER_* environment variables win over this file.

# articles = "~/news"          # the articles folder (default ./articles)
# index = "~/news-index"       # the index folder (default ./index)
# theme = "dark"               # dark or light
# wrap_width = 76              # widest line of article text, in columns
# highlight = ["person", "org", "place", "group"]   # entity kinds coloured in the text
# user_data = "index"          # bookmarks, feeds, read marks: "index" (beside it) or "data" (platform data folder)

# [feeds]
# timeout = 120                # seconds one feed may take, its articles included
# concurrency = 4              # feeds fetched at the same time

# [keys]                       # key overrides by binding id (see `?` in the app)
# "main.search" = "slash,ctrl+f"

# [search]                     # a team archive on an OpenSearch cluster (README: Team archives)
# backend = "opensearch"       # or "whoosh", the local index (the default)
# url = "https://search.example.org:9200"
# index = "reader"             # index name prefix
# user = "alice"
# password_file = "~/.config/reader/opensearch-password"
# verify = true                # TLS certificates checked
"""


def config_path() -> Path:
    """``$READER_CONFIG``, else the platform's config folder (XDG on Linux)."""
    explicit = os.environ.get(CONFIG_ENV)
    if explicit:
        return Path(explicit).expanduser()
    from platformdirs import user_config_path

    return user_config_path("reader", appauthor=False) / "config.toml"


@dataclass(frozen=True, slots=True)
class Setting:
    """One effective value and where it came from (for ``reader config show``)."""

    value: Any
    origin: str


@dataclass(slots=True)
class Config:
    """What the config file said, already validated; ``problems`` are one line each."""

    path: Path
    exists: bool = False
    values: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def origin(self, key: str) -> str:
        return self.origin_of(key, self.lines)

    def origin_of(self, key: str, lines: Mapping[str, int]) -> str:
        line = lines.get(key)
        return f"config {self.path}" + (f" line {line}" if line else "")


def _path_value(value: Any, base: Path) -> Path:
    path = Path(str(value)).expanduser()
    return path if path.is_absolute() else base / path


def _check_path(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return 'must be a folder path in quotes, like "~/news"'
    return None


def _check_theme(value: Any) -> str | None:
    if value not in THEMES:
        return f"must be one of {', '.join(THEMES)}"
    return None


def _check_wrap(value: Any) -> str | None:
    low, high = WRAP_RANGE
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return f"must be a whole number of columns from {low} to {high}"
    return None


def _check_highlight(value: Any) -> str | None:
    from .model import ENTITY_KINDS

    if not isinstance(value, list) or not all(isinstance(kind, str) for kind in value):
        return 'must be a list of entity kinds, like ["person", "org"]'
    unknown = [kind for kind in value if kind not in ENTITY_KINDS]
    if unknown:
        return f"names no entity kind {unknown[0]!r} (kinds: {', '.join(ENTITY_KINDS)})"
    return None


def _check_user_data(value: Any) -> str | None:
    if value not in USER_DATA_PLACES:
        return 'must be "index" (beside the index) or "data" (the platform\'s data folder)'
    return None


def _check_timeout(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 3600:
        return "must be seconds, a number above 0 and at most 3600"
    return None


def _check_concurrency(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= FEED_CONCURRENCY_MAX:
        return f"must be a whole number from 1 to {FEED_CONCURRENCY_MAX}"
    return None


def _check_keys(value: Any) -> str | None:
    if not isinstance(value, dict):
        return 'must be a table of binding id = "keys", like [keys] "main.search" = "slash"'
    for binding_id, keys in value.items():
        if not isinstance(keys, str) or not keys.strip():
            return f'{binding_id!r} must be keys in quotes, like "ctrl+f"'
    return None


def _check_search(value: Any) -> str | None:
    from .opensearch.config import check_search_table  # the [search] table belongs to the search backends

    return check_search_table(value)


#: key -> a check that returns why a value is wrong, or None.
SCHEMA: dict[str, Callable[[Any], str | None]] = {
    "articles": _check_path,
    "index": _check_path,
    "theme": _check_theme,
    "wrap_width": _check_wrap,
    "highlight": _check_highlight,
    "user_data": _check_user_data,
    "keys": _check_keys,
    "search": _check_search,
}

#: Tables whose keys are checked one by one: a bad one is reported and the rest still count.
SECTIONS: dict[str, dict[str, Callable[[Any], str | None]]] = {
    "feeds": {"timeout": _check_timeout, "concurrency": _check_concurrency},
}


def _describe(value: Any) -> str:
    shown = repr(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."


def _key_lines(text: str) -> dict[str, int]:
    """Line number of each top-level key, table, and ``table.key`` (tomllib does not give them)."""
    lines: dict[str, int] = {}
    table = ""
    for number, line in enumerate(text.splitlines(), start=1):
        header = re.match(r"\s*\[\s*([A-Za-z0-9_.\"' -]+?)\s*\]", line)
        if header:
            table = header.group(1).strip("\"'")
            lines.setdefault(table, number)
            continue
        key = re.match(r"\s*(\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+)\s*=", line)
        if key:
            name = key.group(1).strip("\"'")
            lines.setdefault(f"{table}.{name}" if table else name, number)
    return lines


def _unknown(name: str, known: Collection[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else f" (known keys: {', '.join(known)})"


def _accept(
    config: Config,
    checks: Mapping[str, Callable[[Any], str | None]],
    key: str,
    value: Any,
    lines: dict[str, int],
    *,
    shown: str,
    known: Collection[str],
) -> bool:
    """Whether ``key`` is known and ``value`` right (its line is then kept); else one problem line."""
    where = config.origin_of(shown, lines)
    check = checks.get(key)
    if check is None:
        config.problems.append(f"{where}: unknown key {shown!r}{_unknown(key, known)}; ignored")
        return False
    why = check(value)
    if why:
        config.problems.append(f"{where}: {shown!r} {why} (got {_describe(value)}); using the default")
        return False
    if shown in lines:
        config.lines[shown] = lines[shown]
    return True


def _check_section(config: Config, name: str, value: Any, lines: dict[str, int]) -> None:
    """Keep the good keys of a table; one line for each bad one."""
    checks = SECTIONS[name]
    if not isinstance(value, dict):
        config.problems.append(f"{config.origin_of(name, lines)}: {name!r} must be a table, like [{name}]; using the defaults")
        return
    config.values[name] = {
        key: item
        for key, item in value.items()
        if _accept(config, checks, key, item, lines, shown=f"{name}.{key}", known=list(checks))
    }


def load_config(path: Path | None = None) -> Config:
    """Read and validate the config file; a missing file is no problem."""
    path = path if path is not None else config_path()
    config = Config(path=path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return config
    except OSError as error:
        config.exists = True
        config.problems.append(f"cannot read the config file {path}: {error.strerror or error}; using the defaults")
        return config
    config.exists = True
    import tomllib  # only when there is a file: most runs have none, and a new process saves ~2 ms

    try:
        text = raw.decode("utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError:
        config.problems.append(f"config {path}: not UTF-8 text; using the defaults")
        return config
    except tomllib.TOMLDecodeError as error:
        config.problems.append(f"config {path}: {error}; using the defaults")
        return config
    lines = _key_lines(text)
    for key, value in data.items():
        if key in SECTIONS:
            _check_section(config, key, value, lines)
        elif _accept(config, SCHEMA, key, value, lines, shown=key, known=[*SCHEMA, *SECTIONS]):
            config.values[key] = value
    return config


@dataclass(frozen=True, slots=True)
class Settings:
    """The effective settings: flags, then environment, then config, then defaults."""

    articles: Setting
    index: Setting
    theme: Setting
    keys: Setting
    config: Config
    wrap_width: Setting = Setting(WRAP_WIDTH, "default")
    highlight: Setting = Setting(HIGHLIGHT, "default")
    user_data: Setting = Setting("index", "default")
    feed_timeout: Setting = Setting(FEED_TIMEOUT, "default")
    feed_concurrency: Setting = Setting(FEED_CONCURRENCY, "default")

    def _origin(self, key: str) -> str:
        return self.config.origin(key) if key in self.config.values else "default"

    def rows(self) -> list[tuple[str, Any, str]]:
        return [
            ("articles", str(self.articles.value), self.articles.origin),
            ("index", str(self.index.value), self.index.origin),
            ("theme", self.theme.value, self.theme.origin),
            ("wrap_width", self.wrap_width.value, self.wrap_width.origin),
            ("highlight", list(self.highlight.value), self.highlight.origin),
            ("user_data", self.user_data.value, self.user_data.origin),
            ("feeds.timeout", self.feed_timeout.value, self.feed_timeout.origin),
            ("feeds.concurrency", self.feed_concurrency.value, self.feed_concurrency.origin),
            ("keys", dict(self.keys.value), self.keys.origin),
            ("search", dict(self.config.values.get("search", {})), self._origin("search")),
        ]

    def user_state_places(self) -> tuple[Path, Path]:
        """The user-state database's file as ``user_data`` chooses it, and the other place it may be in."""
        from .bookmarks.database import store_path
        from .bookmarks.location import data_folder_store

        beside_index, in_data_folder = store_path(self.index.value), data_folder_store()
        if self.user_data.value == "data":
            return in_data_folder, beside_index
        return beside_index, in_data_folder

    @property
    def preferences(self) -> Preferences:
        return Preferences(
            wrap_width=self.wrap_width.value,
            highlight=frozenset(self.highlight.value),
            feed_timeout=float(self.feed_timeout.value),
            feed_concurrency=self.feed_concurrency.value,
        )


@dataclass(frozen=True, slots=True)
class Preferences:
    """The settings the app and the commands act on, without where they came from."""

    wrap_width: int = WRAP_WIDTH
    highlight: frozenset[str] = frozenset(HIGHLIGHT)
    feed_timeout: float = FEED_TIMEOUT
    feed_concurrency: int = FEED_CONCURRENCY


def resolve(
    *,
    articles: str | None = None,
    index: str | None = None,
    environ: Mapping[str, str] | None = None,
    config: Config | None = None,
) -> Settings:
    """Each setting from the first place that gives it: flag, environment, config, default."""
    env = os.environ if environ is None else environ
    config = config if config is not None else load_config()
    base = config.path.parent

    def pick_path(key: str, flag: str | None, env_name: str, default: str) -> Setting:
        if flag:
            return Setting(Path(flag).expanduser(), f"flag --{key}")
        if env.get(env_name):
            return Setting(Path(env[env_name]).expanduser(), f"environment {env_name}")
        if key in config.values:
            return Setting(_path_value(config.values[key], base), config.origin(key))
        return Setting(Path(default), "default")

    if env.get(THEME_ENV) in THEMES:
        theme = Setting(env[THEME_ENV], f"environment {THEME_ENV}")
    elif "theme" in config.values:
        theme = Setting(config.values["theme"], config.origin("theme"))
    else:
        theme = Setting("dark", "default")
    def pick(key: str, default: Any) -> Setting:
        if key in config.values:
            return Setting(config.values[key], config.origin(key))
        return Setting(default, "default")

    feeds: dict[str, Any] = config.values.get("feeds", {})

    def pick_feed(key: str, default: Any) -> Setting:
        dotted = f"feeds.{key}"
        return Setting(feeds[key], config.origin(dotted)) if key in feeds else Setting(default, "default")

    return Settings(
        articles=pick_path("articles", articles, ARTICLES_ENV, "articles"),
        index=pick_path("index", index, INDEX_ENV, "index"),
        theme=theme,
        keys=pick("keys", {}),
        config=config,
        wrap_width=pick("wrap_width", WRAP_WIDTH),
        highlight=pick("highlight", HIGHLIGHT),
        user_data=pick("user_data", "index"),
        feed_timeout=pick_feed("timeout", FEED_TIMEOUT),
        feed_concurrency=pick_feed("concurrency", FEED_CONCURRENCY),
    )


def environment_problems(environ: Mapping[str, str] | None = None) -> list[str]:
    env = os.environ if environ is None else environ
    value = env.get(THEME_ENV)
    if value and value not in THEMES:
        return [f"environment {THEME_ENV}={value!r} must be one of {', '.join(THEMES)}; ignored"]
    return []
