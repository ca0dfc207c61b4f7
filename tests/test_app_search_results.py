"""The search pane's results past the first page, sorted by date, with near-duplicates folded
(issue 16 part 5, in the app), driven with Pilot over a corpus of 111 matching articles."""

from __future__ import annotations

import threading

from textual import events

from reader.app.app import ReaderApp
from reader.app.controllers import search as search_controller
from reader.app.marks import MemoryMarks
from reader.app.widgets.result_rows import ResultList
from reader.app.widgets.search_pane import SearchPane

from .app_helpers import press_until, screen_text, settle, settle_typing, type_and_settle, wait_until
from .results_corpus import MATCHING

SIZE = (120, 40)


def make_app(library) -> ReaderApp:
    return ReaderApp(library, marks=MemoryMarks(), sync=False)


def _pane(app) -> SearchPane:
    return app.main.query_one(SearchPane)


async def _searched(pilot, text: str) -> SearchPane:
    """The app settled, then ``text`` typed into the search box and its results in."""
    await settle(pilot)
    await type_and_settle(pilot, "slash", *text)
    return _pane(pilot.app)


async def test_end_loads_more_until_the_last_hit(results_library):
    app = make_app(results_library)
    async with app.run_test(size=SIZE) as pilot:
        pane = await _searched(pilot, "tariff ")
        first = pane.hits_that_fit()  # the first page: what the list shows at once, snippets with them
        assert 5 <= first < search_controller.SEARCH_LIMIT
        assert len(pane.results.hits) == first
        await wait_until(pilot, lambda: pane.results.counted)
        assert f"{MATCHING} results ({first} shown) · best match first" in pane.status
        await pilot.press("down")
        assert pane.result_list.has_focus

        async def at_last() -> bool:
            await settle(pilot)
            return pane.highlighted_hit() == MATCHING - 1

        for _ in range(10):
            if await at_last():
                break
            await pilot.press("end")
        assert pane.highlighted_hit() == MATCHING - 1
        assert len(pane.results.hits) == MATCHING
        assert len({hit.id for hit in pane.results.hits}) == MATCHING  # no page twice
        assert f"{MATCHING} results · best match first" in pane.status
        ranked = [hit.id for hit in results_library.search("tariff", limit=200).hits]
        assert [hit.id for hit in pane.results.hits] == ranked  # pages continue the same ranking
        await pilot.press("enter")
        await settle(pilot)
        assert app.main.reading.article.id == ranked[-1]


async def test_the_mouse_wheel_at_the_end_loads_more(results_library):
    app = make_app(results_library)
    async with app.run_test(size=SIZE) as pilot:
        pane = await _searched(pilot, "tariff ")
        result_list = pane.query_one(ResultList)
        first = len(pane.results.hits)
        for turn in range(300):  # a wheel turn scrolls two lines
            if len(pane.results.hits) > first:
                break
            # the wheel over the list (Pilot has no public wheel call; this is what its clicks use)
            await pilot._post_mouse_events([events.MouseScrollDown], result_list, offset=(5, 5))
            if turn % 20 == 19:
                await settle(pilot)
        await settle(pilot)
        assert len(pane.results.hits) == first + search_controller.SEARCH_LIMIT


async def test_typing_cancels_a_page_being_fetched(results_library, monkeypatch):
    app = make_app(results_library)
    real_search = results_library.search
    page_started, release = threading.Event(), threading.Event()

    def search(query, **options):
        if options.get("offset"):
            page_started.set()
            release.wait(60)
        return real_search(query, **options)

    monkeypatch.setattr(results_library, "search", search)
    async with app.run_test(size=SIZE) as pilot:
        pane = await _searched(pilot, "tariff ")
        await pilot.press("down", "end")
        await wait_until(pilot, page_started.is_set)
        assert "Loading more" in pane.status
        workers = [w for w in app.main.workers if w.group == "search" and not w.is_finished]
        assert workers
        await pilot.press("slash", *"report", "space")  # back in the box: typing goes on
        await wait_until(pilot, lambda: all(w.is_cancelled for w in workers))
        release.set()
        await settle_typing(pilot)
        assert pane.results.query.startswith("tariff report")
        assert len(pane.results.hits) == pane.hits_that_fit()  # the old page was not added


