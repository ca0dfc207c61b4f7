"""Hardening, app side: the app opens on the bad-file corpus, its search box takes
any string, and no escape sequence from an article reaches the real terminal."""

from __future__ import annotations

import os
import pty
import random
import re
import select
import sys
import time
from pathlib import Path

import pytest

from reader import Library, QueryError
from reader.app.app import ReaderApp
from reader.app.widgets.article_list import ArticleList
from reader.app.widgets.search_pane import HINT, SCOPE_HINT, SearchPane

from .app_helpers import settle, stop_pty_app, wait_until

# Payloads an article must never get onto the terminal, as bytes.
HOSTILE_BODY = (
    "LONDON -- Officials said \x1b]52;c;ZXZpbCBjbGlwYm9hcmQ=\x07 the clipboard was safe.\n\n"
    "A link \x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\ and a blink \x1b[5;31;42mALARM\x1b[0m here.\n\n"
    "Bidi \u202eevil\u202c text, a C1 \x9b2J clear, a zero\u200bwidth, and [bold]markup[/bold] "
    "[link=file:///etc/passwd]link[/link] shown literally, officials said.\n"
)
FORBIDDEN = [b"\x1b]52", b"http://evil.example", b"\x1b[5;31;42m", "\u202e".encode(), b"\xc2\x9b", "\u200b".encode()]

ODD_QUERIES = [
    "",
    " ",
    '"',
    '"unclosed phrase',
    "(((",
    ")))",
    "a AND",
    "OR OR OR",
    "NOT",
    "-",
    "*",
    "~",
    "x~9",
    "date:[banana to 2019]",
    "nosuchfield:x",
    "title:",
    "[bold]x[/]",
    "\x1b]52;c;ZXZpbA==\x07",
    "\u202eevil",
    "a" * 2000,
    "in:bookmarks",
    "in:bookmarks \x00",
    "lighth",
    "Lightizer~",
]


def _random_queries(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    alphabet = 'abcXYZ019 "*~:-()[]{}^!?\\/\t\u00e9\u202e\x1b\x07'
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 25))) for _ in range(count)]


async def test_app_opens_on_the_bad_corpus_and_takes_any_query(bad_run):
    library = Library(bad_run.library.articles_dir, bad_run.library.index_dir)
    app = ReaderApp(library, sync=False)  # bad_run is shared: read it, change nothing
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            articles = app.screen.query_one(ArticleList)
            assert articles.display
            assert len(library) >= len(bad_run.good)
            for _ in range(3):  # open a few articles, including oversized and odd ones
                await pilot.press("j")
                await pilot.press("enter")
                await pilot.pause()
            pane = app.screen.query_one(SearchPane)
            await pilot.press("slash")
            await wait_until(pilot, lambda: app.focused is pane.input)
            for query in ODD_QUERIES + _random_queries(40):
                assert app.focused is pane.input
                pane.input.value = query
                await pilot.pause()
                pane.flush()  # no waiting for the typing pause
                await settle(pilot)
                _assert_search_answered(pane, library, query)
            await pilot.press("escape")
            await wait_until(pilot, lambda: not pane.display)
            assert app.is_running
    finally:
        library.close()


_STATUS = re.compile(
    r"^(No results|[\d,]+\+? results?( \(counting…\)| \([\d,]+ shown\))?( · (best match|newest) first)?( · exact words)?"
    r"|[\d,]+ bookmarks?|No bookmarks match)$"
)


def _assert_search_answered(pane: SearchPane, library: Library, query: str) -> None:
    """The pane shows what the library answers for the query it sent: hint, results, or its one-line error."""
    status, sent = pane.status, pane.query_sent
    if not sent:
        assert not query.strip() or query.strip().startswith("in:"), (query, status)
        assert status in (HINT, SCOPE_HINT), (query, status)
        return
    if pane.results is not None or pane.bookmark_results is not None:
        first = status.splitlines()[0]
        assert _STATUS.match(first), (query, status)
        if pane.results is not None:
            assert first.startswith("No results") == (pane.results.total == 0), (query, status)
        return
    assert status and "\n" not in status, (query, status)
    with pytest.raises(QueryError):  # an error only when the library refuses the query too
        library.search(sent)


def _read_until(fd: int, deadline: float, needle: bytes | None = None) -> bytes:
    chunks = []
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if not ready:
            continue
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
        if needle and needle in b"".join(chunks):
            break
    return b"".join(chunks)


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")
def test_no_escape_sequence_from_an_article_reaches_the_terminal(tmp_path: Path):
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "hostile.txt").write_text("Hostile \x1b[5mheadline\x1b[0m [bold]x[/]\n\n" + HOSTILE_BODY)
    index = tmp_path / "index"
    with Library(articles, index) as library:
        library.sync(entities=False)
    env = dict(os.environ, TERM="xterm-256color", COLORTERM="truecolor", COLUMNS="120", LINES="40")
    pid, fd = pty.fork()
    if pid == 0:  # child: the real app on a real terminal
        os.execve(sys.executable, [sys.executable, "-m", "reader", "--articles", str(articles), "--index", str(index)], env)
    try:
        import fcntl
        import struct
        import termios

        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        output = _read_until(fd, time.monotonic() + 20, b"Hostile")
        os.write(fd, b"\r")  # open the article
        output += _read_until(fd, time.monotonic() + 3)
        os.write(fd, b"e")  # entity sidebar
        output += _read_until(fd, time.monotonic() + 2)
        os.write(fd, b"q")
        output += _read_until(fd, time.monotonic() + 5)
    finally:
        stop_pty_app(pid, fd)
    assert b"Hostile" in output, output[-2000:]
    assert b"ALARM" in output and b"clipboard" in output  # the article body was drawn
    for payload in FORBIDDEN:
        assert payload not in output, payload
    assert b"[bold]" in output  # markup shown literally, not interpreted
