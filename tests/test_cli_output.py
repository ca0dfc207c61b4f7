"""Everything the CLI prints is sanitised, and output that cannot be written
degrades instead of crashing (issue 13): a broken pipe, a full disk, an ASCII
or closed stdout, a named pipe given to `reader extract`, nested JSON."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from reader.cli import main

REPO = Path(__file__).resolve().parent.parent
OSC52 = "\x1b]52;c;ZXZpbA==\x07"
TITLE = "\x1b]0;PWNED\x1b\\"
_ESCAPE_OR_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def _reader(*argv: str, env: dict[str, str] | None = None, **options) -> subprocess.CompletedProcess[str]:
    """`reader ...` in a subprocess (real streams), its output as text."""
    environment = {**os.environ, "PYTHONPATH": str(REPO / "src"), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "reader", *argv],
        env=environment,
        cwd=REPO,
        capture_output="stdout" not in options,
        text=True,
        errors="replace",
        timeout=120,
        **options,
    )


def _shell(script: str, argv: list[str]) -> subprocess.CompletedProcess[str]:
    """``script`` in bash, with ``$READER`` the reader command and ``$@`` ``argv``."""
    return subprocess.run(
        ["bash", "-c", 'READER="$0"; ' + script.replace('"$READER"', '"$READER" -m reader'), sys.executable, *argv],
        env={**os.environ, "PYTHONPATH": str(REPO / "src"), "COLUMNS": "40"},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def indexed(corpus, tmp_path) -> list[str]:
    where = ["--articles", str(corpus), "--index", str(tmp_path / "index")]
    assert main([*where, "index", "--no-entities", "-q"]) == 0
    return where


def test_a_bookmark_note_with_escapes_never_reaches_the_terminal(indexed, corpus, capsys):
    article_id = next(corpus.glob("002_*.txt")).stem
    note = f"see {OSC52} and {TITLE} here \u202eevil"
    assert main([*indexed, "bookmarks", "add", article_id, "--quote", "trade", "--note", note, "--tag", "t\x1b[31mag"]) == 0
    capsys.readouterr()
    for command in (["list"], ["export"], ["export", "--format", "json"], ["list", "--json"]):
        assert main([*indexed, "bookmarks", *command]) == 0
        out, err = capsys.readouterr()
        assert not _ESCAPE_OR_INVISIBLE.search(out + err), (command, out)
        assert "see" in out and "here" in out
    assert main([*indexed, "bookmarks", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["note"] == note  # JSON stays exact


def test_a_path_with_an_escape_is_shown_escaped(tmp_path, capsys):
    hostile = tmp_path / f"articles{TITLE}"
    assert main(["--articles", str(hostile), "--index", str(tmp_path / "index"), "index"]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\\x1b]0;PWNED" in err


@pytest.fixture(scope="module")
def many_indexed(tmp_path_factory) -> list[str]:
    """400 articles: `search -n 400` prints more than a pipe holds."""
    from tests.badfiles import make_good_articles

    root = tmp_path_factory.mktemp("many")
    make_good_articles(root / "articles", 400)
    where = ["--articles", str(root / "articles"), "--index", str(root / "index")]
    assert main([*where, "index", "--no-entities", "-q"]) == 0
    return where


def test_search_piped_into_head_exits_0(many_indexed):
    done = _shell('"$READER" "$@" search trade -n 400 | head -1; exit ${PIPESTATUS[0]}', many_indexed)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_for_stdout_is_one_clear_line(indexed):
    with open("/dev/full", "w") as full:
        done = _reader(*indexed, "search", "trade", stdout=full, stderr=subprocess.PIPE)
    assert done.returncode == 2
    assert done.stderr.strip() == "reader: cannot write the results: No space left on device"


@pytest.mark.parametrize(
    "env",
    [{"PYTHONIOENCODING": "ascii"}, {"LANG": "C", "LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}],
    ids=["ascii", "C-locale"],
)
def test_an_ascii_stdout_degrades_instead_of_crashing(indexed, env):
    done = _reader(*indexed, "search", "trade", env=env)
    assert done.returncode == 0, done.stderr
    assert "China" in done.stdout and "Traceback" not in done.stderr and done.stderr == ""
    done = _reader(*indexed, "search", "trade", "--json", env=env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total"] > 0


def test_a_closed_stdout_is_not_a_crash(indexed):
    done = _shell('"$READER" "$@" search trade >&- && "$READER" "$@" search trade --json >&-', indexed)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_extract_skips_a_named_pipe_instead_of_hanging(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    plain = tmp_path / "story.txt"
    plain.write_text("Robert Lighthizer met Chinese officials in Beijing on Monday.\n", encoding="utf-8")
    done = _reader("extract", "--rules", str(fifo), str(plain))
    assert done.returncode == 1
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert lines[0]["file"] == str(fifo) and "not a regular file" in lines[0]["error"]
    assert lines[1]["file"] == str(plain) and lines[1]["mentions"]
    assert f"skipped {fifo}: not a regular file (a named pipe)" in done.stderr


def test_deeply_nested_import_json_is_a_clear_message(indexed, tmp_path, capsys):
    nested = tmp_path / "nested.json"
    nested.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    assert main([*indexed, "bookmarks", "import", str(nested)]) == 2
    err = capsys.readouterr().err
    assert "nested too deeply" in err and "unexpected error" not in err


@pytest.mark.parametrize(
    ("argv", "said", "code"),
    [
        ([b"entities", b"\xff\xfe"], "reader: no entity called", 2),  # an unknown name: a usage error
        ([b"bookmarks", b"add", b"\xff", b"--quote", b"x"], "reader: no article with id", 1),
        ([b"search", b"\xed\xa0\x80"], "", 1),
    ],
    ids=["entity-name", "article-id", "query"],
)
def test_undecodable_argument_bytes_are_not_an_unexpected_error(indexed, argv, said, code):
    done = subprocess.run(
        [sys.executable.encode(), b"-m", b"reader", *(os.fsencode(arg) for arg in indexed), *argv],
        env={**os.environ, "PYTHONPATH": str(REPO / "src")},
        cwd=REPO,
        capture_output=True,
        timeout=120,
    )
    err = done.stderr.decode("utf-8")
    assert done.returncode == code, err
    assert "unexpected error" not in err and "surrogates" not in err and said in err


@pytest.mark.parametrize("columns", ["0", "1", "-5", "abc"])
def test_an_unusable_width_still_prints_the_results(indexed, columns):
    done = _reader(*indexed, "search", "trade", env={"COLUMNS": columns})
    assert done.returncode == 0, done.stderr
    assert "5 results" in done.stdout and "China offering major concessions" in done.stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_importing_bookmarks_from_a_named_pipe_does_not_hang(indexed, tmp_path):
    fifo = tmp_path / "bookmarks.json"
    os.mkfifo(fifo)
    done = _reader(*indexed, "bookmarks", "import", str(fifo))
    assert done.returncode == 2
    assert done.stderr.strip() == f"reader: cannot read {fifo}: not a regular file (a named pipe)"
