"""Errors that surface: expected ones are said where they happen, a bug fails the test.

A bug (an exception the app does not expect) is written to the debug log and
told to the user in one line; in a headless app, as here, it is raised
instead, so it cannot hide behind a notification.
"""

from __future__ import annotations

import pytest
from textual.worker import WorkerFailed

from reader import debuglog
from reader.app.app import ReaderApp
from reader.app.marks import MemoryMarks
from reader.app.problems import unexpected
from reader.app.widgets.search_pane import SearchPane

from .app_helpers import settle, wait_until


class FailingSearch:
    """A library whose search raises ``error`` (everything else is the real one)."""

    def __init__(self, library, error: Exception) -> None:
        self._library = library
        self.error = error

    def __getattr__(self, name):
        return getattr(self._library, name)

    def search(self, *args, **kwargs):
        raise self.error


async def test_an_expected_error_is_shown_in_the_pane(app_library):
    app = ReaderApp(FailingSearch(app_library, OSError("disk on fire")), marks=MemoryMarks(), sync=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"trade")
        search = app.main.query_one(SearchPane)
        await wait_until(pilot, lambda: "disk on fire" in search.status)
        assert "Search failed: OSError" in search.status


async def test_a_library_bug_fails_the_test(app_library):
    app = ReaderApp(FailingSearch(app_library, RuntimeError("a bug")), marks=MemoryMarks(), sync=False)
    with pytest.raises(WorkerFailed, match="a bug"):
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press("slash", *"trade")
            await wait_until(pilot, lambda: app.return_code is not None)  # it exits with the error
    text = debuglog.log_path().read_text(encoding="utf-8")
    assert "unexpected error while searching" in text and "RuntimeError: a bug" in text


class RecordingApp:
    """Stands in for a real (not headless) app: records notifications."""

    is_headless = False

    def __init__(self) -> None:
        self.notes: list[tuple[str, str]] = []

    def notify(self, message: str, *, title: str = "", severity: str = "information", **_options) -> None:
        self.notes.append((message, severity))


def test_for_a_user_a_bug_is_logged_and_told_in_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv(debuglog.STATE_ENV, str(tmp_path))
    app = RecordingApp()
    try:
        raise KeyError("boom")
    except KeyError as error:
        line = unexpected(app, "counting the results", error)
    assert app.notes == [(line, "error")]
    assert "\n" not in line and "KeyError" in line and str(tmp_path / "debug.log") in line
    logged = (tmp_path / "debug.log").read_text(encoding="utf-8")
    assert "counting the results" in logged and "Traceback" in logged and "KeyError: 'boom'" in logged


def test_reader_debug_also_prints_to_stderr(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(debuglog.STATE_ENV, str(tmp_path))
    monkeypatch.setenv(debuglog.DEBUG_ENV, "1")
    try:
        raise ValueError("shown")
    except ValueError as error:
        debuglog.log_exception("testing", error)
    assert "ValueError: shown" in capsys.readouterr().err
    monkeypatch.delenv(debuglog.DEBUG_ENV)
    debuglog.get_logger()  # handlers made again without stderr
    try:
        raise ValueError("quiet")
    except ValueError as error:
        debuglog.log_exception("testing", error)
    assert "quiet" not in capsys.readouterr().err
    assert "ValueError: quiet" in (tmp_path / "debug.log").read_text(encoding="utf-8")
