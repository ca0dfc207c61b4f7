"""Saved searches in the app: saving the search shown (ctrl+s), the pane (w) with new counts
updated after a sync, Enter runs one and marks it seen, bad input answered inline; and
the explain screen (ctrl+o)."""

from __future__ import annotations

from reader import saved_searches
from reader.app.app import ReaderApp
from reader.app.marks import MemoryMarks
from reader.app.screens.explain import ExplainScreen
from reader.app.screens.save_search import SaveSearchDialog
from reader.app.widgets.saved_pane import SavedPane
from reader.app.widgets.search_pane import SearchPane

from .app_helpers import screen_text, settle, type_and_settle, wait_until

SIZE = (120, 40)
NEW_ARTICLE = """Lighthizer returns to Beijing

WASHINGTON -- U.S. Trade Representative Robert Lighthizer will return to Beijing next week, officials said.
"""


def make_app(library, **options) -> ReaderApp:
    return ReaderApp(library, marks=MemoryMarks(), **options)


async def _save(pilot, name: str) -> SaveSearchDialog:
    await pilot.press("ctrl+s")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, SaveSearchDialog))
    dialog = pilot.app.screen
    await pilot.press(*name, "enter")
    await wait_until(pilot, lambda: not dialog.saving)
    await settle(pilot)
    return dialog


async def test_save_the_search_then_watch_it_in_the_saved_pane(app_library):
    app = make_app(app_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_and_settle(pilot, "slash", *"lighthizer", "space")
        dialog = await _save(pilot, "Lighthizer watch")
        assert not dialog.is_attached or app.screen is not dialog
        [saved] = app_library.bookmarks.saved_searches()
        assert (saved.name, saved.query) == ("Lighthizer watch", "lighthizer")

        # the same name again (names ignore case): an inline message, the dialog stays, nothing lost
        await pilot.press("slash")
        dialog = await _save(pilot, "LIGHTHIZER WATCH")
        assert app.screen is dialog and "exists already" in dialog.status
        await pilot.press("escape")
        assert [s.query for s in app_library.bookmarks.saved_searches()] == ["lighthizer"]

        await pilot.press("escape")  # out of the search box
        await pilot.press("w")
        await settle(pilot)
        pane = app.main.query_one(SavedPane)
        assert pane.display and pane.saved_list.has_focus
        assert "Lighthizer watch" in screen_text(app) and "3 articles · 0 new" in screen_text(app)
        assert "w Saved searches" in screen_text(app)  # in the footer

        # a matching article arrives and a sync runs: the pane counts it as new
        (app_library.articles_dir / "lighthizer_new.txt").write_text(NEW_ARTICLE, encoding="utf-8")
        app.main.startup.start_sync(1)
        await wait_until(pilot, lambda: "4 articles · 1 new" in screen_text(app))

        # Enter runs it in the search pane and marks it seen
        await pilot.press("enter")
        await settle(pilot)
        search = app.main.query_one(SearchPane)
        assert search.display and search.results is not None and search.results.total == 4
        await wait_until(pilot, lambda: "1 new since you last looked" in search.status)
        [new_id] = search.rows.new
        assert new_id.startswith("lighthizer_new")
        number = next(n for n, hit in enumerate(search.results.hits) if hit.id == new_id)
        row = str(search.result_list.get_option(f"hit-{number}").prompt).splitlines()
        assert row[1].startswith("new")  # the new article is marked in the list
        status = saved_searches.statuses(app_library)[0]
        assert (status.total, status.new) == (4, 0)
        await pilot.press("escape", "w")
        await wait_until(pilot, lambda: "4 articles · 0 new" in screen_text(app))


async def test_a_saved_search_that_no_longer_parses_says_so_and_is_kept(app_library):
    app_library.bookmarks.add_saved_search("old", "oldfield:china")
    app_library.bookmarks.add_saved_search("trade", "trade")
    app = make_app(app_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        pane = app.main.query_one(SavedPane)
        assert "cannot run" in screen_text(app)
        await pilot.press("enter")  # "old" sorts first
        await settle(pilot)
        assert pane.display and "no longer parses" in pane.status and "kept" in pane.status
        assert not app.main.query_one(SearchPane).display
        assert [s.name for s in app_library.bookmarks.saved_searches()] == ["old", "trade"]


async def test_an_in_bookmarks_search_is_not_saved(app_library):
    app = make_app(app_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_and_settle(pilot, "slash", *"in:bookmarks quote")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, SaveSearchDialog)
        assert "not saved" in app.main.query_one(SearchPane).status


async def test_explain_shows_the_query_as_understood_and_why_the_hit_ranks(app_library):
    app = make_app(app_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        search = app.main.query_one(SearchPane)
        await type_and_settle(pilot, "slash", *"the tariffs lighthizer", "space")
        await pilot.press("down", "down")  # the second hit
        second = search.results.hits[1]
        await pilot.press("ctrl+o")
        await wait_until(pilot, lambda: isinstance(app.screen, ExplainScreen))
        text = app.screen.text
        expected = app_library.explain("the tariffs lighthizer", limit=2)
        assert "common words left out: the" in text
        assert "tariffs  word → tariff" in text  # the stem searched
        assert expected.match in text
        assert "(#2)" in text and second.title[:40] in text
        [why] = [hit for hit in expected.hits if hit.id == second.id]
        assert f"score {why.score:.2f}" in text
        await pilot.press("escape")
        assert not isinstance(app.screen, ExplainScreen)
        assert search.result_list.has_focus
