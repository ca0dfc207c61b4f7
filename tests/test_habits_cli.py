"""`reader --version`, path options anywhere, `reader completion`, `reader show`, `reader help`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reader import __version__
from reader.cli import main

REPO = Path(__file__).resolve().parent.parent


def test_version(capsys):
    with pytest.raises(SystemExit):
        from reader.cli import build_parser

        build_parser().parse_args(["--version"])
    assert capsys.readouterr().out == f"reader {__version__}\n"
    assert main(["--version"]) == 0


@pytest.mark.parametrize("where", ["before", "after"])
def test_path_options_before_or_after_the_command(corpus, tmp_path, capsys, where):
    paths = ["--articles", str(corpus), "--index", str(tmp_path / "idx")]
    argv = [*paths, "index", "--no-entities"] if where == "before" else ["index", "--no-entities", *paths]
    assert main(argv) == 0
    assert "5 articles indexed" in capsys.readouterr().err
    assert (tmp_path / "idx").is_dir()
    # nested commands too, and after wins over before
    argv = ["--index", "/nonexistent/x", "bookmarks", "list", "--index", str(tmp_path / "idx")]
    assert main(argv) == 1  # no bookmarks, but the right index (no error about /nonexistent)
    assert "nonexistent" not in capsys.readouterr().err


def _bash_complete(line: str, path: str = os.environ.get("PATH", "")) -> list[str]:
    """What bash's completion offers for ``line`` (the cursor at its end); ``path`` finds `reader`."""
    script = subprocess.run(
        [sys.executable, "-m", "reader", "completion", "bash"],
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    words = line.split(" ")
    program = (
        f"{script}\n"
        f"COMP_WORDS=({' '.join(repr(w) for w in words)}); COMP_CWORD={len(words) - 1}\n"
        "_reader_complete; printf '%s\\n' \"${COMPREPLY[@]}\"\n"
    )
    result = subprocess.run(
        ["bash", "--norc", "-c", program], capture_output=True, text=True, check=True, env={**os.environ, "PATH": path}
    )
    return [w for w in result.stdout.splitlines() if w]


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_completion_completes_subcommands_and_options():
    assert _bash_complete("reader bo") == ["bookmarks"]
    assert set(_bash_complete("reader bookmarks ")) >= {"add", "list", "export", "import", "delete", "undo"}
    assert "--rebuild" in _bash_complete("reader index --")
    assert _bash_complete("reader --index /tmp/x config s") == ["show"]


@pytest.fixture
def reader_on_path(tmp_path):
    """A `reader` command (this checkout's) first on PATH, as an installed one would be."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "reader").write_text(f'#!/bin/sh\nPYTHONPATH={REPO / "src"} exec {sys.executable} -m reader "$@"\n')
    (bin_dir / "reader").chmod(0o755)
    return f"{bin_dir}:{os.environ.get('PATH', '')}"


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_completes_entity_verbs_feed_names_and_entity_names(sample_library, reader_on_path, tmp_path):
    paths = f"--articles {sample_library.articles_dir} --index {sample_library.index_dir}"
    verbs = _bash_complete("reader entities ", reader_on_path)
    assert {"merge", "rename", "show", "hide"} <= set(verbs)
    assert "entities-merge" not in _bash_complete("reader ent", reader_on_path)  # argparse's inner name stays inside
    assert _bash_complete(f"reader {paths} entities show Gina", reader_on_path) == ["Gina\\ Raimondo"]
    assert "Gina\\ Raimondo" in _bash_complete(f"reader {paths} bookmarks list --entity gi", reader_on_path)
    assert _bash_complete("reader entities --kind pl", reader_on_path) == ["place"]

    from reader import Library

    index = tmp_path / "feeds-index"
    with Library(sample_library.articles_dir, index) as library:
        library.bookmarks.add_feed("Harbour Gazette", "http://127.0.0.1:9/a.xml", "")
        library.bookmarks.add_feed("hacker-news", "http://127.0.0.1:9/b.xml", "")
    feeds = f"--articles {sample_library.articles_dir} --index {index}"
    assert sorted(_bash_complete(f"reader {feeds} fetch h", reader_on_path)) == ["Harbour\\ Gazette", "hacker-news"]
    assert _bash_complete(f"reader {feeds} fetch hacker-news Har", reader_on_path) == ["Harbour\\ Gazette"]
    assert _bash_complete(f"reader fetch --index {index} x", reader_on_path) == []
    assert _bash_complete(f"reader {feeds} feeds remove hack", reader_on_path) == ["hacker-news"]
    # nowhere to read names from: nothing offered, nothing printed, nothing created
    empty = tmp_path / "nothing-here"
    assert _bash_complete(f"reader --articles {empty} --index {empty} fetch h", reader_on_path) == []
    assert not empty.exists()


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_zsh_and_fish_scripts_name_the_commands(shell, capsys):
    assert main(["completion", shell]) == 0
    script = capsys.readouterr().out
    for word in ("bookmarks", "search", "config", "completion"):
        assert word in script
    if shell == "fish":
        assert "complete -c reader -n \"__fish_reader_at ''\" -a bookmarks" in script
        assert "-l rebuild" in script


@pytest.mark.skipif(shutil.which("fish") is None, reason="needs fish")
def test_fish_completes_bookmarks(capsys, tmp_path):
    main(["completion", "fish"])
    (tmp_path / "reader.fish").write_text(capsys.readouterr().out)
    result = subprocess.run(
        ["fish", "--no-config", "-c", f"source {tmp_path / 'reader.fish'}; complete -C 'reader bo'"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["bookmarks"]


def test_show_prints_the_article_plain_when_piped(corpus, tmp_path, capsys):
    paths = ["--articles", str(corpus), "--index", str(tmp_path / "idx")]
    assert main([*paths, "index"]) == 0
    capsys.readouterr()
    assert main([*paths, "show", "004_ed467b3701b791d6"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("More U.S.-China trade talks set after 2 days of negotiations in Beijing")
    assert "\x1b" not in out  # piped: no colour, no escape sequences
    assert any("Mnuchin tweeted" in line for line in lines)
    assert max(len(line) for line in lines) > 200  # one paragraph a line, for grep
    assert main([*paths, "show", "nope"]) == 1
    assert "no article with id 'nope'" in capsys.readouterr().err


def _show_on_terminal(corpus, index, **env) -> str:
    """`reader show` on a pty (Rich colours only a terminal)."""
    import pty

    code = (
        "import sys; from reader.cli import main; "
        f"sys.exit(main(['--articles', {str(corpus)!r}, '--index', {str(index)!r}, 'show', '004_ed467b3701b791d6']))"
    )
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM", "COLORTERM", "FORCE_COLOR")}
    environ.update({"PYTHONPATH": str(REPO / "src"), "TERM": "xterm-256color", "COLUMNS": "100", "LINES": "40", **env})
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-c", code], stdin=follower, stdout=follower, stderr=follower, env=environ)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


def test_show_colours_entities_on_a_terminal_but_not_with_no_color_or_dumb(corpus, tmp_path, capsys):
    index = tmp_path / "idx"
    assert main(["--articles", str(corpus), "--index", str(index), "index"]) == 0
    coloured = _show_on_terminal(corpus, index)
    assert "Mnuchin" in coloured
    assert "\x1b[36m" in coloured  # a person in cyan
    lines = [line for line in coloured.splitlines() if line.strip()]
    assert max(len(line.replace("\x1b", "")) for line in lines) < 200  # wrapped to the terminal
    for env in ({"NO_COLOR": "1"}, {"TERM": "dumb"}):
        plain = _show_on_terminal(corpus, index, **env)
        assert "Mnuchin" in plain and "\x1b[36m" not in plain


def test_help_topics(capsys):
    assert main(["help", "query"]) == 0
    assert "date:[2019-01 to 2019-06]" in capsys.readouterr().out
    assert main(["help", "config"]) == 0
    out = capsys.readouterr().out
    assert 'articles = "~/news"' in out and "reader config show" in out
    assert main(["help", "nonsense"]) == 2


@pytest.mark.parametrize("command", [[], ["index"], ["search", "x"], ["bookmarks", "list"], ["show", "x"]])
def test_first_run_in_a_folder_without_articles_creates_nothing(tmp_path, command):
    """`reader` where there is no articles/: one line saying where it looked and how to point elsewhere."""
    env = {k: v for k, v in os.environ.items() if k not in ("READER_ARTICLES", "READER_INDEX")}
    env["PYTHONPATH"] = str(REPO / "src")
    result = subprocess.run(
        [sys.executable, "-m", "reader", *command], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert f"no articles folder at {tmp_path / 'articles'} (the default, in the current folder)" in result.stderr
    assert "--articles DIR, READER_ARTICLES=DIR, or articles = " in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "command, status",
    [([], 2), (["index"], 2), (["search", "x"], 2), (["show", "x"], 2), (["bookmarks", "list"], 1)],
)
def test_first_run_with_an_empty_articles_folder_creates_nothing(tmp_path, command, status):
    """An articles/ with nothing in it yet: say so (the app would open empty), create no ./index."""
    (tmp_path / "articles" / "drafts").mkdir(parents=True)
    (tmp_path / "articles" / "notes.pdf").write_bytes(b"%PDF")  # not an article
    env = {k: v for k, v in os.environ.items() if k not in ("READER_ARTICLES", "READER_INDEX")}
    env["PYTHONPATH"] = str(REPO / "src")
    result = subprocess.run(
        [sys.executable, "-m", "reader", *command], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == status, result.stderr
    if status == 2:
        assert result.stderr.count("\n") == 1
        assert f"the articles folder {tmp_path / 'articles'} (the default, in the current folder) has no articles yet" in (
            result.stderr
        )
        assert "--articles DIR, READER_ARTICLES=DIR, or articles = " in result.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["articles"]


def test_bookmarks_edit_in_the_editor_saves_a_multiline_note_and_a_failing_editor_keeps_it(corpus, tmp_path, capsys, monkeypatch):
    paths = ["--articles", str(corpus), "--index", str(tmp_path / "idx")]
    assert main([*paths, "index", "--no-entities"]) == 0
    assert main([*paths, "bookmarks", "add", "004_ed467b3701b791d6", "--quote", "Lighthizer", "--note", "old"]) == 0
    short_id = capsys.readouterr().out.strip()
    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\ngrep -q "^old$" "$1" || exit 9\nprintf "first line\\n\\nsecond paragraph\\n" > "$1"\n')
    editor.chmod(0o755)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(editor))
    assert main([*paths, "bookmarks", "edit", short_id]) == 0
    assert f"updated {short_id}" in capsys.readouterr().err
    assert main([*paths, "bookmarks", "list", "--json"]) == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert listed["note"] == "first line\n\nsecond paragraph"

    editor.write_text('#!/bin/sh\necho garbage > "$1"\nexit 1\n')
    assert main([*paths, "bookmarks", "edit", short_id]) == 2
    err = capsys.readouterr().err
    assert "exited with status 1" in err and "kept as it was" in err and err.count("\n") == 1
    main([*paths, "bookmarks", "list", "--json"])
    assert json.loads(capsys.readouterr().out)[0]["note"] == "first line\n\nsecond paragraph"

    assert main([*paths, "bookmarks", "edit", short_id, "--tag", "a b"]) == 0
    main([*paths, "bookmarks", "list", "--json"])
    assert json.loads(capsys.readouterr().out)[0]["tags"] == ["a b"]


def test_status_says_where_every_file_is(corpus, tmp_path, capsys):
    index = tmp_path / "idx"
    assert main(["--articles", str(corpus), "--index", str(index), "status"]) == 0
    out = capsys.readouterr().out
    assert f"articles   {corpus}    (flag --articles)" in out
    assert f"index      {index}  (not there yet)    (flag --index)" in out
    assert f"user data  {index / 'bookmarks.sqlite'}  (not there yet)" in out
    assert "config" in out and "debug log" in out
    assert not index.exists()  # status creates nothing
