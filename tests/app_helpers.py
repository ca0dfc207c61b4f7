"""Driving the app in tests: what is on screen, waiting for a state, the app corpus.

The app tests build their own corpus: the bundled samples plus one hostile
article (see :func:`build_corpus`); the fixtures over it are in conftest.py.
"""

from __future__ import annotations

import os
import re
import select
import shutil
import time
from pathlib import Path

from .paths import SAMPLES

HOSTILE_TITLE = "[bold]x[/] [link=file:///etc/passwd]click me[/link] [/"
HOSTILE_FILE = (
    HOSTILE_TITLE
    + " \x1b]0;pwned\x07\u202eevil\u202c\n\n"
    + "By [red]Mallory[/red]\n\n"
    + "GENEVA -- Markup such as [bold]not bold[/bold] and [link=file:///etc/passwd]a link[/link] "
    + "must show literally. \x1b[2J\x1b[31mNo colour\x1b[0m, no OSC 52 \x1b]52;c;ZXZpbA==\x07 clipboard, "
    + "no \u202edesrever\u202c text. Ruth Gadsby met officials from the World Trade Organization "
    + "in Geneva on Tuesday.\n\n"
    + "A" * 120_000
    + "\n\nThe end of a very long line. Zanzibar zebras were mentioned only here.\n"
)


RAIMONDO = "003_6ecca0d802200a51"
FIRST_SENTENCE = (
    "BEIJING (AP) — U.S. Commerce Secretary Gina Raimondo said she rebuffed an appeal Tuesday by "
    "Chinese leaders to reduce U.S. export controls on technology with possible military uses but "
    "the two governments agreed to have experts meet to discuss disputes over protecting trade secrets."
)


def make_app(library, **kwargs):
    """A ReaderApp whose read marks stay in memory (unless the test passes its own)."""
    from reader.app.app import ReaderApp
    from reader.app.marks import MemoryMarks

    kwargs.setdefault("marks", MemoryMarks())
    return ReaderApp(library, **kwargs)


def notifications(app) -> list[str]:
    """Every notification so far, also those whose toast timed out (a loaded machine is slow)."""
    return list(app.notified)


async def open_article(pilot, article_id: str):
    """Select the article in the list, open it, wait; the reading pane."""
    from reader.app.widgets.article_list import ArticleList
    from reader.app.widgets.reading import ReadingPane

    app = pilot.app
    assert app.main.query_one(ArticleList).select_id(article_id)
    await pilot.press("enter")
    await settle(pilot)
    reading = app.main.query_one(ReadingPane)
    assert reading.article is not None and reading.article.id == article_id
    return reading


def build_corpus(root: Path) -> tuple[Path, Path]:
    articles = root / "articles"
    shutil.copytree(SAMPLES, articles)
    (articles / "999_hostile.txt").write_text(HOSTILE_FILE, encoding="utf-8")
    return articles, root / "index"


def screen_text(app) -> str:
    """What is on the screen now, as plain text."""
    return "\n".join(strip.text.rstrip() for strip in app.screen._compositor.render_strips())


def screen_segments(app):
    """Every (text, style) on the screen now, for checks on raw characters."""
    for strip in app.screen._compositor.render_strips():
        yield from strip


async def workers_done(app) -> None:
    """Wait until no worker runs. A worker cancelled by a newer one of its group
    (``exclusive=True``) is done too; Textual's wait raises for it, so wait again."""
    from textual.worker import WorkerCancelled

    for _ in range(100):
        try:
            await app.workers.wait_for_complete()
            return
        except WorkerCancelled:
            continue
    raise AssertionError("workers kept being cancelled and replaced")


async def settle(pilot) -> None:
    """Wait for workers and the messages they post, then a refresh."""
    app = pilot.app
    for _ in range(3):
        await pilot.pause()
        await workers_done(app)
    await pilot.pause()


def typing_pending(app) -> bool:
    """A box is still waiting for typing to pause (a debounce timer is set)."""
    panes = app.screen.query("SearchPane, BookmarksPane")
    columns = app.screen.query("ArticleColumn")
    return any(pane._timer is not None for pane in panes) or any(column.filter_timer is not None for column in columns)


async def settle_typing(pilot) -> None:
    """Wait until every box has sent what was typed (no debounce pending), then settle."""
    await wait_until(pilot, lambda: not typing_pending(pilot.app))
    await settle(pilot)


async def type_and_settle(pilot, *keys: str) -> None:
    """Press keys, then settle_typing."""
    await pilot.press(*keys)
    await settle_typing(pilot)


async def wait_until(pilot, condition, timeout: float = 60.0) -> None:
    """Let the app run until ``condition()`` holds (a state, never a time; the timeout only
    turns a hang into a failure on a busy machine)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.02)


async def press_until(pilot, key: str, condition, limit: int = 50) -> None:
    """Press ``key`` until ``condition()`` holds, at most ``limit`` times."""
    for _ in range(limit):
        if condition():
            return
        await pilot.press(key)
    assert condition(), f"not there after {limit} presses of {key!r}"


def read_pty_until(
    fd: int, deadline: float, pattern: re.Pattern[bytes], seen: bytearray, start: int = 0
) -> re.Match[bytes] | None:
    """Read the pty until ``pattern`` appears in what was read from ``start`` on (or the deadline)."""
    while time.monotonic() < deadline:
        match = pattern.search(seen, start)
        if match:
            return match
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                data = os.read(fd, 65536)
            except OSError:
                return None
            if not data:
                return pattern.search(seen, start)
            seen.extend(data)
    return pattern.search(seen, start)


def spawn_app_in_pty(articles: Path, index: Path, **environ: str) -> tuple[int, int]:
    """The real app on a real 120x40 terminal (a pty); ``(pid, fd)``. Stop it with :func:`stop_pty_app`."""
    import fcntl
    import pty
    import struct
    import sys
    import termios

    from .paths import REPO

    env = dict(os.environ, TERM="xterm-256color", COLUMNS="120", LINES="40", PYTHONPATH=str(REPO / "src"), **environ)
    pid, fd = pty.fork()
    if pid == 0:  # child
        os.execve(sys.executable, [sys.executable, "-m", "reader", "--articles", str(articles), "--index", str(index)], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    return pid, fd


def stop_pty_app(pid: int, fd: int, *, wait: float = 0) -> int | None:
    """Wait up to ``wait`` seconds for the app to exit by itself, then kill it; its exit status if it exited."""
    import signal

    status = None
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        done, code = os.waitpid(pid, os.WNOHANG)
        if done:
            status = os.waitstatus_to_exitcode(code)
            break
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                os.read(fd, 65536)  # keep the pty drained so the app can finish writing
            except OSError:
                time.sleep(0.05)
    if status is None:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
    os.close(fd)
    return status


def port_strike_library(root: Path, front_matter: str = "") -> tuple[Path, Path]:
    """One short two-sentence article, indexed without entities: ``(articles, index)`` for pty tests."""
    from reader import Library

    articles = root / "articles"
    articles.mkdir()
    (articles / "one.md").write_text(
        f"---\ntitle: Port strike ends\nsource: Harbour Gazette\ndate: 2024-05-02\n{front_matter}---\n\n"
        "Dockworkers returned on Thursday. The union said talks went well.\n"
    )
    index = root / "index"
    with Library(articles, index) as library:
        library.sync(entities=False)
    return articles, index
