"""The reader app, driven with Pilot: each user flow end to end."""

from __future__ import annotations

import subprocess
import sys
from contextlib import asynccontextmanager

import pytest
from benchmarks.app_probe import measure_keystroke_to_results
from textual.widgets import Input

from reader.app.app import ReaderApp
from reader.app.marks import MemoryMarks
from reader.app.screens.bookmark_dialog import BookmarkDialog, ConfirmDialog
from reader.app.screens.help import HelpScreen
from reader.app.screens.main import MainScreen
from reader.app.widgets.article_list import ArticleList
from reader.app.widgets.article_rows import make_rows
from reader.app.widgets.bookmarks_pane import BookmarkList, BookmarksPane
from reader.app.widgets.entity_sidebar import EntityList, EntitySidebar
from reader.app.widgets.reading import ReadingPane
from reader.app.widgets.result_rows import ResultList
from reader.app.widgets.search_pane import SearchPane
from reader.app.widgets.sync_bar import SyncBar

from .app_helpers import (
    HOSTILE_TITLE,
    press_until,
    screen_segments,
    screen_text,
    settle,
    settle_typing,
    type_and_settle,
    wait_until,
)
from .fake_libraries import BigLibrary, DirtyLibrary, HeldBigLibrary

SIZE = (120, 40)
LIGHTHIZER_ARTICLES = 3


def make_app(library, **kwargs) -> ReaderApp:
    kwargs.setdefault("marks", MemoryMarks())
    return ReaderApp(library, **kwargs)


def parts(app: ReaderApp):
    screen = app.main
    return (
        screen,
        screen.query_one(ArticleList),
        screen.query_one(ReadingPane),
        screen.query_one(EntitySidebar),
        screen.query_one(SearchPane),
    )


def visible(widget) -> bool:
    return all(node.display for node in widget.ancestors_with_self if hasattr(node, "display"))


# -- opening and reading -------------------------------------------------------