async def test_s_sorts_by_date_and_back(results_library):
    app = make_app(results_library)
    async with app.run_test(size=SIZE) as pilot:
        pane = await _searched(pilot, "tariff ")
        by_relevance = [hit.id for hit in pane.results.hits]
        await pilot.press("down", "s")
        await settle(pilot)
        dates = [hit.date for hit in pane.results.hits]
        assert dates == sorted(dates, reverse=True) and dates[0] == "2020-04-27"  # the newest of the 111
        assert "newest first" in pane.status and "newest first" in screen_text(app)
        assert pane.result_list.has_focus
        await pilot.press("end")
        await settle(pilot)
        more = [hit.date for hit in pane.results.hits]
        assert len(more) > len(dates) and more == sorted(more, reverse=True)  # pages keep the sort
        await pilot.press("s")
        await settle(pilot)
        assert [hit.id for hit in pane.results.hits] == by_relevance
        assert "best match first" in pane.status


async def test_the_same_story_filed_twice_folds_into_one_hit(results_library):
    app = make_app(results_library)
    async with app.run_test(size=SIZE) as pilot:
        pane = await _searched(pilot, "steel timetable ")
        await wait_until(pilot, lambda: bool(pane.rows.similar))
        assert len(pane.results.hits) == 2
        assert pane.result_list.option_count == 1
        text = screen_text(app)
        assert "+1 similar" in text
        await pilot.press("down")
        await pilot.press("space")
        assert pane.result_list.option_count == 2
        assert "−1 similar" in screen_text(app)
        await pilot.press("down", "enter")
        await settle(pilot)
        folded = pane.results.hits[1].id
        assert app.main.reading.article.id == folded
        await pilot.press("escape")
        await pilot.press("down", "space")
        assert pane.result_list.option_count == 1


async def test_different_stories_are_not_folded(results_library):
    app = make_app(results_library)
    async with app.run_test(size=SIZE) as pilot:
        pane = await _searched(pilot, "tariff ")
        first = len(pane.results.hits)
        await pilot.press("down", "end")
        await wait_until(pilot, lambda: len(pane.results.hits) > first)
        await settle(pilot)
        assert pane.rows.similar == {}
        assert "similar" not in screen_text(app)


async def test_exact_toggle_makes_the_whole_query_exact_and_highlights_follow(app_library):
    """ctrl+l: "talk" matches only "talk" (not "talks", "talked"); the article's highlights too."""
    app = ReaderApp(app_library, marks=MemoryMarks())
    async with app.run_test(size=SIZE) as pilot:
        pane = await _searched(pilot, "talk ")
        stemmed = pane.results.total
        await pilot.press("ctrl+l")
        await settle_typing(pilot)
        assert pane.exact and "exact words" in pane.status
        assert pane.results.total == app_library.search("talk", exact=True).total < stemmed
        # open the hit that also says "talks": a stemmed highlight would mark those too
        differs = [n for n, hit in enumerate(pane.results.hits)
                   if app_library.hit_spans("talk", hit.id) != app_library.hit_spans("talk", hit.id, exact=True)]
        assert differs
        await pilot.press("down")
        await press_until(pilot, "down", lambda: pane.highlighted_hit() == differs[0])
        await pilot.press("enter")
        await settle(pilot)
        reading = app.main.reading
        assert reading.hits
        assert {reading.body[start:end].lower() for start, end in reading.hits} == {"talk"}
        await pilot.press("slash", "ctrl+l")  # off again: the stemmed search comes back
        await settle_typing(pilot)
        assert not pane.exact and pane.results.total == stemmed


async def test_search_history_up_and_down_across_runs(app_library):
    app = ReaderApp(app_library, marks=MemoryMarks())
    async with app.run_test(size=SIZE) as pilot:
        await _searched(pilot, "lighthizer")
        await pilot.press("enter")  # opens the first hit: the query is kept
        await settle(pilot)
        await pilot.press("slash", "ctrl+u", *"cloud computing", "enter")
        await settle(pilot)
    assert app_library.bookmarks.search_history()[:2] == ["cloud computing", "lighthizer"]

    app = ReaderApp(app_library, marks=MemoryMarks())  # the next run: the box remembers, newest first
    async with app.run_test(size=SIZE) as pilot:
        pane = await _searched(pilot, "")
        await wait_until(pilot, lambda: len(pane.history) >= 2)
        await pilot.press(*"draft")
        await pilot.press("up")
        assert pane.input.value == "cloud computing"
        await pilot.press("up")
        assert pane.input.value == "lighthizer"
        await settle_typing(pilot)
        assert pane.results.total == 3  # a recalled query runs
        await pilot.press("down")
        assert pane.input.value == "cloud computing"
        await pilot.press("down")
        assert pane.input.value == "draft"  # back to what was being typed
        await settle_typing(pilot)
        await pilot.press("down")  # then down goes to the results again
        assert pane.result_list.has_focus
