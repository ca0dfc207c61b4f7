"""The config file: where it lives, what it may say, and which value wins.

One TOML file at the platform's config location (``platformdirs``;
``$XDG_CONFIG_HOME/reader/config.toml`` on Linux), read with ``tomllib``.
Every value has an origin (flag, environment, config line, default) so
``reader config show`` can say where it came from. A bad file never stops
the reader: each problem is one line naming the file, the line and the key,
and the reader carries on with the defaults for whatever was wrong.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CONFIG_ENV = "READER_CONFIG"
ARTICLES_ENV = "READER_ARTICLES"
INDEX_ENV = "READER_INDEX"
THEME_ENV = "READER_THEME"

THEMES = ("dark", "light")

TEMPLATE = """\
# reader's config file (see `reader help config`).
# Paths may start with ~; relative paths are relative to this file's folder.
# Command-line flags and READER_* environment variables win over this file.

# articles = "~/news"          # the articles folder (default ./articles)
# index = "~/news-index"       # the index folder (default ./index)
# theme = "dark"               # dark or light

# [keys]                       # key overrides by binding id (see `?` in the app)
# "main.search" = "slash,ctrl+f"
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
        line = self.lines.get(key)
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


def _check_keys(value: Any) -> str | None:
    if not isinstance(value, dict):
        return 'must be a table of binding id = "keys", like [keys] "main.search" = "slash"'
    for binding_id, keys in value.items():
        if not isinstance(keys, str) or not keys.strip():
            return f'{binding_id!r} must be keys in quotes, like "ctrl+f"'
    return None


#: key -> a check that returns why a value is wrong, or None.
SCHEMA: dict[str, Callable[[Any], str | None]] = {
    "articles": _check_path,
    "index": _check_path,
    "theme": _check_theme,
    "keys": _check_keys,
}


def _describe(value: Any) -> str:
    shown = repr(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."


def _key_lines(text: str) -> dict[str, int]:
    """Line number of each top-level key and table (tomllib does not give them)."""
    lines: dict[str, int] = {}
    in_table = False
    for number, line in enumerate(text.splitlines(), start=1):
        table = re.match(r"\s*\[\s*([A-Za-z0-9_.\"' -]+?)\s*\]", line)
        if table:
            in_table = True
            lines.setdefault(table.group(1).strip("\"'"), number)
            continue
        key = re.match(r"\s*(\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+)\s*=", line)
        if key and not in_table:
            lines.setdefault(key.group(1).strip("\"'"), number)
    return lines


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
        where = f"config {path}" + (f" line {lines[key]}" if key in lines else "")
        check = SCHEMA.get(key)
        if check is None:
            close = difflib.get_close_matches(key, SCHEMA, n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else f" (known keys: {', '.join(SCHEMA)})"
            config.problems.append(f"{where}: unknown key {key!r}{hint}; ignored")
            continue
        why = check(value)
        if why:
            config.problems.append(f"{where}: {key!r} {why} (got {_describe(value)}); using the default")
            continue
        config.values[key] = value
        if key in lines:
            config.lines[key] = lines[key]
    return config


@dataclass(frozen=True, slots=True)
class Settings:
    """The effective settings: flags, then environment, then config, then defaults."""

    articles: Setting
    index: Setting
    theme: Setting
    keys: Setting
    config: Config

    def rows(self) -> list[tuple[str, Any, str]]:
        return [
            ("articles", str(self.articles.value), self.articles.origin),
            ("index", str(self.index.value), self.index.origin),
            ("theme", self.theme.value, self.theme.origin),
            ("keys", dict(self.keys.value), self.keys.origin),
        ]


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
    keys = Setting(config.values["keys"], config.origin("keys")) if "keys" in config.values else Setting({}, "default")
    return Settings(
        articles=pick_path("articles", articles, ARTICLES_ENV, "articles"),
        index=pick_path("index", index, INDEX_ENV, "index"),
        theme=theme,
        keys=keys,
        config=config,
    )


def environment_problems(environ: Mapping[str, str] | None = None) -> list[str]:
    env = os.environ if environ is None else environ
    value = env.get(THEME_ENV)
    if value and value not in THEMES:
        return [f"environment {THEME_ENV}={value!r} must be one of {', '.join(THEMES)}; ignored"]
    return []
