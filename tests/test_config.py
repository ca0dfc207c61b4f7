"""The config file: validation, one-line problems, precedence, and `reader config`."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reader.cli import main
from reader.config import load_config, resolve

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def config_file(tmp_path, monkeypatch):
    path = tmp_path / "conf" / "config.toml"
    path.parent.mkdir()
    monkeypatch.setenv("READER_CONFIG", str(path))
    monkeypatch.delenv("READER_ARTICLES", raising=False)
    monkeypatch.delenv("READER_INDEX", raising=False)
    monkeypatch.delenv("READER_THEME", raising=False)
    return path


def test_missing_file_means_defaults(config_file):
    config = load_config()
    assert not config.exists and not config.problems
    settings = resolve(config=config, environ={})
    assert settings.articles.value == Path("articles") and settings.articles.origin == "default"
    assert settings.theme.value == "dark"


def test_typo_in_key_suggests_the_right_one_with_the_line(config_file):
    config_file.write_text('theme = "light"\nartciles = "~/news"\n')
    config = load_config()
    assert config.problems == [f"config {config_file} line 2: unknown key 'artciles' (did you mean 'articles'?); ignored"]
    assert config.values == {"theme": "light"}  # the good keys still count


def test_wrong_type_names_key_and_line_and_keeps_default(config_file):
    config_file.write_text('articles = 3\ntheme = "blue"\n')
    config = load_config()
    assert len(config.problems) == 2
    assert "line 1: 'articles' must be a folder path" in config.problems[0]
    assert "line 2: 'theme' must be one of dark, light (got 'blue')" in config.problems[1]
    assert resolve(config=config, environ={}).theme.value == "dark"


def test_unparsable_and_unreadable_files_are_one_line(config_file):
    config_file.write_text('articles = "unterminated\n')
    [problem] = load_config().problems
    assert "line 1" in problem and problem.endswith("using the defaults") and "\n" not in problem
    config_file.write_bytes(b'articles = "\xff"\n')
    assert "not UTF-8" in load_config().problems[0]
    if os.geteuid() != 0:
        config_file.write_text('articles = "x"\n')
        config_file.chmod(0)
        try:
            [problem] = load_config().problems
            assert problem.startswith(f"cannot read the config file {config_file}")
        finally:
            config_file.chmod(0o600)


def test_precedence_flag_env_config_default(config_file, tmp_path):
    config_file.write_text('articles = "~/news"\nindex = "idx"\n')
    config = load_config()
    settings = resolve(config=config, environ={})
    assert settings.articles.value == Path("~/news").expanduser()
    assert settings.articles.origin == f"config {config_file} line 1"
    assert settings.index.value == config_file.parent / "idx"  # relative to the config file
    env = {"READER_ARTICLES": "/from/env"}
    assert resolve(config=config, environ=env).articles.value == Path("/from/env")
    assert resolve(config=config, environ=env).articles.origin == "environment READER_ARTICLES"
    flagged = resolve(articles="/from/flag", config=config, environ=env)
    assert flagged.articles.value == Path("/from/flag") and flagged.articles.origin == "flag --articles"


def test_search_from_any_folder_uses_the_configured_articles(config_file, corpus, tmp_path, monkeypatch):
    """Done means: with articles = "~/news" in the config, `reader search x` anywhere searches ~/news."""
    home = tmp_path / "home"
    shutil.copytree(corpus, home / "news")
    monkeypatch.setenv("HOME", str(home))
    config_file.write_text('articles = "~/news"\nindex = "~/.news-index"\n')
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    result = subprocess.run(
        [sys.executable, "-m", "reader", "search", "Mnuchin", "--json"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["total"] == 4
    assert (home / ".news-index").is_dir() and not (elsewhere / "index").exists()


def test_config_show_says_where_each_value_came_from(config_file, capsys, monkeypatch):
    config_file.write_text('theme = "light"\n')
    monkeypatch.setenv("READER_INDEX", "/tmp/some-index")
    assert main(["--articles", "/x/articles", "config", "show"]) == 0
    out = capsys.readouterr().out
    assert f"config file: {config_file}" in out
    rows = {line.split()[0]: line for line in out.splitlines()[1:]}
    assert re.fullmatch(r"articles +/x/articles +\(flag --articles\)", rows["articles"])
    assert re.fullmatch(r"index +/tmp/some-index +\(environment READER_INDEX\)", rows["index"])
    assert re.fullmatch(rf"theme +light +\(config {re.escape(str(config_file))} line 1\)", rows["theme"])
    assert main(["config", "show", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["settings"]["theme"] == {"value": "light", "from": f"config {config_file} line 1"}


def test_config_path_and_bad_config_still_runs_commands(config_file, corpus, tmp_path, capsys):
    assert main(["config", "path"]) == 0
    assert capsys.readouterr().out == f"{config_file}\n"
    config_file.write_text('thme = "light"\n')
    code = main(["--articles", str(corpus), "--index", str(tmp_path / "i"), "index", "--no-entities"])
    err = capsys.readouterr().err
    assert code == 0 and "5 articles indexed" in err
    assert "unknown key 'thme' (did you mean 'theme'?)" in err


def test_config_edit_creates_from_template_and_runs_the_editor(config_file, tmp_path, monkeypatch, capsys):
    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\nprintf \'theme = "light"\\n\' >> "$1"\n')
    editor.chmod(0o755)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(editor))
    assert main(["config", "edit"]) == 0
    assert load_config().values == {"theme": "light"}
    assert "# articles =" in config_file.read_text()
    monkeypatch.setenv("VISUAL", f"{editor} --bad")  # VISUAL wins; a failing editor is one line
    editor.write_text("#!/bin/sh\nexit 3\n")
    assert main(["config", "edit"]) == 2
    assert "exited with status 3" in capsys.readouterr().err


def test_new_keys_are_validated_one_line_each_with_key_and_line(config_file):
    config_file.write_text(
        "wrap_width = 5\n"
        'highlight = ["person", "peple"]\n'
        'user_data = "cloud"\n'
        "\n"
        "[feeds]\n"
        "timeout = -1\n"
        "concurrency = 2\n"
        "concurency = 3\n"
    )
    config = load_config()
    assert config.problems == [
        f"config {config_file} line 1: 'wrap_width' must be a whole number of columns from 20 to 400 (got 5); using the default",
        f"config {config_file} line 2: 'highlight' names no entity kind 'peple' (kinds: person, org, place, group, money, "
        "percent, date, other) (got ['person', 'peple']); using the default",
        f"config {config_file} line 3: 'user_data' must be \"index\" (beside the index) or \"data\" (the platform's data "
        "folder) (got 'cloud'); using the default",
        f"config {config_file} line 6: 'feeds.timeout' must be seconds, a number above 0 and at most 3600 (got -1); "
        "using the default",
        f"config {config_file} line 8: unknown key 'feeds.concurency' (did you mean 'concurrency'?); ignored",
    ]
    settings = resolve(config=config, environ={})
    assert settings.wrap_width.value == 76 and settings.wrap_width.origin == "default"
    assert settings.feed_concurrency.value == 2  # the good key of the table still counts
    assert settings.feed_concurrency.origin == f"config {config_file} line 7"
    assert settings.feed_timeout.value == 120.0 and settings.feed_timeout.origin == "default"
    config_file.write_text('feeds = "fast"\n')
    assert load_config().problems == [f"config {config_file} line 1: 'feeds' must be a table, like [feeds]; using the defaults"]


def test_new_keys_reach_preferences_and_config_show(config_file, capsys):
    config_file.write_text('wrap_width = 60\nhighlight = ["org"]\n[feeds]\ntimeout = 30\nconcurrency = 8\n')
    preferences = resolve(config=load_config(), environ={}).preferences
    assert (preferences.wrap_width, preferences.highlight) == (60, frozenset({"org"}))
    assert (preferences.feed_timeout, preferences.feed_concurrency) == (30.0, 8)
    assert main(["config", "show"]) == 0
    rows = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()[1:]}
    assert re.fullmatch(rf"wrap_width +60 +\(config {re.escape(str(config_file))} line 1\)", rows["wrap_width"])
    assert re.fullmatch(rf"highlight +org +\(config {re.escape(str(config_file))} line 2\)", rows["highlight"])
    assert re.fullmatch(rf"feeds.timeout +30 +\(config {re.escape(str(config_file))} line 4\)", rows["feeds.timeout"])
    assert re.fullmatch(r"user_data +index +\(default\)", rows["user_data"])


def test_show_wraps_at_wrap_width_and_colours_only_highlighted_kinds(config_file, sample_library, monkeypatch):
    """`reader show` on a terminal: lines no wider than wrap_width; only the configured kinds coloured."""
    import io

    from reader import cli_habits
    from reader.config import Preferences

    article = sample_library.article("003_6ecca0d802200a51")
    captured = io.StringIO()

    class Settings:
        preferences = Preferences(wrap_width=40, highlight=frozenset({"place"}))

    def terminal_console(stderr=False):
        from rich.console import Console

        return Console(file=captured, force_terminal=True, width=120, color_system="standard", highlight=False)

    monkeypatch.setattr("reader.cli_output.console_for", terminal_console)
    monkeypatch.setattr("reader.cli.ensure_index", lambda library, settings: 0)
    args = type("Args", (), {"article": article.id, "settings": Settings()})()
    assert cli_habits.cmd_show(sample_library, args) == 0
    text = re.sub(r"\x1b\[[0-9;]*m", "", captured.getvalue())
    assert max(len(line) for line in text.splitlines()) <= 40
    coloured = set(re.findall(r"\x1b\[(3\dm)", captured.getvalue()))
    assert coloured == {"32m"}  # green: places; people (cyan) and organisations (magenta) left plain
