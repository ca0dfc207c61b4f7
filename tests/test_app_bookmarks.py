"""Bookmarks in the app, driven with Pilot: the passage cursor, the dialog, the
bookmarks pane, ``in:bookmarks`` search, and never losing a bookmark."""

from __future__ import annotations

import json
import shutil

import pytest
from textual.widgets import Input

from reader import Library
from reader.app.app import ReaderApp
from reader.app.screens.bookmark_dialog import BookmarkDialog, ConfirmDialog, NoteArea
from reader.app.screens.export_dialog import ExportDialog
from reader.app.screens.main import MainScreen
from reader.app.widgets.article_list import ArticleList
from reader.app.widgets.bookmarks_pane import BookmarkList, BookmarksPane
from reader.app.widgets.reading import MARK_NOTE, ReadingPane
from reader.app.widgets.search_pane import SearchPane
from reader.bookmarks import BookmarkStoreError

from .app_helpers import (
    FIRST_SENTENCE,
    HOSTILE_TITLE,
    RAIMONDO,
    make_app,
    notifications,
    open_article,
    press_until,
    screen_segments,
    screen_text,
    settle,
    settle_typing,
    type_and_settle,
)
from .fake_libraries import DIRT, DirtyLibrary
from .paths import SAMPLES

SIZE = (120, 40)
CHINA_CLOUD = "000_ea3cef877529f866"
SECOND_SENTENCE = (
    "During a visit to revive frosty relations, Raimondo said she conveyed complaints to officials "
    "including China’s No. 2 leader, Premier Li Qiang, about Chinese restrictions on U.S. technology companies."
)
THIRD_SENTENCE = (
    "She said conditions for foreign companies are getting worse following an expansion of an "
    "anti-spying law and raids on consulting firms."
)
NO_SENTENCE = "“Of course, I said no,” Raimondo said."


async def move_to(pilot, reading: ReadingPane, sentence: str, limit: int = 80) -> None:
    for _ in range(limit):
        if reading.passage_text == sentence:
            return
        await pilot.press("right_parenthesis")
    raise AssertionError(f"never reached {sentence!r}; at {reading.passage_text!r}")


def on_screen(reading: ReadingPane, offset: int) -> bool:
    y = reading.line_for_offset(offset)
    return reading.scroll_y <= y < reading.scroll_y + reading.scrollable_content_region.height


def cell(reading: ReadingPane, offset: int) -> tuple[int, int]:
    """The widget-relative cell showing body ``offset`` (it must be on screen)."""
    y = reading.line_for_offset(offset)
    line = reading.lines[y]
    x = reading._pad + (offset - line.start)
    region = reading.content_region
    return x + region.x - reading.region.x, y - int(reading.scroll_y) + region.y - reading.region.y


def add(library, article_id: str, quote: str, note: str = "", tags=()):
    article = library.article(article_id)
    return library.bookmarks.add_for_article(article, quote, note=note, tags=tags)


# -- the passage cursor ---------------------------------------------------------------


