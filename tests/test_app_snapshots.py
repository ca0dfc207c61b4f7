"""Snapshots of the main screen, the search pane and the help screen.

Look at the report (snapshot_report.html) before ``--snapshot-update``.
Nothing here depends on the clock: the index is built before the app starts
(no progress bar, no toast) and the text cursor does not blink. Entity
mentions come from a fixed list, so better entity extraction does not change
these pictures.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input

from reader.app.app import ReaderApp
from reader.app.marks import MemoryMarks

from .test_app_support import FixedEntitiesLibrary, app_library, indexed_corpus, settle  # noqa: F401 - fixtures

SIZES = [pytest.param((120, 40), id="120x40"), pytest.param((80, 24), id="80x24")]


async def _ready(pilot) -> None:
    await settle(pilot)
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False


def _app(library) -> ReaderApp:
    # entities from a fixed list: these snapshots are about the app, not the NER
    return ReaderApp(FixedEntitiesLibrary(library), marks=MemoryMarks())


@pytest.mark.parametrize("size", SIZES)
def test_main_screen(snap_compare, app_library, size):
    async def run_before(pilot) -> None:
        await _ready(pilot)
        await pilot.press("enter")  # open the newest article
        await settle(pilot)

    assert snap_compare(_app(app_library), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_main_screen_with_entities(snap_compare, app_library, size):
    async def run_before(pilot) -> None:
        await _ready(pilot)
        await pilot.press("enter", "e", "j", "j", "enter")  # jump to a mention of the 3rd person
        await settle(pilot)

    assert snap_compare(_app(app_library), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_search_pane(snap_compare, app_library, size):
    async def run_before(pilot) -> None:
        await _ready(pilot)
        await pilot.press("slash", *"lighth")
        await pilot.pause(0.2)
        await settle(pilot)
        for widget in pilot.app.screen.query(Input):
            widget.cursor_blink = False

    assert snap_compare(_app(app_library), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_help_screen(snap_compare, app_library, size):
    async def run_before(pilot) -> None:
        await _ready(pilot)
        await pilot.press("question_mark")
        await settle(pilot)

    assert snap_compare(_app(app_library), terminal_size=size, run_before=run_before)
