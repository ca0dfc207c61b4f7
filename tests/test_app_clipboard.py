"""`y` copies the passage as a Markdown citation, `Y` the plain quote: through OSC 52 on a real terminal."""

from __future__ import annotations

import base64
import os
import pty
import re
import select
import signal
import sys
import time
from pathlib import Path

import pytest

from reader import Library
from reader.citation import CitedWork, markdown_citation, plain_quote

from .app_helpers import FIRST_SENTENCE, RAIMONDO, make_app, notifications, open_article, settle

REPO = Path(__file__).resolve().parent.parent


def test_markdown_citation_carries_title_source_authors_date_and_link():
    work = CitedWork("Talks *resume*", "AP", ("Ken Moritsugu",), "2023-08-29", "https://example.com/a", "x.txt")
    assert markdown_citation("First line.\n\nSecond [para].", work) == (
        "> First line.\n>\n> Second \\[para\\].\n>\n"
        "> — *Talks \\*resume\\**, Ken Moritsugu, AP, 2023-08-29. <https://example.com/a>\n"
    )
    assert markdown_citation("q", CitedWork(title="T", path="dir/x.txt")).endswith("> — *T*. dir/x.txt\n")
    assert plain_quote(" a \x1b[2Jb ") == "“a \\x1b[2Jb”"  # escapes never reach a clipboard as escapes


async def test_y_copies_a_markdown_citation_and_Y_the_plain_quote(app_library):
    app = make_app(app_library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        reading = await open_article(pilot, RAIMONDO)
        await pilot.press("right_parenthesis")
        assert reading.passage_text == FIRST_SENTENCE
        await pilot.press("y")
        article = reading.article
        assert article is not None
        assert app.clipboard.startswith("> BEIJING (AP) — U.S. Commerce Secretary Gina Raimondo")
        assert f"*{article.title}*" in app.clipboard and article.date in app.clipboard
        assert any("Markdown citation" in m and "OSC 52" in m for m in notifications(app))
        await pilot.press("Y")
        assert app.clipboard == f"“{FIRST_SENTENCE}”"


def _read_until(fd: int, deadline: float, pattern: re.Pattern[bytes], seen: bytearray) -> re.Match[bytes] | None:
    """Read the pty until ``pattern`` appears in everything read so far (or the deadline)."""
    while time.monotonic() < deadline:
        match = pattern.search(seen)
        if match:
            return match
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                data = os.read(fd, 65536)
            except OSError:
                return None
            if not data:
                return pattern.search(seen)
            seen.extend(data)
    return pattern.search(seen)


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")
def test_y_writes_the_citation_to_the_terminal_as_osc_52(tmp_path):
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "one.md").write_text(
        "---\ntitle: Port strike ends\nsource: Harbour Gazette\ndate: 2024-05-02\nurl: https://example.com/port\n---\n\n"
        "Dockworkers returned on Thursday. The union said talks went well.\n"
    )
    index = tmp_path / "index"
    with Library(articles, index) as library:
        library.sync(entities=False)
    env = dict(os.environ, TERM="xterm-256color", COLUMNS="120", LINES="40", PYTHONPATH=str(REPO / "src"))
    pid, fd = pty.fork()
    if pid == 0:  # child: the real app on a real terminal
        os.execve(sys.executable, [sys.executable, "-m", "reader", "--articles", str(articles), "--index", str(index)], env)
    seen = bytearray()
    try:
        import fcntl
        import struct
        import termios

        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        assert _read_until(fd, time.monotonic() + 60, re.compile(rb"Port strike ends"), seen), bytes(seen[-2000:])
        os.write(fd, b"\r")  # open the article
        assert _read_until(fd, time.monotonic() + 30, re.compile(rb"Dockworkers"), seen), bytes(seen[-2000:])
        start = len(seen)
        os.write(fd, b")")  # the first sentence
        os.write(fd, b"y")
        osc52 = re.compile(rb"\x1b\]52;c;([A-Za-z0-9+/=]*)\x07")
        match = None
        deadline = time.monotonic() + 30
        while match is None and time.monotonic() < deadline:
            _read_until(fd, deadline, osc52, seen)
            match = osc52.search(seen, start)
        assert match, bytes(seen[start:][-2000:])
        os.write(fd, b"q")
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
        os.close(fd)
    copied = base64.b64decode(match.group(1)).decode("utf-8")
    assert copied == (
        "> Dockworkers returned on Thursday.\n>\n"
        "> — *Port strike ends*, Harbour Gazette, 2024-05-02. <https://example.com/port>\n"
    )
