"""The bookmark dialog's ctrl+o: the note in $VISUAL/$EDITOR, the app suspended and resumed.

Run on a real terminal (a pty), since suspending needs one; the editor is a script.
"""

from __future__ import annotations

import os
import re
import sys
import time

import pytest

from reader import Library

from .app_helpers import port_strike_library, read_pty_until, spawn_app_in_pty, stop_pty_app

EDITOR = """#!/bin/sh
# 1st call: scribble over the note and fail; 2nd call: keep what it was given, write two lines, succeed.
count=$(cat "{counter}" 2>/dev/null || echo 0)
count=$((count + 1))
echo "$count" > "{counter}"
if [ "$count" = 1 ]; then
    printf 'scribbled over\\n' > "$1"
    exit 3
fi
cp "$1" "{given}"
printf 'First line of a long note\\nSecond line, from the editor\\n' > "$1"
"""

WRITTEN = "First line of a long note\nSecond line, from the editor"


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")
def test_ctrl_o_edits_the_note_in_the_editor_and_a_failing_editor_keeps_it(tmp_path):
    articles, index = port_strike_library(tmp_path)
    editor = tmp_path / "editor.sh"
    editor.write_text(EDITOR.format(counter=tmp_path / "calls", given=tmp_path / "given"))
    editor.chmod(0o755)
    pid, fd = spawn_app_in_pty(articles, index, VISUAL=str(editor), EDITOR="false")
    seen = bytearray()

    def wait_for(pattern: bytes, seconds: float = 30) -> None:
        """Until the app writes ``pattern`` after what was read so far."""
        start = len(seen)
        assert read_pty_until(fd, time.monotonic() + seconds, re.compile(pattern), seen, start), bytes(seen[-3000:])

    def notes() -> list[str]:
        with Library(articles, index) as library:
            return [bookmark.note for bookmark in library.bookmarks.list()]

    status: int | None = None
    stopped = False
    try:
        wait_for(rb"Port strike ends", 60)
        os.write(fd, b"\r")  # open the article
        wait_for(rb"Dockworkers")
        os.write(fd, b")b")  # the first sentence, bookmark it
        wait_for(rb"Bookmark this passage")
        os.write(fd, b"typed here")
        os.write(fd, b"\x0f")  # ctrl+o: the failing editor
        wait_for(rb"exited with status 3")
        os.write(fd, b"\r")  # saves what was typed
        wait_for(rb"Bookmark saved")
        os.write(fd, b"b")  # the same passage again: edit its bookmark
        wait_for(rb"Edit bookmark")
        os.write(fd, b"\x0f")  # ctrl+o: the editor writes two lines
        wait_for(rb"from your editor")
        os.write(fd, b"\r")
        deadline = time.monotonic() + 30
        while notes() != [WRITTEN] and time.monotonic() < deadline:  # the same toast text as before: ask the store
            read_pty_until(fd, time.monotonic() + 0.2, re.compile(rb"(?!)"), seen)
        os.write(fd, b"q")
        stopped, status = True, stop_pty_app(pid, fd, wait=30)
    finally:
        if not stopped:
            stop_pty_app(pid, fd)
    assert status == 0
    assert (tmp_path / "calls").read_text().strip() == "2"  # the editor really ran twice
    assert (tmp_path / "given").read_text() == "typed here\n"  # the failed edit left the typed note alone
    assert notes() == [WRITTEN]  # multi-line, as written
