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

from .app_helpers import settle, settle_typing
from .fake_libraries import FixedEntitiesLibrary

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
        await pilot.press("enter", "e", "j", "j", "n")  # jump to a mention of the 3rd person
        await settle(pilot)

    assert snap_compare(_app(app_library), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_entity_page(snap_compare, app_library, size):
    async def run_before(pilot) -> None:
        from reader.app.screens.entity_page import EntityPageScreen

        await _ready(pilot)
        await pilot.press("enter", "e", "j", "j", "enter")  # the page of the 3rd person
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, EntityPageScreen) and screen.page is not None

    assert snap_compare(_app(app_library), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_search_pane(snap_compare, app_library, size):
    async def run_before(pilot) -> None:
        await _ready(pilot)
        await pilot.press("slash", *"lighth")
        await settle_typing(pilot)
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


def _bookmark(library, article_id: str, quote: str, note: str = "", tags=()) -> None:
    library.bookmarks.add_for_article(library.article(article_id), quote, note=note, tags=tags)


def _some_bookmarks(library) -> None:
    """Three bookmarks, one orphaned, with fixed text (timestamps are not shown)."""
    _bookmark(library, "003_6ecca0d802200a51", "“Of course, I said no,” Raimondo said.", "Quote for the lede", ["quote"])
    _bookmark(
        library,
        "000_ea3cef877529f866",
        "Premier Li Keqiang disclosed the proposal",
        "Check the date of the meeting\nagainst the ministry's release",
        ["figure-to-check", "cloud"],
    )
    gone = library.bookmarks.add(
        "gone_article", "A passage from an article that was deleted since.", 0, 49, note="still here", title="A deleted story"
    )
    library.bookmarks.orphan_missing({summary.id for summary in library.articles()})
    assert library.bookmarks.get(gone.id).orphaned


@pytest.mark.parametrize("size", SIZES)
def test_bookmarks_pane(snap_compare, app_library, size):
    _some_bookmarks(app_library)

    async def run_before(pilot) -> None:
        await _ready(pilot)
        await pilot.press("B")
        await settle(pilot)
        await pilot.press("down")  # the second bookmark: its article opens with Enter
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("escape", "escape")  # back to the pane (the passage stays marked)
        await settle(pilot)
        for widget in pilot.app.screen.query(Input):
            widget.cursor_blink = False

    assert snap_compare(_app(app_library), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_bookmark_dialog(snap_compare, app_library, size):
    _some_bookmarks(app_library)

    async def run_before(pilot) -> None:
        from reader.app.screens.bookmark_dialog import NoteArea

        await _ready(pilot)
        await pilot.press("enter", "right_parenthesis", "right_parenthesis", "b")
        await settle(pilot)
        for widget in pilot.app.screen.query(Input):
            widget.cursor_blink = False
        pilot.app.screen.query_one(NoteArea).cursor_blink = False
        await pilot.press(*"Figure to check", "tab", *"cloud, fig")
        await settle(pilot)

    assert snap_compare(_app(app_library), terminal_size=size, run_before=run_before)