async def test_passage_cursor_moves_by_sentence_and_paragraph(app_library):
    app = make_app(app_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reading = await open_article(pilot, RAIMONDO)
        assert reading.passage is None
        await pilot.press("right_parenthesis")  # the first sentence on screen
        assert reading.passage_text == FIRST_SENTENCE
        await pilot.press("right_parenthesis")
        assert reading.passage_text == SECOND_SENTENCE  # "No. 2" does not end a sentence
        await pilot.press("right_parenthesis")
        assert reading.passage_text == THIRD_SENTENCE
        await pilot.press("left_parenthesis")
        assert reading.passage_text == SECOND_SENTENCE

        await pilot.press("left_curly_bracket")  # from a sentence: its whole paragraph
        assert reading.passage_text == SECOND_SENTENCE + " " + THIRD_SENTENCE
        assert reading.passage_unit == "paragraph"
        await pilot.press("right_curly_bracket")
        assert reading.passage_text.startswith("Raimondo joined a series of American officials")
        await pilot.press("left_curly_bracket", "left_curly_bracket")
        assert reading.passage_text == FIRST_SENTENCE
        await pilot.press("right_parenthesis")  # from a paragraph: its first sentence
        assert reading.passage_text == FIRST_SENTENCE

        await pilot.press("greater_than_sign")  # extend by a sentence, then drop it again
        assert reading.passage_text == FIRST_SENTENCE + "\n\n" + SECOND_SENTENCE
        await pilot.press("less_than_sign")
        assert reading.passage_text == FIRST_SENTENCE

        # the cursor has its own style, and is kept on screen when it moves far
        start, end = reading.passage
        passage_style = reading.get_component_rich_style("reading-pane--passage")
        assert any(style == passage_style for _s, _e, style in reading._spans_for(start, end))
        await move_to(pilot, reading, NO_SENTENCE)
        assert on_screen(reading, reading.passage[0])
        reading.set_passage(*reading.sentences[-2])
        await pilot.press("right_parenthesis", "right_parenthesis", "right_parenthesis")
        assert on_screen(reading, reading.passage[0])
        assert reading.passage == reading.sentences[-1]  # the last sentence, no further
        assert reading.passage[1] == len(reading.body.rstrip())

        await pilot.press("escape")  # Esc drops the cursor first, then leaves the pane
        assert reading.passage is None and reading.has_focus
        await pilot.press("escape")
        assert app.main.query_one(ArticleList).has_focus


async def test_page_up_keys_and_b_no_longer_pages(app_library):
    app = make_app(app_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reading = await open_article(pilot, RAIMONDO)
        await pilot.press("space", "space")
        paged = reading.scroll_y
        assert paged > 0
        await pilot.press("pageup")
        assert reading.scroll_y < paged
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, BookmarkDialog)  # b bookmarks now
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_click_puts_the_cursor_on_a_sentence_and_double_click_on_a_paragraph(app_library):
    app = make_app(app_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reading = await open_article(pilot, RAIMONDO)
        offset = reading.body.index("conveyed complaints")
        await pilot.click(ReadingPane, offset=cell(reading, offset))
        await settle(pilot)
        assert reading.passage_text == SECOND_SENTENCE
        await pilot.double_click(ReadingPane, offset=cell(reading, offset))
        await settle(pilot)
        assert reading.passage_text == SECOND_SENTENCE + " " + THIRD_SENTENCE


# -- bookmarking ------------------------------------------------------------------------


async def test_b_saves_a_bookmark_with_note_and_tags(app_library):
    app = make_app(app_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reading = await open_article(pilot, RAIMONDO)
        await pilot.press("right_parenthesis", "right_parenthesis")
        await pilot.press("b")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, BookmarkDialog)
        assert dialog.draft.quote == SECOND_SENTENCE
        assert isinstance(app.focused, NoteArea)
        await pilot.press(*"Who is No. 2?", "tab", *"people, #check", "enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)

        (bookmark,) = app_library.bookmarks.list()
        assert bookmark.quote == SECOND_SENTENCE
        assert bookmark.article == RAIMONDO
        assert bookmark.note == "Who is No. 2?"
        assert bookmark.tags == ("people", "check")
        assert app_library.article(RAIMONDO).body[bookmark.start : bookmark.end] == SECOND_SENTENCE
        assert "Bookmark saved" in notifications(app)

        # the passage is marked in the text, with a note mark in the gutter
        (mark,) = reading.marks
        assert (mark.start, mark.end) == (bookmark.start, bookmark.end) and mark.has_note
        mark_style = reading.get_component_rich_style("reading-pane--bookmark")
        assert any(style == mark_style for _s, _e, style in reading._spans_for(mark.start, mark.end))
        first_line = next(
            line for line in screen_text(app).splitlines() if "During a visit to revive frosty" in line
        )
        assert MARK_NOTE + "During a visit" in first_line
        assert "Article · 1 bookmark" in screen_text(app)  # the pane title counts them

        # b on the bookmarked passage edits it instead of adding a second one
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, BookmarkDialog) and app.screen.draft.editing
        assert app.screen.note == "Who is No. 2?"
        await pilot.press("escape")
        assert len(app_library.bookmarks.list()) == 1


async def test_a_multi_line_note_keeps_its_lines(app_library):
    app = make_app(app_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_article(pilot, RAIMONDO)
        await pilot.press("right_parenthesis", "b")
        await settle(pilot)
        await pilot.press(*"first", "ctrl+j", *"second", "ctrl+s")
        await settle(pilot)
        (bookmark,) = app_library.bookmarks.list()
        assert bookmark.note == "first\nsecond"


async def test_mouse_selection_is_bookmarked_and_copied(app_library):
    app = make_app(app_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reading = await open_article(pilot, RAIMONDO)
        start = reading.body.index("Gina Raimondo")
        end = reading.body.index("Chinese leaders") + len("Chinese leaders")
        await pilot.mouse_down(ReadingPane, offset=cell(reading, start))
        await pilot.hover(ReadingPane, offset=cell(reading, end - 1))
        await pilot.mouse_up(ReadingPane, offset=cell(reading, end - 1))
        await settle(pilot)
        selected = "Gina Raimondo said she rebuffed an appeal Tuesday by Chinese leaders"
        assert reading.selected_span() == (start, end)
        assert app.screen.get_selected_text() == selected  # ctrl+c copies the text as written
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, BookmarkDialog)
        assert app.screen.draft.quote == selected
        await pilot.press("enter")
        await settle(pilot)
        (bookmark,) = app_library.bookmarks.list()
        assert (bookmark.quote, bookmark.start, bookmark.end) == (selected, start, end)
        assert reading.selected_span() is None  # the selection became the passage
        assert reading.passage == (start, end)


class FlakyBookmarks:
    """A bookmark store whose writes fail until ``fail`` is cleared."""

    def __init__(self, store) -> None:
        self._store = store
        self.fail = True

    def __getattr__(self, name):
        return getattr(self._store, name)

    def add_for_article(self, *args, **kwargs):
        if self.fail:
            raise BookmarkStoreError("bookmarks.sqlite is locked by another program; nothing was saved")
        return self._store.add_for_article(*args, **kwargs)


class FlakyLibrary:
    def __init__(self, library) -> None:
        self._library = library
        self.index_dir = library.index_dir
        self.articles_dir = library.articles_dir
        self.bookmarks = FlakyBookmarks(library.bookmarks)

    def __getattr__(self, name):
        return getattr(self._library, name)


async def test_a_failed_save_keeps_the_dialog_and_the_note(app_library):
    library = FlakyLibrary(app_library)
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_article(pilot, RAIMONDO)
        await pilot.press("right_parenthesis", "b")
        await settle(pilot)
        await pilot.press(*"precious note", "enter")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, BookmarkDialog)  # still open: nothing was lost
        assert dialog.note == "precious note"
        assert "Not saved" in str(dialog.query_one("#dialog-status").visual)
        assert "locked by another program" in dialog.error
        assert "Bookmark saved" not in notifications(app)
        assert app_library.bookmarks.list() == []

        library.bookmarks.fail = False
        await pilot.press("enter")  # try again
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        (bookmark,) = app_library.bookmarks.list()
        assert bookmark.note == "precious note"
        assert "Bookmark saved" in notifications(app)


# -- the bookmarks pane ------------------------------------------------------------------

LATE = "Raimondo said she also pressed Chinese leaders to disclose more information"


async def test_bookmarks_pane_lists_filters_and_opens_at_the_passage(app_library):
    add(app_library, RAIMONDO, LATE, note="check the list of restrictions", tags=["export"])
    add(app_library, CHINA_CLOUD, "Premier Li Keqiang disclosed the proposal", tags=["cloud"])
    app = make_app(app_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("B")
        await settle(pilot)
        screen = app.main
        pane = screen.query_one(BookmarksPane)
        assert pane.display and screen.query_one(BookmarkList).has_focus
        assert not screen.query_one("#left").display
        assert len(pane.bookmarks) == 2
        text = screen_text(app)
        assert "2 bookmarks" in text
        assert "“Premier Li Keqiang disclosed the proposal”" in text
        assert pane.bookmarks[0].article == CHINA_CLOUD  # newest first
        assert "#export" in text and "✎ check the list of restrictions" in text
        assert "US commerce secretary rejects Chinese appeal" in text  # the article's title

        # filter as you type: quote, note, tag or title
        for typed, expected in (("restrictions", 1), ("cloud", 1), ("commerce secretary", 1), ("nothing-like-it", 0)):
            await pilot.press("f")
            assert pane.filter_input.has_focus
            pane.filter_input.value = ""
            await pilot.press(*typed)
            await settle_typing(pilot)
            assert len(pane.bookmarks) == expected, typed
        assert "0 of 2 bookmarks match" in pane.status
        pane.filter_input.value = ""
        await pilot.press(*"restrict", "enter")  # Enter in the filter goes to the list
        await settle_typing(pilot)
        assert screen.query_one(BookmarkList).has_focus
        (bookmark,) = pane.bookmarks

        await pilot.press("enter")  # opens the article at the passage
        await settle(pilot)
        reading = screen.query_one(ReadingPane)
        assert reading.has_focus
        assert reading.article.id == RAIMONDO
        assert reading.passage == (bookmark.start, bookmark.end)
        assert reading.passage_text == LATE
        assert on_screen(reading, bookmark.start)
        assert reading.scroll_y > 0  # it is far down the article

        # Esc: the passage, then back to the pane; there Esc clears the filter, then closes
        await pilot.press("escape", "escape")
        assert screen.query_one(BookmarkList).has_focus
        await pilot.press("f", "escape")
        assert pane.filter_input.value == ""
        await pilot.press("escape")
        assert not pane.display and screen.query_one(ArticleList).has_focus


async def test_edit_note_and_tags_from_the_pane(app_library):
    bookmark = add(app_library, RAIMONDO, SECOND_SENTENCE, note="old note", tags=["a"])
    app = make_app(app_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("B")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, BookmarkDialog) and dialog.draft.editing
        assert dialog.note == "old note"
        assert dialog.query_one("#tags").value == "a"
        dialog.query_one(NoteArea).text = ""
        await pilot.press(*"new note", "tab", "end", *", b, c", "enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        stored = app_library.bookmarks.get(bookmark.id)
        assert stored.note == "new note"
        assert stored.tags == ("a", "b", "c")
        assert "new note" in screen_text(app)
        assert app.main.query_one(BookmarkList).has_focus


async def test_delete_asks_and_u_undoes(app_library):
    bookmark = add(app_library, RAIMONDO, SECOND_SENTENCE, note="keep me")
    app = make_app(app_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reading = await open_article(pilot, RAIMONDO)
        assert len(reading.marks) == 1
        await pilot.press("B")
        await settle(pilot)
        pane = app.main.query_one(BookmarksPane)

        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # changed my mind
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert len(app_library.bookmarks.list()) == 1

        await pilot.press("d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert app_library.bookmarks.list() == []
        assert app_library.bookmarks.get(bookmark.id).deleted  # soft: kept for undo
        assert pane.bookmarks == [] and reading.marks == []
        assert any("u in the bookmarks list to undo" in message for message in notifications(app))

        await pilot.press("u")
        await settle(pilot)
        (restored,) = app_library.bookmarks.list()
        assert restored.id == bookmark.id and restored.note == "keep me"
        assert len(pane.bookmarks) == 1 and len(reading.marks) == 1
        assert "Bookmark restored." in notifications(app)
        await pilot.press("u")
        await settle(pilot)
        assert any(message.startswith("Nothing to undo") for message in notifications(app))


async def test_orphaned_bookmarks_show_open_delete_and_export(app_library, tmp_path, monkeypatch):
    bookmark = add(app_library, RAIMONDO, SECOND_SENTENCE, note="the article will go")
    add(app_library, CHINA_CLOUD, "Premier Li Keqiang disclosed the proposal", note="stays")
    (app_library.articles_dir / f"{RAIMONDO}.txt").unlink()
    app_library.sync(entities=False)
    assert app_library.bookmarks.get(bookmark.id).orphaned
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(tmp_path))  # the export goes to the documents folder
    monkeypatch.chdir(app_library.articles_dir)  # not the current folder
    app = make_app(app_library, sync=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("B")
        await settle(pilot)
        pane = app.main.query_one(BookmarksPane)
        text = screen_text(app)
        assert "⚠ orphaned" in text and "the article will go" in text
        assert "1 orphaned" in pane.status
        assert SECOND_SENTENCE[:40] in text  # the quote is still there

        # x exports what is listed, orphans included, where the dialog says (the documents folder)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ExportDialog)
        assert app.screen.query_one(Input).value.startswith(str(tmp_path / "bookmarks-"))
        await pilot.press("enter")
        await settle(pilot)
        (exported,) = tmp_path.glob("bookmarks-*.md")
        markdown = exported.read_text(encoding="utf-8")
        assert "passage no longer found" in markdown and "the article will go" in markdown
        assert any("Exported 2 bookmarks" in message and str(exported) in message for message in notifications(app))
        assert not list(app_library.articles_dir.glob("bookmarks-*.md"))

        await press_until(pilot, "j", lambda: pane.current.id == bookmark.id)
        await pilot.press("enter")  # its article is gone: say so, keep the bookmark
        await settle(pilot)
        assert any("no longer in the library" in message for message in notifications(app))
        assert app.main.query_one(BookmarkList).has_focus
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert bookmark.id not in {b.id for b in app_library.bookmarks.list()}
        assert len(pane.bookmarks) == 1


async def test_the_pane_says_when_there_are_no_bookmarks(app_library):
    app = make_app(app_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("B")
        await settle(pilot)
        assert "No bookmarks yet" in app.main.query_one(BookmarksPane).status
        await pilot.press("B")  # B again closes it
        assert not app.main.query_one(BookmarksPane).display


# -- search ------------------------------------------------------------------------------


async def test_in_bookmarks_searches_bookmarks_and_opens_at_the_passage(app_library):
    add(app_library, RAIMONDO, LATE, note="a figure to check")
    add(app_library, CHINA_CLOUD, "Premier Li Keqiang disclosed the proposal")
    app = make_app(app_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        search = app.main.query_one(SearchPane)
        await type_and_settle(pilot, "slash", *"in:book")
        assert "in:bookmarks searches your bookmarks" in search.status  # no error while typing it
        await pilot.press(*"marks figure")
        await settle_typing(pilot)
        assert search.results is None
        assert [b.quote for b in search.bookmark_results] == [LATE]
        assert "1 bookmark" in search.status
        assert "a figure to check" in screen_text(app)

        await pilot.press("enter")
        await settle(pilot)
        reading = app.main.query_one(ReadingPane)
        assert reading.article.id == RAIMONDO
        assert reading.passage_text == LATE
        assert on_screen(reading, reading.passage[0])

        # the plain query still searches articles
        await pilot.press("escape", "escape")
        assert search.input.has_focus
        search.input.value = ""
        await pilot.press(*"lighthizer")
        await settle_typing(pilot)
        assert search.bookmark_results is None and search.results.total > 0


async def test_in_bookmarks_with_an_entity_word(app_library):
    add(app_library, RAIMONDO, LATE, note="a figure to check")
    add(app_library, CHINA_CLOUD, "Premier Li Keqiang disclosed the proposal", note="a figure")
    naming = set(app_library.entity_articles("Li Keqiang", "person"))
    assert CHINA_CLOUD in naming and RAIMONDO not in naming
    app = make_app(app_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        search = app.main.query_one(SearchPane)
        await type_and_settle(pilot, "slash", *'in:bookmarks person:"li keqiang"')
        assert [b.article for b in search.bookmark_results] == [CHINA_CLOUD]
        search.input.value = ""
        await type_and_settle(pilot, *"in:bookmarks figure -person:keqiang")
        assert [b.article for b in search.bookmark_results] == [RAIMONDO]


# -- keys and help -------------------------------------------------------------------------


async def test_help_and_footer_show_the_bookmark_keys(app_library):
    app = make_app(app_library)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_article(pilot, RAIMONDO)
        footer = screen_text(app).splitlines()[-1]
        assert footer.lstrip().startswith("? Help")  # first, so it shows at 80 columns
        assert "b Bookmark" in footer
        await pilot.press("question_mark")
        await settle(pilot)
        text = str(app.screen.query_one("#help-text").visual)
        reading_section = text.split("Reading pane", 1)[1].split("\n\n", 1)[0]
        bookmarks_section = text.split("Bookmarks pane", 1)[1]
        for description in ("Bookmark", "Next sentence", "Next paragraph", "Page up"):
            assert f" {description}\n" in reading_section + "\n"
        for description in ("Edit", "Delete", "Undo", "Export"):
            assert f" {description}\n" in bookmarks_section + "\n"
        assert "Bookmarks" in text.split("Article list", 1)[0]  # B, everywhere
        page_up = next(line for line in reading_section.splitlines() if line.rstrip().endswith(" Page up"))
        assert "pgup" in page_up.lower() and " b," not in page_up


# -- never lose a bookmark -------------------------------------------------------------------


EDIT_ABOVE = (
    "Editor's note: this story was updated with a correction.\n\n",
    "BEIJING (AP) — U.S. Commerce Secretary Gina Raimondo said",
    "BEIJING (AP) — The U.S. Commerce Secretary, Gina Raimondo, said",
)


def _edit_above_the_passage(path) -> None:
    text = path.read_text(encoding="utf-8")
    title, rest = text.split("\n\n", 1)
    note, old, new = EDIT_ABOVE
    assert old in rest
    path.write_text(title + "\n\n" + note + rest.replace(old, new), encoding="utf-8")


async def test_bookmark_survives_rebuild_and_an_edit_above_it(tmp_path):
    """Done means: bookmark a sentence in 003 with a note, rebuild the index, edit the
    article above the passage, reopen: the bookmark is still on the right sentence."""
    articles = tmp_path / "articles"
    shutil.copytree(SAMPLES, articles)
    library = Library(articles, tmp_path / "index")
    library.sync(entities=False)

    app = ReaderApp(library)  # the real store for read marks too
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reading = await open_article(pilot, RAIMONDO)
        await move_to(pilot, reading, NO_SENTENCE)
        await pilot.press("b")
        await settle(pilot)
        await pilot.press(*"Quote this in the piece", "enter")
        await settle(pilot)
        await pilot.press("q")
    (bookmark,) = library.bookmarks.list()
    assert bookmark.quote == NO_SENTENCE and bookmark.note == "Quote this in the piece"

    library.sync(rebuild=True, entities=False)
    _edit_above_the_passage(articles / f"{RAIMONDO}.txt")
    library.close()

    library = Library(articles, tmp_path / "index")
    app = ReaderApp(library)  # reopen: it indexes the edited file by itself
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await settle(pilot)
            reading = await open_article(pilot, RAIMONDO)
            assert reading.body.startswith("Editor's note")
            (mark,) = reading.marks
            assert reading.body[mark.start : mark.end] == NO_SENTENCE
            assert mark.start > bookmark.start  # it moved with the text
            await pilot.press("B")
            await settle(pilot)
            await pilot.press("enter")
            await settle(pilot)
            assert reading.passage_text == NO_SENTENCE
            assert on_screen(reading, reading.passage[0])
            assert "Quote this in the piece" in screen_text(app)
        (stored,) = library.bookmarks.list()
        assert stored.id == bookmark.id and not stored.orphaned
        assert library.article(RAIMONDO).body[stored.start : stored.end] == NO_SENTENCE
    finally:
        library.close()


async def test_opening_an_article_reanchors_its_bookmarks(app_library, monkeypatch):
    """Even when the index was updated without re-anchoring, opening the article does it."""
    bookmark = add(app_library, RAIMONDO, NO_SENTENCE, note="n")
    _edit_above_the_passage(app_library.articles_dir / f"{RAIMONDO}.txt")
    monkeypatch.setattr(Library, "_reanchor_bookmarks", lambda self, report: None)
    app_library.sync(entities=False)
    stale = app_library.bookmarks.get(bookmark.id)
    assert app_library.article(RAIMONDO).body[stale.start : stale.end] != NO_SENTENCE

    app = make_app(app_library, sync=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reading = await open_article(pilot, RAIMONDO)
        (mark,) = reading.marks
        assert reading.body[mark.start : mark.end] == NO_SENTENCE
    fresh = app_library.bookmarks.get(bookmark.id)
    assert app_library.article(RAIMONDO).body[fresh.start : fresh.end] == NO_SENTENCE


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_bookmark_keys_in_every_layout(app_library, size):
    app = make_app(app_library)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await open_article(pilot, RAIMONDO)
        await pilot.press("right_parenthesis", "b")
        await settle(pilot)
        dialog = app.screen.query_one("#dialog")
        assert dialog.region.right <= size[0] and dialog.region.bottom <= size[1]
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("B")
        await settle(pilot)
        pane = app.main.query_one(BookmarksPane)
        assert pane.display and pane.region.width >= 30
        assert len(pane.bookmarks) == 1


async def test_clicking_a_bookmarked_passage_picks_it_for_editing(app_library):
    bookmark = add(app_library, RAIMONDO, "Gina Raimondo said she rebuffed an appeal", note="who asked?")
    app = make_app(app_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reading = await open_article(pilot, RAIMONDO)
        await pilot.click(ReadingPane, offset=cell(reading, bookmark.start + 3))
        await settle(pilot)
        assert reading.passage == (bookmark.start, bookmark.end)
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, BookmarkDialog) and app.screen.draft.editing
        assert app.screen.note == "who asked?"


async def test_bookmarks_stay_on_the_right_text_when_the_library_hands_over_dirty_text(app_library):
    """Control characters the display drops never end up at the edges of a quote,
    and offsets stay those of ``Article.body``."""
    library = DirtyLibrary(app_library)
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        reading = await open_article(pilot, RAIMONDO)
        await pilot.press("right_parenthesis", "b")
        await settle(pilot)
        await pilot.press(*"dirty", "enter")
        await settle(pilot)
        (bookmark,) = app_library.bookmarks.list()
        body = library.article(RAIMONDO).body
        assert body.startswith(DIRT)
        assert body[bookmark.start : bookmark.end] == bookmark.quote == FIRST_SENTENCE
        (mark,) = reading.marks
        assert reading.body[mark.start : mark.end] == FIRST_SENTENCE


async def test_hostile_bookmarks_show_literally_and_safely(app_library):
    article = app_library.article("999_hostile")
    quote = "Markup such as [bold]not bold[/bold]"
    app_library.bookmarks.add_for_article(
        article, quote, note="[red]note[/red] \x1b]52;c;ZXZpbA==\x07 [/", tags=["[b]tag", "x\u202ey"]
    )
    app = make_app(app_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("B")
        await settle(pilot)
        text = screen_text(app)
        assert "“Markup such as [bold]not bold[/bold]”" in text
        assert "[red]note[/red]" in text and "#[b]tag" in text
        assert HOSTILE_TITLE.split(" [/")[0] in text
        for segment in screen_segments(app):
            assert "\x1b" not in segment.text and "\x07" not in segment.text and "\u202e" not in segment.text
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, BookmarkDialog)
        for segment in screen_segments(app):
            assert "\x1b" not in segment.text and "\x07" not in segment.text
        await pilot.press("escape")
        await pilot.press("enter")  # the 120,000-character article opens at the passage
        await settle(pilot)
        reading = app.main.query_one(ReadingPane)
        assert reading.passage_text == quote
        for _ in range(5):
            await pilot.press("right_curly_bracket")  # the huge paragraph is capped
        assert len(reading.passage_text) <= 10_000


async def test_keys_typed_right_after_b_or_e_land_in_the_dialog(app_library):
    """A burst (fast typing, a paste) after b: q is the note's first letter, not Quit."""
    from textual import events

    add(app_library, CHINA_CLOUD, "Premier Li Keqiang disclosed the proposal", note="old")
    app = make_app(app_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_article(pilot, RAIMONDO)
        await pilot.press("right_parenthesis")
        for character in "bquick":
            app.post_message(events.Key(character, character))
        await settle(pilot)
        assert isinstance(app.screen, BookmarkDialog)
        assert app.screen.note == "quick"
        await pilot.press("escape")

        await pilot.press("B")
        await settle(pilot)
        for character in "e, and d":
            app.post_message(events.Key("space" if character == " " else character, character))
        await settle(pilot)
        assert isinstance(app.screen, BookmarkDialog) and app.screen.draft.editing
        assert app.screen.note == "old, and d"


async def test_a_bookmark_whose_passage_is_gone_opens_its_article_and_says_so(app_library):
    bookmark = add(app_library, RAIMONDO, THIRD_SENTENCE, note="a claim to check")
    path = app_library.articles_dir / f"{RAIMONDO}.txt"
    path.write_text(path.read_text(encoding="utf-8").replace(THIRD_SENTENCE, ""), encoding="utf-8")
    app_library.sync(entities=False)
    assert app_library.bookmarks.get(bookmark.id).orphaned
    app = make_app(app_library, sync=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("B")
        await settle(pilot)
        assert "⚠ orphaned" in screen_text(app) and "a claim to check" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        reading = app.main.query_one(ReadingPane)
        assert reading.article.id == RAIMONDO
        assert reading.passage is None and reading.marks == []
        assert any("no longer in the article" in message for message in notifications(app))
    assert app_library.bookmarks.get(bookmark.id).note == "a claim to check"  # kept


async def test_export_asks_where_relative_names_land_in_the_documents_folder_and_json_cites(
    app_library, tmp_path, monkeypatch
):
    add(app_library, CHINA_CLOUD, "Premier Li Keqiang disclosed the proposal", note="stays")
    documents = tmp_path / "docs"
    documents.mkdir()
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(documents))
    monkeypatch.chdir(app_library.articles_dir)
    app = make_app(app_library, sync=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("B")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        box = app.screen.query_one(Input)
        box.value = str(tmp_path / "no-such-folder" / "x.md")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ExportDialog) and "No such folder" in screen_text(app)  # stays open, says why
        box.value = "notes.json"  # relative: the documents folder, not the current one
        await pilot.press("enter")
        await settle(pilot)
        exported = documents / "notes.json"
        document = json.loads(exported.read_text(encoding="utf-8"))
        [item] = document["bookmarks"]
        assert item["citation"]["authors"] == ["Lingling Wei"] and item["citation"]["date"] == "2019-03-28"
        assert any(f"Exported 1 bookmark to {exported}" in message for message in notifications(app))
        assert not list(app_library.articles_dir.glob("notes*"))

        await pilot.press("x")  # the same name again: Enter twice replaces, Esc writes nothing
        await settle(pilot)
        app.screen.query_one(Input).value = str(exported)
        await pilot.press("enter")
        await settle(pilot)
        assert "Exists: Enter again replaces it" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, ExportDialog) and json.loads(exported.read_text()) == document
