"""The app ends when its terminal goes away (SIGHUP) or it is told to (SIGTERM).

It used to live on after the first one: the CLI turns both signals into an
exception, which inside the app's event loop landed in whatever callback was
running and was swallowed, so a closed terminal left a reader behind with
Textual's input thread spinning on the dead pty (a whole core, for good).
"""

from __future__ import annotations

import os
import re
import signal
import time
from pathlib import Path

import pytest

from reader import Library
from reader.bookmarks import BookmarkStore

from .app_helpers import port_strike_library, read_pty_until, spawn_app_in_pty, stop_pty_app

pytestmark = pytest.mark.skipif(os.name != "posix", reason="ptys and hangups are POSIX")


def _start(tmp_path: Path) -> tuple[int, int]:
    articles, index = port_strike_library(tmp_path)
    pid, fd = spawn_app_in_pty(articles, index, READER_STATE_DIR=str(tmp_path / "state"))
    seen = bytearray()
    if not read_pty_until(fd, time.monotonic() + 60, re.compile(rb"Port strike"), seen):
        stop_pty_app(pid, fd)
        pytest.fail("the app did not draw its article list")
    return pid, fd


def _exit_status(pid: int, within: float) -> int | None:
    """The app's exit status once it has exited by itself, or None if it is still running."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        done, code = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(code)
        time.sleep(0.05)
    return None


def test_the_app_ends_when_its_terminal_closes_and_keeps_the_read_mark(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid, fd = _start(tmp_path)
    os.write(fd, b"\r")  # open the article: it is read now
    if not read_pty_until(fd, time.monotonic() + 30, re.compile(rb"Dockworkers returned"), bytearray()):
        stop_pty_app(pid, fd)
        pytest.fail("the article did not open")
    os.close(fd)  # the terminal window is closed: the kernel hangs up the app's session
    status = _exit_status(pid, within=30)
    if status is None:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        pytest.fail("the app lived on after its terminal closed")
    assert status == 128 + signal.SIGHUP
    monkeypatch.setenv("READER_STATE_DIR", str(tmp_path / "state"))
    with Library(tmp_path / "articles", tmp_path / "index") as library:
        store = BookmarkStore(library.user_state_path)
    try:
        assert len(store.read_ids()) == 1
    finally:
        store.close()


def test_sigterm_quits_the_app_the_way_q_does(tmp_path: Path) -> None:
    pid, fd = _start(tmp_path)
    os.kill(pid, signal.SIGTERM)
    status = stop_pty_app(pid, fd, wait=30)
    assert status == 128 + signal.SIGTERM, "the app did not end on SIGTERM"
