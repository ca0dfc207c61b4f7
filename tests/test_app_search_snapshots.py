"""Snapshots of the search pane's new states: more than a page of hits sorted by date,
and the same story filed twice folded into one hit, then expanded.

Look at the report (snapshot_report.html) before ``--snapshot-update``. The
corpus is generated with a fixed seed and indexed before the app starts.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input

from reader.app.app import ReaderApp
from reader.app.marks import MemoryMarks

from .app_helpers import settle, settle_typing, wait_until
from .fake_libraries import FixedEntitiesLibrary

SIZES = [pytest.param((120, 40), id="120x40"), pytest.param((80, 24), id="80x24")]


def _app(library) -> ReaderApp:
    return ReaderApp(library, marks=MemoryMarks(), sync=False)


async def _search(pilot, text: str) -> None:
    await settle(pilot)
    await pilot.press("slash", *text)
    await settle_typing(pilot)
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False


@pytest.mark.parametrize("size", SIZES)
def test_results_by_date_past_the_first_page(snap_compare, results_library, size):
    async def run_before(pilot) -> None:
        await _search(pilot, "tariff ")
        pane = pilot.app.main.search
        await pilot.press("down", "s")
        await settle(pilot)
        first = len(pane.results.hits)
        await pilot.press("end")
        await wait_until(pilot, lambda: len(pane.results.hits) > first)
        await wait_until(pilot, lambda: pane.results.counted)
        await settle(pilot)
        await pilot.press("home")  # where the list scrolled to at the end depends on timing; its top does not
        await settle(pilot)

    assert snap_compare(_app(results_library), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_a_story_filed_twice_folded_then_expanded(snap_compare, results_library, size):
    async def run_before(pilot) -> None:
        await _search(pilot, "steel timetable ")
        pane = pilot.app.main.search
        await wait_until(pilot, lambda: bool(pane.rows.similar))
        await pilot.press("down", "space")
        await settle(pilot)

    assert snap_compare(_app(results_library), terminal_size=size, run_before=run_before)


def _samples_app(library) -> ReaderApp:
    # entities from a fixed list: these pictures are about the panes, not the NER
    return ReaderApp(FixedEntitiesLibrary(library), marks=MemoryMarks())


@pytest.mark.parametrize("size", SIZES)
def test_saved_searches_pane(snap_compare, app_library, size):
    app_library.bookmarks.add_saved_search("Lighthizer watch", "lighthizer", seen=())
    app_library.bookmarks.add_saved_search("an old one", "oldfield:china")
    app_library.bookmarks.add_saved_search("cloud", "cloud computing", seen=app_library.matching_ids("cloud computing"))

    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)

    assert snap_compare(_samples_app(app_library), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_save_search_dialog_with_a_taken_name(snap_compare, app_library, size):
    app_library.bookmarks.add_saved_search("Lighthizer watch", "lighthizer trade")

    async def run_before(pilot) -> None:
        await _search(pilot, "lighthizer ")
        await pilot.press("ctrl+s")
        await settle(pilot)
        for widget in pilot.app.screen.query(Input):
            widget.cursor_blink = False
        await pilot.press(*"lighthizer WATCH", "enter")
        await wait_until(pilot, lambda: "exists already" in pilot.app.screen.status)
        await settle(pilot)

    assert snap_compare(_samples_app(app_library), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_explain_screen(snap_compare, app_library, size):
    async def run_before(pilot) -> None:
        from reader.app.screens.explain import ExplainScreen

        await _search(pilot, "the tariffs lighthizer ")
        await pilot.press("down", "ctrl+o")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, ExplainScreen))
        await settle(pilot)

    assert snap_compare(_samples_app(app_library), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_find_in_article(snap_compare, app_library, size):
    async def run_before(pilot) -> None:
        await _search(pilot, "lighthizer ")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+f")
        for widget in pilot.app.screen.query(Input):
            widget.cursor_blink = False
        await pilot.press(*"chinese")
        await settle(pilot)

    assert snap_compare(_samples_app(app_library), terminal_size=size, run_before=run_before)
