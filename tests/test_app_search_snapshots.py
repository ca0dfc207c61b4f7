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
        await pilot.press("end")
        await wait_until(pilot, lambda: len(pane.results.hits) > 30)
        await wait_until(pilot, lambda: pane.results.counted)
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
