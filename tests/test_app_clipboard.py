"""`y` copies the passage as a Markdown citation, `Y` the plain quote: through OSC 52 on a real terminal."""

from __future__ import annotations

import base64
import os
import re
import sys
import time

import pytest

from reader.citation import CitedWork, markdown_citation, plain_quote

from .app_helpers import (
    FIRST_SENTENCE,
    RAIMONDO,
    make_app,
    notifications,
    open_article,
    port_strike_library,
    read_pty_until,
    settle,
    spawn_app_in_pty,
    stop_pty_app,
)


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


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")
def test_y_writes_the_citation_to_the_terminal_as_osc_52(tmp_path):
    articles, index = port_strike_library(tmp_path, "url: https://example.com/port\n")
    pid, fd = spawn_app_in_pty(articles, index)
    seen = bytearray()
    try:
        assert read_pty_until(fd, time.monotonic() + 60, re.compile(rb"Port strike ends"), seen), bytes(seen[-2000:])
        os.write(fd, b"\r")  # open the article
        assert read_pty_until(fd, time.monotonic() + 30, re.compile(rb"Dockworkers"), seen), bytes(seen[-2000:])
        start = len(seen)
        os.write(fd, b")")  # the first sentence
        os.write(fd, b"y")
        osc52 = re.compile(rb"\x1b\]52;c;([A-Za-z0-9+/=]*)\x07")
        match = None
        deadline = time.monotonic() + 30
        while match is None and time.monotonic() < deadline:
            read_pty_until(fd, deadline, osc52, seen)
            match = osc52.search(seen, start)
        assert match, bytes(seen[start:][-2000:])
        os.write(fd, b"q")
    finally:
        stop_pty_app(pid, fd)
    copied = base64.b64decode(match.group(1)).decode("utf-8")
    assert copied == (
        "> Dockworkers returned on Thursday.\n>\n"
        "> — *Port strike ends*, Harbour Gazette, 2024-05-02. <https://example.com/port>\n"
    )