async def test_open_and_read_an_article(app_library):
    app = make_app(app_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen, article_list, reading, _sidebar, _search = parts(app)
        assert article_list.shown == 6
        assert article_list.has_focus
        first = article_list.cursor_id
        # newest first: the only dated sample leads
        assert first == "000_ea3cef877529f866"

        await pilot.press("enter")
        await settle(pilot)
        assert reading.has_focus
        assert reading.article is not None and reading.article.id == first
        text = screen_text(app)
        assert "China is offering foreign technology firms" in text
        assert "By Lingling Wei" in text
        # read mark: the open article loses its unread bullet
        assert first in article_list._read

        # j / space / G / g scroll the text
        await pilot.press("j", "j")
        assert reading.scroll_y == 2
        await pilot.press("space")
        assert reading.scroll_y > 2
        await pilot.press("G")
        assert reading.scroll_y == reading.max_scroll_y
        await pilot.press("g")
        assert reading.scroll_y == 0


async def test_text_is_wrapped_to_a_centred_measure(app_library):
    app = make_app(app_library)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        reading = app.main.query_one(ReadingPane)
        widths = [line.end - line.start for line in reading.lines if line.is_body]
        assert max(widths) <= 76
        assert reading._pad > 1  # centred in a wide pane
        # a blank line between paragraphs
        rows = reading._body_line_rows
        assert any(later - earlier == 2 for earlier, later in zip(rows, rows[1:], strict=False))


async def test_scroll_position_is_kept_per_article(app_library):
    marks = MemoryMarks()
    app = make_app(app_library, marks=marks)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        _screen, article_list, reading, _sidebar, _search = parts(app)
        first = article_list.cursor_id
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("space", "space")
        top = reading.top_offset()
        assert top > 0
        # open the next article with ], then come back with [
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert reading.article.id != first
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert reading.article.id == first
        assert reading.top_offset() == top
    assert marks.position(first) == top


async def test_read_marks_persist_between_sessions(app_library):
    marks = MemoryMarks()
    app = make_app(app_library, marks=marks)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        opened = app.main.open_id
    assert opened in marks.read_ids()

    app = make_app(app_library, marks=marks)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        article_list = app.main.query_one(ArticleList)
        assert opened in article_list._read
        # u toggles it back to unread
        article_list.select_id(opened)
        await pilot.press("u")
        assert opened not in article_list._read
        assert opened not in marks.read_ids()


async def test_read_marks_and_positions_are_stored_next_to_the_index(app_library):
    """With the real bookmark store: a second session sees the first one's marks."""
    app = ReaderApp(app_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.marks_error == ""
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("space", "space")
        opened = app.main.open_id
        top = app.main.query_one(ReadingPane).top_offset()
        assert top > 0
        await pilot.press("q")
    assert (app_library.index_dir / "bookmarks.sqlite").exists()

    app = ReaderApp(app_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        article_list = app.main.query_one(ArticleList)
        assert opened in article_list._read
        article_list.select_id(opened)
        await pilot.press("enter")
        await settle(pilot)
        assert app.main.query_one(ReadingPane).top_offset() == top


# -- the list: sort and filter -----------------------------------------------------


async def test_sort_and_filter_the_list(app_library):
    app = make_app(app_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen, article_list, *_ = parts(app)
        await pilot.press("s")
        assert article_list.sort_key == "title"
        titles = [row.title_key for row in article_list._view]
        assert titles == sorted(titles)
        await pilot.press("s")
        assert article_list.sort_key == "source"
        await pilot.press("S")
        assert article_list.sort_reverse
        await pilot.press("s")
        assert article_list.sort_key == "date"

        await pilot.press("f", *"associated")  # the one article that names its publisher (AP)
        assert article_list.shown == 1
        assert "Articles 1/6" in screen_text(app)
        await pilot.press("escape")  # clears the filter box, back to the list
        assert article_list.shown == 6
        assert article_list.has_focus
        assert not screen.query_one("#list-filter", Input).display


# -- search ---------------------------------------------------------------------------


async def test_search_as_you_type_open_hit_and_step(app_library):
    app = make_app(app_library)
    queries: list[str] = []

    def hook(message):
        if isinstance(message, SearchPane.QueryChanged):
            queries.append(message.query)

    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        await settle(pilot)
        screen, article_list, reading, _sidebar, search = parts(app)
        await pilot.press("slash")
        assert search.display and search.input.has_focus
        assert not screen.query_one("#left").display

        await pilot.press(*"lighth")
        await settle_typing(pilot)
        assert queries[-1] == "lighth*"  # the word being typed is a prefix
        assert search.results is not None
        assert search.results.total == LIGHTHIZER_ARTICLES
        assert f"{LIGHTHIZER_ARTICLES} results" in screen_text(app)
        assert search.query_one(ResultList).option_count >= LIGHTHIZER_ARTICLES

        await pilot.press("enter")
        await settle(pilot)
        assert reading.has_focus
        hit_id = search.results.hits[0].id
        assert reading.article.id == hit_id
        assert reading.targets and reading.target_label == "match"
        assert reading.target_index == 0
        first = reading.targets[0]
        assert reading.body[first.start : first.end].lower().startswith("lighth")
        # the first hit is on screen
        y = reading.line_for_offset(first.start)
        assert reading.scroll_y <= y < reading.scroll_y + reading.scrollable_content_region.height

        await pilot.press("n")
        assert reading.target_index == 1
        await pilot.press("N")
        assert reading.target_index == 0
        await pilot.press("N")  # wraps around
        assert reading.target_index == len(reading.targets) - 1
        assert "matches" in str(reading.border_subtitle)

        # Esc goes back to the search box; Esc again closes search
        await pilot.press("escape")
        assert search.input.has_focus
        await pilot.press("escape")
        assert not search.display
        assert article_list.has_focus


async def test_search_results_can_be_walked_with_arrows(app_library):
    app = make_app(app_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        _screen, _list, reading, _sidebar, search = parts(app)
        await pilot.press("slash", *"lighthizer")
        await settle_typing(pilot)
        results = search.query_one(ResultList)
        await pilot.press("down")
        assert results.has_focus
        await pilot.press("down")
        second = search.results.hits[1].id
        await pilot.press("enter")
        await settle(pilot)
        assert reading.article.id == second
        assert reading.target_index == 0


async def test_results_come_first_and_their_count_after(app_library, monkeypatch):
    """More matches than are ranked and no cheap count (a phrase, say): the hits show at once, then the count."""
    import threading

    from reader.app.controllers import search as search_controller
    from reader.index import counting

    monkeypatch.setattr(search_controller, "SEARCH_LIMIT", 2)
    monkeypatch.setattr(counting, "cheap_count", lambda searcher, query: None)
    app = make_app(app_library)
    counted: list[int] = []
    real_count = app_library.count
    release = threading.Event()  # counts wait for it: the "counting…" state holds however slow the machine

    def count(query, **options):
        counted.append(options.get("prefix_words"))
        release.wait(60)
        return real_count(query, **options)

    monkeypatch.setattr(app_library, "count", count)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        search = app.main.query_one(SearchPane)
        await pilot.press("slash", *"china", "space")
        await wait_until(pilot, lambda: search.results is not None and search.results.query == "china")
        assert len(search.results.hits) == 2
        assert "2+ results (counting…)" in search.status  # counted once typing pauses
        release.set()
        await wait_until(pilot, lambda: search.results.counted)
        assert search.results.total == 5
        assert "5 results (2 shown)" in search.status
        assert counted[-1] is None  # "china " is a finished word: no completion


async def test_a_word_is_counted_with_its_hits(app_library, monkeypatch):
    """A word's total comes from its posting lists with the hits: no "counting…", no second worker."""
    from reader.app.controllers import search as search_controller

    monkeypatch.setattr(search_controller, "SEARCH_LIMIT", 2)
    counted: list[str] = []
    monkeypatch.setattr(app_library, "count", lambda query, **options: counted.append(query) or 0)
    app = make_app(app_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        search = app.main.query_one(SearchPane)
        await pilot.press("slash", *"china", "space")
        await wait_until(pilot, lambda: search.results is not None and search.results.query == "china")
        assert "5 results (2 shown)" in search.status
        assert search.results.counted and counted == []


async def test_typed_word_stands_for_its_likeliest_completion(app_library):
    """``tar`` while typing searches ``tariff`` (the commonest ``tar`` word), ``tar*`` typed searches them all."""
    app = make_app(app_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        search = app.main.query_one(SearchPane)
        await type_and_settle(pilot, "slash", *"tar")
        assert search.results.terms == ("tariff",)
        await pilot.press("enter")  # the article highlights what was searched: "tariff", not "target"
        await settle(pilot)
        body = app.main.reading.article.body
        assert {body[start:end].lower().rstrip("s") for start, end in app.main.reading.hits} == {"tariff"}
        await pilot.press("slash")
        await type_and_settle(pilot, "asterisk")
        assert set(search.results.terms) == {"target", "tariff"}


async def test_a_word_of_one_or_two_letters_waits_for_a_pause_or_enter(app_library, monkeypatch):
    """``china s``: the results for ``china`` stay while the ``s`` may become any word; Enter
    (or a pause) searches the text as typed."""
    from reader.app.widgets import search_pane

    monkeypatch.setattr(search_pane, "SHORT_WORD_PAUSE", 3600)  # here only Enter ends the wait
    asked: list[str] = []
    real_search = app_library.search
    monkeypatch.setattr(app_library, "search", lambda query, **options: asked.append(query) or real_search(query, **options))
    app = make_app(app_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        search = app.main.query_one(SearchPane)
        await type_and_settle(pilot, "slash", *"china", "space")
        assert search.results.query == "china"
        await pilot.press("s")
        await settle(pilot)
        assert search.input.value == "china s"
        assert "china s" not in asked and search.results.query == "china"
        await pilot.press("enter")
        await wait_until(pilot, lambda: search.results is not None and search.results.query == "china s")


async def test_a_short_word_is_searched_once_typing_pauses(app_library):
    app = make_app(app_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        search = app.main.query_one(SearchPane)
        await pilot.press("slash", "c", "h")
        await wait_until(pilot, lambda: search.results is not None and search.results.query == "ch")


async def test_typing_on_through_a_word_with_the_same_completion_keeps_the_results(app_library, monkeypatch):
    """``tar``, ``tari``, ``tarif`` all search ``tariff``: searched once, the results stay on screen."""
    asked: list[str] = []
    real_search = app_library.search
    monkeypatch.setattr(app_library, "search", lambda query, **options: asked.append(query) or real_search(query, **options))
    app = make_app(app_library)
    shown: list[str] = []

    def hook(message) -> None:
        if isinstance(message, SearchPane.ResultsShown):
            shown.append(message.query)

    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        await settle(pilot)
        search = app.main.query_one(SearchPane)
        await type_and_settle(pilot, "slash", *"tar")
        hits = search.results.hits
        assert search.results.terms == ("tariff",)
        await type_and_settle(pilot, "i")
        await type_and_settle(pilot, "f")
        assert [query for query in asked if query.startswith("tar")] == ["tar*"]
        assert list(dict.fromkeys(shown))[-3:] == ["tar*", "tari*", "tarif*"]  # each key's query answered (it bubbles)
        assert search.results.hits is hits and search.results.query == "tarif*"
        assert app.main.searcher.searches_kept == 2
        await type_and_settle(pilot, "space")  # "tarif" as a finished word runs another search
        assert asked[-1] == "tarif" and search.results.query == "tarif"


async def test_query_errors_show_inline(app_library):
    app = make_app(app_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        search = app.main.query_one(SearchPane)
        await type_and_settle(pilot, "slash", *"foo:bar")
        assert "unknown field" in search.status
        assert search.results is None
        # still alive and searchable
        await pilot.press(*(["backspace"] * 7), *"trade")
        await settle_typing(pilot)
        assert search.results is not None and search.results.total > 0


async def test_suggestion_and_any_word_fallback(app_library):
    app = make_app(app_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        search = app.main.query_one(SearchPane)
        await pilot.press("slash", *"Lightizer", "space")
        await settle_typing(pilot)
        assert search.results.total == 0
        assert "Did you mean lighthizer?" in search.status
        await pilot.press("ctrl+y")
        await settle_typing(pilot)
        assert search.input.value == "lighthizer"
        assert search.results.total == LIGHTHIZER_ARTICLES

        search.input.value = ""
        await pilot.press(*"lighthizer zanzibar", "space")
        await settle_typing(pilot)
        assert search.results.fallback
        assert "showing any word" in search.status


# -- entities ---------------------------------------------------------------------------


async def test_pick_an_entity_and_filter_the_list(app_library):
    app = make_app(app_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen, article_list, reading, sidebar, _search = parts(app)
        await pilot.press("enter")
        await settle(pilot)
        assert "Robert Lighthizer" in sidebar.names

        await pilot.press("e")
        assert sidebar.display
        entity_list = sidebar.query_one(EntityList)
        assert entity_list.has_focus
        # walk down to Robert Lighthizer with j
        await press_until(pilot, "j", lambda: sidebar.current is not None and sidebar.current.name == "Robert Lighthizer")
        await pilot.press("n")  # his first mention in the text
        await settle(pilot)
        assert reading.target_label == "Robert Lighthizer"
        assert reading.target_index == 0
        mention = reading.targets[0]
        assert reading.body[mention.start : mention.end] == "Robert Lighthizer"
        detail = screen_text(app)
        assert f"in {LIGHTHIZER_ARTICLES} articles" in detail
        await pilot.press("n")  # next mention
        assert reading.target_index == 1 % len(reading.targets)
        await pilot.press("N")  # and back
        assert reading.target_index == 0

        await pilot.press("f")  # filter the list to the articles mentioning him
        await settle(pilot)
        assert article_list.has_focus
        assert article_list.shown == LIGHTHIZER_ARTICLES
        assert article_list.entity_filter == "Robert Lighthizer"
        assert "with Robert Lighthizer" in screen_text(app)

        # jump to another of his articles through the filtered list
        other = next(i for i in article_list.row_ids if i != reading.article.id)
        article_list.select_id(other)
        await pilot.press("enter")
        await settle(pilot)
        assert reading.article.id == other
        # following him: the new article opens at his first mention
        assert reading.target_label == "Robert Lighthizer" and reading.target_index == 0
        assert sidebar.current is not None and sidebar.current.name == "Robert Lighthizer"

        # the same key in the sidebar clears the filter again
        await pilot.press("e")
        await press_until(pilot, "j", lambda: sidebar.current is not None and sidebar.current.name == "Robert Lighthizer")
        await pilot.press("f")
        await settle(pilot)
        assert article_list.entity_filter is None
        assert article_list.shown == 6


async def test_escape_in_the_list_clears_an_entity_filter(app_library):
    app = make_app(app_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        _screen, article_list, _reading, sidebar, _search = parts(app)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("e")
        sidebar.select("Robert Lighthizer", "person")
        await pilot.press("f")
        await settle(pilot)
        assert article_list.shown == LIGHTHIZER_ARTICLES
        await pilot.press("escape")
        assert article_list.shown == 6


async def test_toggle_entity_kinds(app_library):
    app = make_app(app_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen, _list, reading, sidebar, _search = parts(app)
        await pilot.press("enter")
        await settle(pilot)
        person = next(m for m in reading.mentions if m.kind == "person")
        place = next(m for m in reading.mentions if m.kind == "place")

        def styled(mention) -> bool:
            return any(
                start <= mention.start and mention.end <= end
                for start, end, _style in reading._spans_for(mention.start, mention.end)
            )

        assert styled(person) and styled(place)
        await pilot.press("1")  # people off
        assert "person" not in reading.kinds
        assert not styled(person) and styled(place)
        await pilot.press("3")  # places off
        assert not styled(place)
        await pilot.press("1", "3")
        assert styled(person) and styled(place)
        # dates start off and can be turned on
        assert "date" not in reading.kinds
        await pilot.press("7")
        assert "date" in reading.kinds and "date" in sidebar._kinds


async def test_clicking_a_mention_selects_the_entity(app_library):
    app = make_app(app_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        _screen, _list, reading, sidebar, _search = parts(app)
        await pilot.click(ArticleList, offset=(5, 0))  # a click opens the first row
        await settle(pilot)
        assert reading.article is not None
        mention = next(m for m in reading.mentions if m.canonical == "Robert Lighthizer")
        reading.scroll_to_offset(mention.start)
        await pilot.pause()
        y = reading.line_for_offset(mention.start) - int(reading.scroll_y)
        line = reading.lines[reading.line_for_offset(mention.start)]
        x = reading._pad + (mention.start - line.start) + 1
        region = reading.content_region
        await pilot.click(ReadingPane, offset=(x + region.x - reading.region.x, y + region.y - reading.region.y))
        await settle(pilot)
        assert sidebar.display
        assert sidebar.current is not None and sidebar.current.name == "Robert Lighthizer"
        assert reading.target_label == "Robert Lighthizer"


# -- layout ---------------------------------------------------------------------------------


def _panes(app):
    screen = app.main
    return [
        pane
        for pane in (
            screen.query_one("#left"),
            screen.query_one("#search"),
            screen.query_one("#reading"),
            screen.query_one("#entities"),
        )
        if pane.display
    ]


def _no_overlap(app, size):
    panes = _panes(app)
    for index, pane in enumerate(panes):
        region = pane.region
        assert region.width > 0 and region.right <= size[0]
        for other in panes[index + 1 :]:
            assert not region.overlaps(other.region), (pane.id, other.id)


async def test_resize_collapses_side_panes(app_library):
    app = make_app(app_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        assert {pane.id for pane in _panes(app)} == {"left", "reading", "entities"}
        _no_overlap(app, SIZE)

        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        shown = {pane.id for pane in _panes(app)}
        assert shown == {"reading", "entities"}  # the list gives way to the sidebar in use
        _no_overlap(app, (80, 24))
        await pilot.press("tab")  # wraps to the list: it comes back, the sidebar gives way
        await pilot.pause()
        assert {pane.id for pane in _panes(app)} == {"left", "reading"}
        _no_overlap(app, (80, 24))

        await pilot.resize_terminal(50, 20)
        await settle(pilot)
        assert [pane.id for pane in _panes(app)] == ["left"]
        await pilot.press("tab")
        await pilot.pause()
        assert [pane.id for pane in _panes(app)] == ["reading"]

        await pilot.resize_terminal(*SIZE)
        await settle(pilot)
        _no_overlap(app, SIZE)
        assert len(_panes(app)) == 3


async def test_usable_at_80x24(app_library):
    app = make_app(app_library)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        _screen, article_list, reading, _sidebar, search = parts(app)
        assert article_list.shown == 6
        await pilot.press("enter")
        await settle(pilot)
        assert reading.article is not None
        assert reading.region.width >= 44
        await pilot.press("slash", *"lighth")
        await settle_typing(pilot)
        assert search.results.total == LIGHTHIZER_ARTICLES
        _no_overlap(app, (80, 24))


async def test_zoom_the_reading_pane(app_library):
    app = make_app(app_library)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        reading = app.main.query_one(ReadingPane)
        narrow = reading.region.width
        await pilot.press("z")
        await pilot.pause()
        assert app.main.maximized is reading
        assert reading.region.width == 80
        assert max(line.end - line.start for line in reading.lines if line.is_body) <= 76
        await pilot.press("escape")
        await pilot.pause()
        assert app.main.maximized is None
        assert reading.region.width == narrow


# -- keys, help, palette, themes ----------------------------------------------------------------


def test_every_binding_has_an_id():
    from textual.binding import Binding

    classes = [
        ReaderApp, MainScreen, HelpScreen, ArticleList, ReadingPane, EntitySidebar, EntityList, SearchPane, ResultList,
        BookmarksPane, BookmarkList, BookmarkDialog, ConfirmDialog,
    ]
    for cls in classes:
        for binding in cls.BINDINGS:
            assert isinstance(binding, Binding), (cls, binding)
            assert binding.id, (cls.__name__, binding.key)


async def test_help_is_built_from_live_bindings(app_library):
    app = make_app(app_library, keymap={"main.search": "ctrl+s"})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-text").visual)
        for info in app.bindings_info():
            assert info.description in text
            assert info.binding_id not in text  # words, not internal names
        for section in ("Everywhere", "Article list", "Reading pane", "Entity sidebar", "Search pane", "Bookmarks pane"):
            assert section in text
        search_line = next(line for line in text.splitlines() if line.rstrip().endswith(" Search"))
        assert "^s" in search_line  # the remapped key, not the default
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        # the remapped key works
        await pilot.press("ctrl+s")
        assert app.main.searching


async def test_every_action_is_in_the_command_palette(app_library):
    app = make_app(app_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = {command.title for command in app.get_system_commands(app.main)}
        for info in app.bindings_info():
            if info.action in ("command_palette", "help_quit", "quit"):
                continue
            expected = info.description if info.section == "Everywhere" else f"{info.section}: {info.description}"
            assert expected in titles
        # running one from the palette works
        command = next(c for c in app.get_system_commands(app.main) if c.title == "Search")
        command.callback()
        await pilot.pause()
        assert app.main.searching


async def test_light_and_dark_themes(app_library):
    app = make_app(app_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.current_theme.dark
        await pilot.press("enter")
        await settle(pilot)
        reading = app.main.query_one(ReadingPane)
        dark_style = reading.get_component_rich_style("reading-pane--person")
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert not app.current_theme.dark
        light_style = reading.get_component_rich_style("reading-pane--person")
        assert dark_style.color != light_style.color or dark_style.bgcolor != light_style.bgcolor


# -- startup and syncing ----------------------------------------------------------------------------


async def test_missing_index_syncs_in_the_background(fresh_library):
    app = make_app(fresh_library)
    progress: list[tuple[int, int]] = []

    def hook(message):
        from reader.app.messages import SyncProgress

        if isinstance(message, SyncProgress):
            progress.append((message.done, message.total))

    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        await pilot.pause()
        screen, article_list, *_ = parts(app)
        await settle(pilot)
        await settle(pilot)
        assert progress and progress[-1][0] == progress[-1][1] == 6
        assert not screen.query_one(SyncBar).display
        assert article_list.shown == 6
        assert fresh_library.pending() == 0


def test_spacy_is_not_imported_when_the_index_is_fresh(app_library):
    script = f"""
import asyncio, sys
from reader import Library
from reader.app.app import ReaderApp

async def main():
    library = Library({str(app_library.articles_dir)!r}, {str(app_library.index_dir)!r})
    app = ReaderApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter", "e", "j", "enter", "f")
        await app.workers.wait_for_complete()
        await pilot.pause()
    print("spacy" in sys.modules, "reader.entities.spacy_backend" in sys.modules)

asyncio.run(main())
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False"]


def test_importing_the_app_package_does_not_import_textual():
    result = subprocess.run(
        [sys.executable, "-c", "import sys, reader.app; print('textual' in sys.modules)"],
        capture_output=True,
        text=True,
    )
    assert result.stdout.strip() == "False"


async def test_list_of_100k_articles_stays_fast():
    """Moving and filtering do not grow with the list beyond what they must (timings: benchmarks/app_probe.py)."""
    app = make_app(BigLibrary(100_000), sync=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        article_list = app.main.query_one(ArticleList)
        assert article_list.shown == 100_000
        await pilot.press("G")
        assert article_list.cursor == 99_999 and "Synthetic article number" in screen_text(app)
        await pilot.press("g")
        assert article_list.cursor == 0 and "Synthetic article number" in screen_text(app)

        await pilot.press("f", *"number 99998")
        await settle_typing(pilot)  # big lists filter when typing pauses
        assert article_list.shown == 1
        assert article_list.row_ids == ["a099998"]

        # Filtering: the first words look at every row, the next keys only at the rows shown
        # (counted on 20,000 rows: what is looked at does not depend on the size).
        looked_at = [0]

        class Haystack(str):
            def __contains__(self, word: object) -> bool:
                looked_at[0] += 1
                return super().__contains__(word)  # type: ignore[operator]

        rows = make_rows(BigLibrary(20_000).articles())
        article_list.filter_text = ""
        article_list.set_rows([row._replace(haystack=Haystack(row.haystack)) for row in rows])
        looked_at[0] = 0
        article_list.filter_text = "number 9"
        shown = article_list.shown
        assert looked_at[0] == 2 * 20_000 and shown < 12_000  # each word looks at each row
        looked_at[0] = 0
        article_list.filter_text = "number 19999"
        assert article_list.shown == 1
        assert looked_at[0] == 2 * shown, (looked_at[0], shown)  # narrowing: only what was shown


@asynccontextmanager
async def newest_rows_only(count: int = 5_000):
    """The app showing only the newest rows of ``count``; ``library.released.set()`` brings the rest."""
    library = HeldBigLibrary(count)
    app = make_app(library, sync=False)
    async with app.run_test(size=SIZE) as pilot:
        article_list = app.main.query_one(ArticleList)
        await wait_until(pilot, lambda: article_list.shown)
        yield library, pilot, article_list


async def test_newest_rows_show_before_the_full_list_and_it_keeps_the_selection():
    async with newest_rows_only() as (library, pilot, article_list):
        app = pilot.app
        newest = article_list.row_ids
        assert len(newest) == 200 and article_list.total == 5_000
        assert "Articles 5,000" in screen_text(app)
        assert article_list.virtual_size.height == 5_000 * article_list.row_height  # the scrollbar as it will be
        await pilot.press(*["down"] * 30)
        cursor, chosen, scroll = article_list.cursor, article_list.cursor_id, article_list.scroll_offset
        assert scroll.y > 0
        screen = screen_text(app)

        library.released.set()
        await settle(pilot)
        assert article_list.shown == 5_000
        assert article_list.row_ids[:200] == newest  # the newest rows were the list's first rows
        assert (article_list.cursor, article_list.cursor_id, article_list.scroll_offset) == (cursor, chosen, scroll)
        assert screen_text(app) == screen


async def test_sorting_before_the_full_list_waits_for_it():
    async with newest_rows_only() as (library, pilot, article_list):
        await pilot.press("s")  # by title: the newest rows are not the first of that
        assert article_list.shown == 0
        assert "Loading…" in screen_text(pilot.app)

        library.released.set()
        await settle(pilot)
        assert article_list.shown == 5_000
        titles = [row.title_key for row in article_list._view]
        assert titles == sorted(titles)


# -- untrusted text ---------------------------------------------------------------------------------


def _assert_terminal_safe(app):
    for segment in screen_segments(app):
        text = segment.text
        assert "\x1b" not in text and "\x9b" not in text and "\x07" not in text
        assert "\u202e" not in text and "\u202c" not in text
        assert not any(0x80 <= ord(ch) <= 0x9F for ch in text)


async def test_hostile_article_through_every_screen(app_library):
    app = make_app(app_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        _screen, article_list, reading, sidebar, search = parts(app)
        assert article_list.select_id("999_hostile")
        text = screen_text(app)
        assert "[bold]x[/] [link=file:///etc/pass" in text
        _assert_terminal_safe(app)

        await pilot.press("enter")
        await settle(pilot)
        text = screen_text(app)
        assert HOSTILE_TITLE.split(" [/")[0] in text
        assert "[bold]not bold[/bold]" in text
        assert "[link=file:///etc/passwd]a link[/link]" in text
        _assert_terminal_safe(app)
        # the 120,000-character line is folded, not a hang
        assert max(line.end - line.start for line in reading.lines if line.is_body) <= 76
        await pilot.press("G")
        await pilot.pause()
        assert "Zanzibar" in screen_text(app)

        await pilot.press("e")
        await pilot.pause()
        assert "Ruth Gadsby" in sidebar.names
        _assert_terminal_safe(app)

        await pilot.press("slash", *"zanzibar")
        await settle_typing(pilot)
        assert search.results.total == 1
        _assert_terminal_safe(app)
        await pilot.press("enter")
        await settle(pilot)
        assert reading.targets

        await pilot.press("escape", "escape", "question_mark")
        await pilot.pause()
        _assert_terminal_safe(app)


async def test_control_characters_are_stripped_at_the_widget_boundary(app_library):
    """Even if the library handed over dirty text, nothing dangerous is drawn
    and highlights stay on the right words."""
    app = make_app(DirtyLibrary(app_library))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        _assert_terminal_safe(app)
        await pilot.press("enter")
        await settle(pilot)
        _assert_terminal_safe(app)
        reading = app.main.query_one(ReadingPane)
        for mention in reading.mentions:
            assert reading.body[mention.start : mention.end] == mention.text
        await pilot.press("slash", *"lighth")
        await settle_typing(pilot)
        await pilot.press("enter")
        await settle(pilot)
        _assert_terminal_safe(app)
        for target in reading.targets:
            assert reading.body[target.start : target.end].lower().startswith("lighth")


# -- measurement ------------------------------------------------------------------------------------


async def test_measure_keystroke_to_results(app_library):
    held: list[float] = []
    timings = await measure_keystroke_to_results(app_library, "lighth", held=held)
    # "l" and "li" wait for a pause (timed to the frame echoing them); every key after gets its results
    assert len(timings) == 4 and len(held) == 2
    assert all(seconds > 0 for seconds in timings + held)


@pytest.mark.parametrize(
    ("typed", "sent"),
    [
        ("lighth", "lighth*"),
        ("trade light", "trade light*"),
        ("trade ", "trade"),
        ("l", "l"),
        ("li", "li"),  # two letters would expand to too many words in a big index
        ("lig", "lig*"),
        ('"trade sec', '"trade sec'),
        ('"trade secrets" light', '"trade secrets" light*'),
        ("title:deal", "title:deal"),
        ("trade OR", "trade OR"),
        ("comput*", "comput*"),
        ("Lightizer~", "Lightizer~"),
        ("", ""),
    ],
)
def test_the_word_being_typed_is_a_prefix(typed, sent):
    from reader.app.query import as_you_type

    assert as_you_type(typed) == sent


@pytest.mark.parametrize(
    ("typed", "waits"),
    [
        ("s", True),
        ("st", True),
        ("sto", False),
        ("stock m", True),
        ("stock ma", True),
        ("stock ", False),
        ("EU", True),
        ('"stock m', False),  # an open phrase: searched as typed
        ("title:m", False),
        ("stock OR", False),
        ("m*", False),
        ("", False),
    ],
)
def test_a_word_too_short_for_a_prefix_waits(typed, waits):
    from reader.app.query import waits_for_more

    assert waits_for_more(typed) is waits
